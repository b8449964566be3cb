import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { insertRecognition, makeProduct, makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const producer = { name: 'HTX Gốm sứ', type: 'cooperative', address: 'Bát Tràng, Hà Nội' }

t.test('registration on both sides of 2025-07-01, reads and filters across the reform', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...producer, ...payload } })
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n

  // Before the reform, a district; from 2025-07-01, a unit of the new list.
  const old = await post({ adminUnitCode: '018', registeredOn: '2025-06-30' })
  t.equal(old.statusCode, 201)
  t.match(old.json(), { adminUnitList: 'QD124-2004', adminUnitCode: '018', province: { list: 'QD124-2004', code: '01', name: 'Hà Nội' } })
  t.same(old.json().successorUnits.map((u: { code: string }) => u.code), ['00136', '00145', '00541', '00562', '00565', '00577'], 'the recorded district, and the units its territory went to')
  const fresh = await post({ adminUnitCode: '00577', registeredOn: '2025-07-01' })
  t.equal(fresh.statusCode, 201)
  t.match(fresh.json(), { adminUnitList: 'QD19-2025', adminUnitCode: '00577', successorUnits: [], province: { list: 'QD19-2025', code: '01' } })

  // Each refusal names the field and the list to use, and saves nothing.
  const before = await count('producers')
  const lateDistrict = await post({ adminUnitCode: '018', registeredOn: '2025-07-01' })
  t.equal(lateDistrict.statusCode, 422)
  t.match(lateDistrict.json(), { errors: [{ in: 'body', pointer: '/adminUnitCode' }] })
  t.match(lateDistrict.json().detail, /QD19-2025/)
  t.match(lateDistrict.json().detail, /\/v1\/admin-units\?list=QD19-2025/)
  const earlyUnit = await post({ adminUnitCode: '00577', registeredOn: '2025-06-30' })
  t.equal(earlyUnit.statusCode, 422)
  t.match(earlyUnit.json(), { errors: [{ pointer: '/adminUnitCode' }] })
  t.match(earlyUnit.json().detail, /QD124-2004/)
  const wrongList = await post({ adminUnitCode: '00577', adminUnitList: 'QD19-2025', registeredOn: '2025-06-30' })
  t.equal(wrongList.statusCode, 422, 'a unit of the right list that was not valid that day')
  t.match(wrongList.json(), { errors: [{ pointer: '/adminUnitCode' }] })
  const noList = await post({ adminUnitCode: '018', adminUnitList: 'QD1-1999', registeredOn: '2024-01-01' })
  t.equal(noList.statusCode, 422)
  t.match(noList.json(), { errors: [{ pointer: '/adminUnitList' }] })
  t.equal(await count('producers'), before, 'nothing saved')

  // A product of each: filters read the overlap both ways.
  const oldProduct = await makeProduct(db, { producerId: old.json().id, status: 'active' })
  const freshProduct = await makeProduct(db, { producerId: fresh.json().id, status: 'active' })
  const ids = async (url: string) => (await app.inject({ url, headers: admin })).json().items.map((r: { id: string }) => r.id) as string[]
  t.same((await ids('/v1/producers?adminUnit=018&limit=100')).sort(), [old.json().id, fresh.json().id].sort(), 'Gia Lâm finds Bát Tràng\'s producer')
  t.same((await ids('/v1/producers?adminUnit=00577&limit=100')).sort(), [old.json().id, fresh.json().id].sort(), 'Bát Tràng finds Gia Lâm\'s producer')
  t.same(await ids('/v1/producers?adminUnit=004&limit=100'), [fresh.json().id], 'Long Biên finds Bát Tràng (it took part of Long Biên) but not Gia Lâm')
  t.same(await ids('/v1/producers?adminUnit=00541&limit=100'), [old.json().id], 'Phù Đổng took part of Gia Lâm, not of Bát Tràng')
  t.same(await ids('/v1/producers?adminUnit=281&limit=100'), [], 'Ứng Hòa shares nothing with either')
  t.same((await ids('/v1/products?adminUnit=018&limit=100')).sort(), [oldProduct.id, freshProduct.id].sort(), 'products too')
  t.same(await ids('/v1/products?adminUnit=00541&limit=100'), [oldProduct.id])
  t.same(await ids('/v1/products?adminUnit=00541&adminUnitList=QD124-2004&limit=100'), [], 'a code read in a list it is not in finds nothing')

  await t.test('moving a producer to a new unit is a PATCH with If-Match, audited', async (t) => {
    const url = `/v1/producers/${old.json().id}`
    const etag = (await app.inject({ url, headers: admin })).headers.etag as string
    const stale = await app.inject({ method: 'PATCH', url, headers: { ...admin, 'if-match': '"stale"' }, payload: { adminUnitCode: '00577' } })
    t.equal(stale.statusCode, 412)
    const district = await app.inject({ method: 'PATCH', url, headers: { ...admin, 'if-match': etag }, payload: { adminUnitCode: '281' } })
    t.equal(district.statusCode, 422, 'a district ended before today')
    t.match(district.json(), { errors: [{ pointer: '/adminUnitCode' }] })
    const moved = await app.inject({ method: 'PATCH', url, headers: { ...admin, 'if-match': etag }, payload: { adminUnitCode: '00577' } })
    t.equal(moved.statusCode, 200)
    t.match(moved.json(), { adminUnitList: 'QD19-2025', adminUnitCode: '00577', registeredOn: '2025-06-30', successorUnits: [] })
    const [audit] = await db.query<{ changes: Record<string, { old: unknown, new: unknown }> }>(`SELECT changes FROM audit_log WHERE entity = 'producer' AND entity_id = '${old.json().id}' AND action = 'update'`)
    t.same(audit?.changes.adminUnitCode, { old: '018', new: '00577' })
    t.same(audit?.changes.adminUnitList, { old: 'QD124-2004', new: 'QD19-2025' })
  })
})

t.test('statistics group by new unit or by former district, and keep the published district figures', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const make = async (adminUnitCode: string, registeredOn: string) => {
    const p = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...producer, adminUnitCode, registeredOn } })
    const product = await makeProduct(db, { producerId: p.json().id, status: 'active' })
    await insertRecognition(db, product.id, { star: 4, issuedOn: '2025-08-01', expiresOn: '2028-08-01' })
  }
  await make('018', '2020-01-01') // Gia Lâm
  await make('00577', '2025-07-15') // Bát Tràng (from Gia Lâm and Long Biên)
  await make('10402', '2025-07-15') // Ứng Hòa (from Ứng Hòa district)
  const stats = async (query: string) => (await app.inject({ url: `/v1/statistics/products?on=2026-01-01&${query}` })).json()
  const byNew = await stats('by=adminUnit&unitList=QD19-2025')
  t.equal(byNew.totals.products, 3, 'each product once in the totals')
  const counts = (body: { breakdown: { key: string, products: number }[] }) => Object.fromEntries(body.breakdown.map((b) => [b.key, b.products]))
  t.same(counts(byNew), { '00136': 1, '00145': 1, '00541': 1, '00562': 1, '00565': 1, '00577': 2, 10402: 1 }, 'Gia Lâm\'s product in each of its successors; Bát Tràng has two')
  const byDistrict = await stats('by=adminUnit&unitList=QD124-2004')
  t.same(counts(byDistrict), { '004': 1, '018': 2, 281: 1 }, 'Bát Tràng\'s product under Long Biên and Gia Lâm')
  t.match(byDistrict.breakdown.find((b: { key: string }) => b.key === '281'), { name: 'Ứng Hòa' })
  t.same(counts(await stats('by=adminUnit')), { '00577': 1, '018': 1, 10402: 1 }, 'as recorded')
  t.equal((await stats('adminUnit=281')).totals.products, 1, 'a former district counts its successors\' products')
  // Venues the same way: one in Gia Lâm (2024), one in Bát Tràng (2026).
  await db.query('DELETE FROM venues')
  await makeVenue(db, { adminUnitCode: '018', openedOn: '2024-01-15' })
  await makeVenue(db, { adminUnitCode: '00577', openedOn: '2026-01-10' })
  const venues = async (query: string) => (await app.inject({ url: `/v1/statistics/venues?on=2026-06-01&${query}` })).json() as { open: number, byAdminUnit: { key: string, open: number }[] }
  const open = (body: { byAdminUnit: { key: string, open: number }[] }) => Object.fromEntries(body.byAdminUnit.map((u) => [u.key, u.open]))
  const newUnits = await venues('unitList=QD19-2025')
  t.equal(newUnits.open, 2)
  t.same(open(newUnits), { '00136': 1, '00145': 1, '00541': 1, '00562': 1, '00565': 1, '00577': 2 })
  t.same(open(await venues('unitList=QD124-2004')), { '004': 1, '018': 2 })
  t.same(open(await venues('')), { '00577': 1, '018': 1 }, 'as recorded')
  // The lists of venues and recognitions read the overlap both ways too.
  const names = async (url: string) => (await app.inject({ url, headers: admin })).json().items.length as number
  t.equal(await names('/v1/venues?adminUnit=004'), 1, 'Long Biên finds the Bát Tràng venue')
  t.equal(await names('/v1/venues?adminUnit=00541'), 1, 'Phù Đổng finds the Gia Lâm venue')
  t.equal(await names('/v1/venues?adminUnit=018'), 2)
  t.equal(await names('/v1/recognitions?adminUnit=281&asOf=2026-01-01'), 1, 'Ứng Hòa district finds Xã Ứng Hòa\'s recognition')
  t.equal(await names('/v1/recognitions?adminUnit=00577&asOf=2026-01-01'), 2, 'Bát Tràng finds its own and Gia Lâm\'s')

  const wrong = await app.inject({ url: '/v1/statistics/products?unitList=QD19-2025&by=productGroup' })
  t.equal(wrong.statusCode, 422)
  t.match(wrong.json(), { errors: [{ in: 'query', pointer: '/unitList' }] })
  const unknown = await app.inject({ url: '/v1/statistics/products?unitList=QD1-1999&by=adminUnit' })
  t.equal(unknown.statusCode, 422)
})
