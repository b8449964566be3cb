// Every GET route of the contract, read by an operator of another administrative unit, against the
// unpublished records of unit 018 (an inactive producer, a draft product with its evaluation and
// recognition, a planned venue) and its label batches: 404 where a path names one, and nothing of them
// in any list. An operator of 018 reads the same URLs, to show the fixtures are right.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { buildTestApp } from '../helpers/app.ts'
import { insertRecognition, makeEvaluation, makeProduct, makeProducer, makeRecognition, makeVenue } from '../helpers/factories.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

// GET routes whose path parameter names nothing unit-scoped: reference data, public reads by design
// (a label's verification is what consumers scan), or records that are not the operator's (keys, webhooks).
const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> }

const NOT_UNIT_SCOPED = new Set([
  '/v1/admin-units/{code}', '/v1/provinces/{code}', '/v1/api-keys/{id}', '/v1/craft-villages/{id}', '/v1/criteria-sets/{key}', '/v1/listings/{id}',
  '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries', '/v1/distribution-partners/{id}', '/v1/fairs/{id}', '/v1/fairs/{id}/booths',
  '/v1/fairs/{id}/figures', '/v1/mous/{id}', '/v1/labels/{token}', '/v1/labels/{token}/qr', '/v1/targets/{id}', '/v1/targets/{id}/progress'
])

t.test('an operator of another unit reads nothing unpublished of this one, on every GET route', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { RATE_LIMIT_STAFF: '1000000' } })
  const own = bearer((await makeKey(db, 'operator', { adminUnits: ['018'] })).token)
  const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
  const admin = bearer((await makeKey(db, 'admin')).token)

  // Unit 018: an inactive producer, a draft product (with a draft evaluation), an active product with a
  // recognition and a label batch, a planned venue.
  const inactive = await makeProducer(db, { name: 'HTX chưa công bố' })
  await app.inject({ method: 'PATCH', url: `/v1/producers/${inactive.id}`, headers: { ...admin, 'if-match': (await app.inject({ url: `/v1/producers/${inactive.id}`, headers: admin })).headers.etag as string }, payload: { status: 'inactive' } })
  const draft = await makeProduct(db, { nameVi: 'Sản phẩm nháp' })
  const draftEvaluation = await makeEvaluation(db, { productId: draft.id })
  const draftRecognition = await insertRecognition(db, draft.id, { star: 4, issuedOn: '2026-03-10', expiresOn: '2029-03-10' })
  const recognised = await makeProduct(db, { status: 'active', nameVi: 'Sản phẩm có tem' })
  await makeRecognition(db, recognised.id)
  const batch = (await app.inject({ method: 'POST', url: `/v1/products/${recognised.id}/label-batches`, headers: admin, payload: { quantity: 2 } })).json()
  const planned = await makeVenue(db, { status: 'planned', openedOn: undefined, name: 'Điểm bán dự kiến' })
  const secrets = [inactive.id, draft.id, draftEvaluation.id, draftRecognition, batch.id, planned.id]

  const fixtures: Record<string, string[]> = {
    '/v1/producers/{id}': [inactive.id],
    '/v1/producers/{id}/mous': [inactive.id],
    '/v1/products/{id}': [draft.id],
    '/v1/products/{id}/recognitions': [draft.id],
    '/v1/products/{id}/venues': [draft.id],
    '/v1/products/{id}/eligibility': [draft.id],
    '/v1/products/{id}/label-batches': [draft.id, recognised.id],
    '/v1/evaluations/{id}': [draftEvaluation.id],
    '/v1/venues/{id}': [planned.id],
    '/v1/venues/{id}/products': [planned.id],
    '/v1/label-batches/{id}': [batch.id],
    '/v1/label-batches/{id}/labels': [batch.id]
  }
  const gets = Object.entries(doc.paths).filter(([, ops]) => 'get' in ops).map(([path]) => path)
  const withParams = gets.filter((p) => p.includes('{'))
  t.same(withParams.filter((p) => !fixtures[p] && !NOT_UNIT_SCOPED.has(p)), [], 'every GET route with a path parameter is covered or named as not unit-scoped')

  for (const [path, ids] of Object.entries(fixtures)) {
    for (const id of ids) {
      const url = path.replace(/\{\w+\}/, id)
      const mine = await app.inject({ url, headers: own })
      t.equal(mine.statusCode, 200, `${url} for an operator of 018`)
      const res = await app.inject({ url, headers: elsewhere })
      t.equal(res.statusCode, 404, `${path} for an operator of 281`)
      t.match(res.headers['content-type'], /problem\+json/)
      t.notOk(secrets.filter((s) => s !== id).some((s) => res.body.includes(s)), `${path}: nothing else leaked`)
    }
  }

  for (const path of gets.filter((p) => !p.includes('{'))) {
    const paged = ((doc.paths[path]!.get as { parameters?: { name: string }[] }).parameters ?? []).some((p) => p.name === 'limit')
    const res = await app.inject({ url: `${path}${paged ? '?limit=100' : ''}`, headers: elsewhere })
    if (res.statusCode !== 200) {
      t.ok([401, 403].includes(res.statusCode), `${path}: ${res.statusCode} for an operator (not theirs to read)`)
      continue
    }
    const leaked = secrets.filter((s) => res.body.includes(s))
    t.same(leaked, [], `${path}: no unpublished record of 018 in the list`)
  }
})
