import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { insertRecognition, makeProduct, makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { allListings, follow, projecting } from '../listings/helpers.ts'

const laoCai = { name: 'HTX Chè Shan tuyết Lào Cai', type: 'cooperative', address: 'Bát Xát, Lào Cai', taxCode: '5300123456', provinceCode: '15', registeredOn: '2025-09-01' }
const recognition = { issuingBody: 'Ủy ban nhân dân tỉnh Lào Cai', decisionNumber: '2345/QĐ-UBND', decisionDate: '2025-09-15', star: 4, certificateNumber: 'LC-OCOP-2025-0123', issuedOn: '2025-09-15', expiresOn: '2028-09-15' }

t.test('a product of another province: recorded, listed at a Hanoi venue, in the feed, never in Hanoi\'s figures', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const inject = projecting(app)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const operator = bearer((await makeKey(db, 'operator')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n

  // The producer: a province, an address, a tax code; no unit of Hanoi's.
  const refusals: [Record<string, unknown>, string][] = [
    [{ provinceCode: '02' }, '/provinceCode'], // Hà Giang, of the old list only
    [{ provinceCode: '15', provinceList: 'QD124-2004' }, '/provinceCode'], // Yên Bái, ended 2025-06-30
    [{ adminUnitCode: '018' }, '/adminUnitCode'],
    [{ taxCode: undefined }, '/taxCode']
  ]
  const producers = await count('producers')
  for (const [change, pointer] of refusals) {
    const res = await inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...laoCai, ...change } })
    t.equal(res.statusCode, 422, JSON.stringify(change))
    t.equal(res.json().errors[0].pointer, pointer)
  }
  t.match((await inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...laoCai, provinceCode: '02' } })).json().detail, /QD19-2025/, 'the refusal names the list in force')
  t.equal(await count('producers'), producers, 'nothing saved')
  const created = await inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: laoCai })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { adminUnitList: null, adminUnitCode: null, successorUnits: [], province: { list: 'QD19-2025', code: '15', name: 'Lào Cai' } })
  const product = await makeProduct(db, { producerId: created.json().id, status: 'active', nameVi: 'Chè Shan tuyết' })

  // Hanoi's councils never evaluate it.
  const evaluation = await inject({ method: 'POST', url: '/v1/evaluations', headers: admin, payload: { productId: product.id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 1 } } })
  t.equal(evaluation.statusCode, 422)
  t.match(evaluation.json(), { errors: [{ pointer: '/productId' }] })

  // An external recognition is refused for a Hanoi product, and recorded for this one.
  const hanoiProduct = await makeProduct(db, { status: 'active' })
  const unknown = await inject({ method: 'POST', url: '/v1/products/00000000-0000-4000-8000-000000000000/external-recognitions', headers: operator, payload: recognition })
  t.match(unknown.json(), { status: 404, type: '/problems/not-found' })
  const early = await inject({ method: 'POST', url: `/v1/products/${product.id}/external-recognitions`, headers: operator, payload: { ...recognition, issuedOn: '2025-09-01' } })
  t.match(early.json(), { status: 422, errors: [{ pointer: '/issuedOn' }] }, 'issued before its decision')
  const refused = await inject({ method: 'POST', url: `/v1/products/${hanoiProduct.id}/external-recognitions`, headers: operator, payload: recognition })
  t.equal(refused.statusCode, 422)
  t.equal(await count('recognitions'), 0)
  const otherProvince = await inject({ method: 'POST', url: `/v1/products/${product.id}/external-recognitions`, headers: operator, payload: { ...recognition, provinceCode: '79' } })
  t.equal(otherProvince.statusCode, 422, 'not the producer\'s province')
  t.match(otherProvince.json(), { errors: [{ pointer: '/provinceCode' }] })
  const recorded = await inject({ method: 'POST', url: `/v1/products/${product.id}/external-recognitions`, headers: operator, payload: recognition })
  t.equal(recorded.statusCode, 201)
  t.equal(recorded.headers.location, `/v1/products/${product.id}/recognitions`)
  t.match(recorded.json(), { source: 'external', evaluationId: null, provinceList: 'QD19-2025', provinceCode: '15', issuingBody: 'Ủy ban nhân dân tỉnh Lào Cai', issuingLevel: 'city', star: 4, status: 'in-force' })

  // Listed at a Hanoi venue, then in the listings and the feed with its province.
  const venue = await makeVenue(db)
  const added = await inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [product.id] } })
  t.equal(added.statusCode, 201)
  const listing = (await allListings(app, partner)).get(product.id)
  t.match(listing, { adminUnitCode: null, province: { list: 'QD19-2025', code: '15', name: 'Lào Cai' }, star: 4, certificateNumber: 'LC-OCOP-2025-0123', venues: [{ id: venue.id }] })
  const { changes } = await follow(app, partner)
  t.match(changes.filter((c) => c.productId === product.id).at(-1), { kind: 'upsert', listing: { province: { code: '15', name: 'Lào Cai' } } })

  // Booked at a Hanoi fair of the northern mountains, in a unit of the new list.
  const fair = await inject({ method: 'POST', url: '/v1/fairs', headers: admin, payload: { name: 'Hội chợ OCOP vùng miền núi phía Bắc', kind: 'ocop_fair', organiser: 'Sở Công Thương Hà Nội', address: 'Cung Văn hóa Hữu nghị', adminUnitCode: '00070', startsOn: '2026-12-10', endsOn: '2026-12-13', regions: ['northern_mountains'] } })
  t.equal(fair.statusCode, 201)
  t.match(fair.json(), { adminUnitList: 'QD19-2025', adminUnitCode: '00070' })
  const booth = await inject({ method: 'POST', url: `/v1/fairs/${fair.json().id}/booths`, headers: admin, payload: { number: 'B07', producerId: created.json().id, productIds: [product.id] } })
  t.equal(booth.statusCode, 201)

  // Statistics: Hanoi's figures leave it out; a province grouping counts it.
  const stats = async (query: string) => (await inject({ url: `/v1/statistics/products?on=2026-01-01${query}` })).json()
  t.equal((await stats('')).totals.products, 0)
  const byProvince = await stats('&by=province')
  t.equal(byProvince.totals.products, 1)
  t.same(byProvince.breakdown.map((b: { key: string, name: string, products: number }) => [b.key, b.name, b.products]), [['15', 'Lào Cai', 1]])

  // The same timeline rules: in force through its last day, gone after a revocation; councils may not revoke it.
  const council = bearer((await makeKey(db, 'council', { councilLevel: 'city' })).token)
  const id = recorded.json().id
  const byCouncil = await inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers: council, payload: { decisionReference: '1/QĐ', revokedOn: '2026-11-23', reason: 'Hà Nội không thu hồi' } })
  t.equal(byCouncil.statusCode, 422)
  t.equal((await inject({ url: '/v1/statistics/products?on=2028-09-15&by=province' })).json().totals.products, 1, 'in force on its last day')
  t.equal((await inject({ url: '/v1/statistics/products?on=2028-09-16&by=province' })).json().totals.products, 0, 'expired the day after')
  const revoked = await inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers: admin, payload: { decisionReference: '99/QĐ-UBND tỉnh Lào Cai', revokedOn: '2026-11-23', reason: 'Tỉnh Lào Cai thu hồi' } })
  t.equal(revoked.statusCode, 200)
  t.notOk((await allListings(app, partner)).has(product.id), 'dropped from the listings the day of the revocation')
})

t.test('Hanoi\'s statistics keep their published figures with a province grouping beside them', async (t) => {
  const { app, db } = await buildTestApp(t)
  const hanoi = await makeProduct(db, { status: 'active' })
  await insertRecognition(db, hanoi.id, { star: 3, issuedOn: '2024-01-10', expiresOn: '2027-01-10' })
  const body = (await app.inject({ url: '/v1/statistics/products?on=2025-01-01&by=province' })).json()
  t.same(body.breakdown.map((b: { key: string, name: string }) => [b.key, b.name]), [['01', 'Hà Nội']], 'the province of the list in force that day')
})
