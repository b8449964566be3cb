import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeKey } from '../../helpers/keys.ts'

t.test('reference data endpoints', async (t) => {
  const { app, db } = await buildTestApp(t)

  t.test('lists the 30 district-level units valid until 2025-06-30', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units' })
    t.equal(res.statusCode, 200)
    const { items } = res.json()
    t.equal(items.length, 30)
    t.ok(items.every((u: { level: string, validTo: string }) => u.level === 'district' && u.validTo === '2025-06-30'))
    t.same(items.filter((u: { kind: string }) => u.kind === 'urban_district').length, 12)
    t.same(items.filter((u: { kind: string }) => u.kind === 'town').map((u: { name: string }) => u.name), ['Sơn Tây'])
    t.same(items.filter((u: { kind: string }) => u.kind === 'rural_district').length, 17)
  })

  t.test('filters units by the date they were valid on', async (t) => {
    const before = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2013-06-01' })
    t.equal(before.json().items.length, 28, 'Nam Từ Liêm and Bắc Từ Liêm did not exist yet')
    const after = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2025-07-01' })
    t.same(after.json().items, [], 'the district level ended on 2025-06-30')
    const last = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2025-06-30&kind=town' })
    t.same(last.json().items.map((u: { code: string }) => u.code), ['269'])
  })

  t.test('commune-level units can be added beside the districts', async (t) => {
    await db.query("INSERT INTO admin_units (code, name, name_en, kind, level, valid_from) VALUES ('09955', 'Bát Tràng', 'Bat Trang Commune', 'commune', 'commune', '2025-07-01')")
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2025-07-01' })
    t.same(res.json().items, [{ code: '09955', name: 'Bát Tràng', nameEn: 'Bat Trang Commune', kind: 'commune', level: 'commune', validFrom: '2025-07-01', validTo: null }])
  })

  t.test('reads one unit, and answers 404 for an unknown code', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units/281' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { code: '281', name: 'Ứng Hòa', nameEn: 'Ung Hoa District', kind: 'rural_district', level: 'district', validFrom: '2008-08-01', validTo: '2025-06-30' })
    const missing = await app.inject({ method: 'GET', url: '/v1/admin-units/999' })
    t.equal(missing.statusCode, 404)
    t.match(missing.json(), { type: '/problems/not-found', detail: 'Không có đơn vị hành chính 999' })
    const bad = await app.inject({ method: 'GET', url: '/v1/admin-units/abc' })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().errors, [{ in: 'path', pointer: '/code' }])
  })

  t.test('lists the QD148-2023 taxonomy by default, mapped to QD1048-2019', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/product-groups' })
    t.equal(res.statusCode, 200)
    const { items } = res.json() as { items: { code: string, level: number, parentCode: string | null, mapsTo: { code: string }[] }[] }
    t.equal(items.filter((g) => g.level === 1).length, 6)
    const byCode = new Map(items.map((g) => [g.code, g]))
    t.same(byCode.get('4.2')?.mapsTo, [{ criteriaSet: 'QD1048-2019', code: 'cloth' }], 'textiles fold into handicrafts under 148')
    t.same(byCode.get('4.1')?.mapsTo, [{ criteriaSet: 'QD1048-2019', code: 'keepsake' }])
    t.same(byCode.get('5')?.mapsTo, [], 'ornamental plants and animals are new in 148')
    t.equal(byCode.get('1.3')?.parentCode, '1')
  })

  t.test('lists the QD1048-2019 taxonomy: 6 groups and 26 product sets', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/product-groups?criteriaSet=QD1048-2019' })
    const { items } = res.json() as { items: { code: string, level: number, mapsTo: { code: string }[] }[] }
    t.same(items.filter((g) => g.level === 1).map((g) => g.code), ['food', 'drink', 'herbs', 'cloth', 'keepsake', 'travel'])
    t.equal(items.filter((g) => g.level === 2).length, 26)
    t.same(items.find((g) => g.code === 'cloth')?.mapsTo, [{ criteriaSet: 'QD148-2023', code: '4.2' }])
  })

  t.test('refuses an unknown criteria set', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/product-groups?criteriaSet=QD999' })
    t.equal(res.statusCode, 400)
    t.match(res.json().errors, [{ in: 'query', pointer: '/criteriaSet' }])
  })
})

t.test('admins add the commune-level units; records made under them are found from the old district', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = { authorization: `Bearer ${(await makeKey(db, 'admin')).token}` }
  const operator = { authorization: `Bearer ${(await makeKey(db, 'operator')).token}` }
  const commune = { code: '09955', name: 'Bát Tràng', nameEn: 'Bat Trang Commune', kind: 'commune', level: 'commune', validFrom: '2025-07-01', formerCodes: ['018'] }
  t.equal((await app.inject({ method: 'POST', url: '/v1/admin-units', headers: operator, payload: commune })).statusCode, 403)
  for (const [change, pointer] of [[{ kind: 'rural_district' }, '/kind'], [{ validTo: '2025-01-01' }, '/validTo'], [{ formerCodes: ['018', '99999'] }, '/formerCodes/1']] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/admin-units', headers: admin, payload: { ...commune, ...change } })
    t.equal(res.statusCode, 422)
    t.equal(res.json().errors[0].pointer, pointer)
  }
  const created = await app.inject({ method: 'POST', url: '/v1/admin-units', headers: admin, payload: commune })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { code: '09955', name: 'Bát Tràng', nameEn: 'Bat Trang Commune', kind: 'commune', level: 'commune', validFrom: '2025-07-01', validTo: null })
  t.equal(created.headers.location, '/v1/admin-units/09955')
  t.equal((await app.inject({ method: 'POST', url: '/v1/admin-units', headers: admin, payload: commune })).statusCode, 409, 'a code once')

  // A producer registered today, in the new commune: found by a filter on the former district.
  const producer = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { name: 'HTX Gốm Bát Tràng mới', type: 'cooperative', address: 'Bát Tràng', adminUnitCode: '09955' } })
  t.equal(producer.statusCode, 201)
  const found = (await app.inject({ url: '/v1/producers?adminUnit=018&limit=100' })).json().items.map((p: { id: string }) => p.id)
  t.ok(found.includes(producer.json().id))
})
