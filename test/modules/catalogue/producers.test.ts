import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('producers', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const valid = { name: 'Hợp tác xã Lụa Vạn Phúc', type: 'cooperative', taxCode: '0101234567', address: 'Vạn Phúc, Hà Đông', adminUnitCode: '268', registeredOn: '2022-05-10', phone: '+84 912 345 678', email: 'lua@vanphuc.vn', website: 'https://luavanphuc.vn' }
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM producers'))[0]!.n

  t.test('registers a producer, normalising text, phone and tax code', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...valid, name: `  ${valid.name.normalize('NFD')} `, taxCode: '0101234567001' } })
    t.equal(res.statusCode, 201)
    const body = res.json()
    t.match(body, { name: 'Hợp tác xã Lụa Vạn Phúc', phone: '0912345678', taxCode: '0101234567-001', status: 'active', adminUnitCode: '268', registeredOn: '2022-05-10' })
    t.equal(body.name, valid.name.normalize('NFC'), 'stored in NFC, trimmed')
    t.equal(res.headers.location, `/v1/producers/${body.id}`)
    const [row] = await db.query<{ name: string }>('SELECT name FROM producers WHERE id = $1', [body.id])
    t.equal(row?.name, valid.name.normalize('NFC'))
  })

  t.test('a tax code is unique: the same code typed another way is a 409 naming the field', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...valid, taxCode: '0101234567-001' } })
    t.equal(res.statusCode, 409)
    t.match(res.json(), { type: '/problems/conflict', errors: [{ in: 'body', pointer: '/taxCode' }] })
  })

  const invalid: [string, Record<string, unknown>, number, string][] = [
    ['a bad tax code', { taxCode: '01012345' }, 400, '/taxCode'],
    ['a tax code with letters', { taxCode: '01012345AB' }, 400, '/taxCode'],
    ['a bad phone', { phone: '0123' }, 400, '/phone'],
    ['a phone that is not Vietnamese', { phone: '+1 415 555 0100' }, 400, '/phone'],
    ['an unknown unit', { adminUnitCode: '999' }, 422, '/adminUnitCode'],
    ['a unit not valid on the registration date', { adminUnitCode: '019', registeredOn: '2013-12-31' }, 422, '/adminUnitCode'],
    ['a district after the two-tier reform', { registeredOn: '2025-07-01' }, 422, '/adminUnitCode'],
    ['an unknown craft village', { craftVillageId: '00000000-0000-4000-8000-000000000000' }, 422, '/craftVillageId'],
    ['a website that is not a URL', { website: 'luavanphuc' }, 400, '/website'],
    ['an unknown type', { type: 'corporation' }, 400, '/type'],
    ['a computed field', { status: 'active' }, 400, '/status']
  ]
  for (const [what, change, status, pointer] of invalid) {
    t.test(`${what} is refused with ${status} naming ${pointer}, and nothing is written`, async (t) => {
      const before = await count()
      const res = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { ...valid, taxCode: null, ...change } })
      t.equal(res.statusCode, status)
      t.match(res.headers['content-type'], /problem\+json/)
      t.ok(res.json().errors.some((e: { pointer: string }) => e.pointer === pointer), JSON.stringify(res.json().errors))
      t.equal(await count(), before)
    })
  }

  t.test('inactive producers are hidden from anonymous readers, visible to staff', async (t) => {
    const producer = await makeProducer(db, { name: 'HTX Ngừng hoạt động' })
    const patched = await app.inject({ method: 'PATCH', url: `/v1/producers/${producer.id}`, headers: admin, payload: { status: 'inactive' } })
    t.equal(patched.statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `/v1/producers/${producer.id}` })).statusCode, 404)
    t.equal((await app.inject({ method: 'GET', url: `/v1/producers/${producer.id}`, headers: admin })).statusCode, 200)
    const anonymousList = await app.inject({ method: 'GET', url: '/v1/producers?limit=100' })
    t.notOk(anonymousList.json().items.some((p: { id: string }) => p.id === producer.id))
    const staffList = await app.inject({ method: 'GET', url: '/v1/producers?status=inactive', headers: admin })
    t.same(staffList.json().items.map((p: { id: string }) => p.id), [producer.id])
  })

  t.test('a producer with products is never deleted; one without is', async (t) => {
    const withProducts = await makeProducer(db)
    await makeProduct(db, { producerId: withProducts.id })
    const refused = await app.inject({ method: 'DELETE', url: `/v1/producers/${withProducts.id}`, headers: admin })
    t.equal(refused.statusCode, 409)
    t.match(refused.json().detail, /ngừng hoạt động/)
    t.equal((await db.query('SELECT 1 FROM producers WHERE id = $1', [withProducts.id])).length, 1)
    const lonely = await makeProducer(db)
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/producers/${lonely.id}`, headers: admin })).statusCode, 204)
    t.equal((await db.query('SELECT 1 FROM producers WHERE id = $1', [lonely.id])).length, 0)
    const [audit] = await db.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id DESC LIMIT 1', [lonely.id])
    t.equal(audit?.action, 'delete')
  })

  t.test('an operator writes only in the units on its key', async (t) => {
    const ungHoa = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
    const thuongTin = await makeProducer(db, { adminUnitCode: '279' })
    const create = await app.inject({ method: 'POST', url: '/v1/producers', headers: ungHoa, payload: { ...valid, taxCode: null, adminUnitCode: '279' } })
    t.equal(create.statusCode, 403)
    const change = await app.inject({ method: 'PATCH', url: `/v1/producers/${thuongTin.id}`, headers: ungHoa, payload: { representative: 'X' } })
    t.equal(change.statusCode, 403)
    const own = await app.inject({ method: 'POST', url: '/v1/producers', headers: ungHoa, payload: { ...valid, taxCode: null, adminUnitCode: '281' } })
    t.equal(own.statusCode, 201)
    const product = await app.inject({ method: 'POST', url: '/v1/products', headers: ungHoa, payload: { producerId: thuongTin.id, nameVi: 'Sơn mài Hạ Thái', group148: '4.1' } })
    t.equal(product.statusCode, 403, 'an Ứng Hòa operator cannot create a product of a Thường Tín producer')
  })

  t.test('a filter on a historical district also finds producers of the units that replaced it', async (t) => {
    const before = await makeProducer(db, { adminUnitCode: '279', registeredOn: '2024-01-01', name: 'HTX trước cải cách' })
    const after = await makeProducer(db, { adminUnitCode: '10183', registeredOn: '2025-08-01', name: 'HTX sau cải cách' })
    const res = await app.inject({ method: 'GET', url: '/v1/producers?adminUnit=279&limit=100' })
    const ids = res.json().items.map((p: { id: string }) => p.id)
    t.ok(ids.includes(before.id) && ids.includes(after.id))
    const commune = await app.inject({ method: 'GET', url: '/v1/producers?adminUnit=10183&limit=100' })
    const fromCommune = commune.json().items.map((p: { id: string }) => p.id)
    t.ok(fromCommune.includes(before.id) && fromCommune.includes(after.id), 'and the reverse: Xã Thường Tín finds the district it took territory from')
  })
})
