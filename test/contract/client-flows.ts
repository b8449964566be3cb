// Two flows as a partner's and an operator's engineer would write them: openapi-fetch with the types
// openapi-typescript generates from openapi/openapi.json (openapi/schema.d.ts), no casts but the one
// parse of an NDJSON line. test/contract/client.test.ts type-checks this file with `tsc --strict` and
// runs both flows against the running service.
import createClient from 'openapi-fetch'
import type { components, paths } from '../../openapi/schema.d.ts'

// JSON answers and problem+json errors, not the CSV a list can also answer.
type JsonMedia = `${string}/${string}json`
type Listing = components['schemas']['Listing']
type ExportLine = components['schemas']['ExportListingLine'] | components['schemas']['ExportEndLine']

/** A partner's sync loop: the export, then the feed from the export's cursor, then one product's eligibility. */
export async function partnerSync (baseUrl: string, key: string) {
  const client = createClient<paths, JsonMedia>({ baseUrl, headers: { authorization: `Bearer ${key}` } })
  const listings = new Map<string, Listing>()
  let cursor = ''
  const exported = await client.GET('/v1/listings/export', { parseAs: 'text' })
  for (const line of (exported.data ?? '').split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as ExportLine
    if (entry.type === 'listing') listings.set(entry.listing.productId, entry.listing)
    else cursor = entry.nextCursor
  }
  for (;;) {
    const { data, error } = await client.GET('/v1/listings/changes', { params: { query: { after: cursor, limit: 100 } } })
    if (error) throw new Error(`${error.title}: ${error.detail}`)
    for (const change of data.items) {
      if (change.kind === 'upsert' && change.listing) listings.set(change.productId, change.listing)
      else listings.delete(change.productId)
    }
    cursor = data.nextCursor
    if (!data.items.length) break
  }
  const [first] = listings.keys()
  const eligibility = first ? (await client.GET('/v1/products/{id}/eligibility', { params: { path: { id: first } } })).data : undefined
  return { listings, cursor, eligibility, etag: exported.response.headers.get('etag') }
}

/** An operator registers a producer and a product; the city council evaluates, scores and decides. */
export async function operatorDecision (baseUrl: string, operatorKey: string, councilKey: string, today: string) {
  const operator = createClient<paths, JsonMedia>({ baseUrl, headers: { authorization: `Bearer ${operatorKey}` } })
  const council = createClient<paths, JsonMedia>({ baseUrl, headers: { authorization: `Bearer ${councilKey}` } })
  const producer = await operator.POST('/v1/producers', { body: { name: 'HTX Gốm sứ Bát Tràng', type: 'cooperative', taxCode: '0109876543', address: 'Xóm 3, Bát Tràng', adminUnitCode: '018', registeredOn: '2019-05-20' } })
  if (!producer.data) throw new Error(producer.error?.detail)
  const product = await operator.POST('/v1/products', { body: { producerId: producer.data.id, nameVi: 'Bình gốm men lam', group148: '4.1' } })
  if (!product.data) throw new Error(product.error?.detail)
  const evaluation = await operator.POST('/v1/evaluations', { body: { productId: product.data.id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: Number(today.slice(0, 4)), batch: 1 } } })
  if (!evaluation.data) throw new Error(evaluation.error?.detail)
  const id = evaluation.data.id
  await operator.POST('/v1/evaluations/{id}/submit', { params: { path: { id } } })
  const points = { A1: 8, A2: 4, A3: 8, A4: 8, A5: 4, B1: 8, B2: 8, B3: 4, C1: 8, C2: 8, C3: 8, C4: 4 }
  for (const memberName of ['Nguyễn Thị Hoa', 'Trần Văn Minh', 'Lê Thu Hà']) {
    const sheet = await council.POST('/v1/evaluations/{id}/score-sheets', { params: { path: { id } }, body: { memberName, points } })
    if (!sheet.data) throw new Error(sheet.error?.detail)
  }
  const decided = await council.POST('/v1/evaluations/{id}/decide', { params: { path: { id } }, body: { decisionNumber: '1234/QĐ-UBND', decisionDate: today, certificateNumber: 'HN-OCOP-CLIENT-0001' } })
  if (!decided.data) throw new Error(decided.error?.detail)
  return { productId: product.data.id, outcome: decided.data.outcome, star: decided.data.evaluation.star, location: producer.response.headers.get('location') }
}
