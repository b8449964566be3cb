import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeKey } from '../../helpers/keys.ts'

t.test('reference data endpoints', async (t) => {
  const { app } = await buildTestApp(t)

  t.test('lists the 30 districts of the old list, valid until 2025-06-30', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units?list=QD124-2004' })
    t.equal(res.statusCode, 200)
    const { items } = res.json()
    t.equal(items.length, 30)
    t.ok(items.every((u: { level: string, validTo: string, list: string }) => u.list === 'QD124-2004' && u.level === 'district' && u.validTo === '2025-06-30'))
    t.same(items.filter((u: { kind: string }) => u.kind === 'urban_district').length, 12)
    t.same(items.filter((u: { kind: string }) => u.kind === 'town').map((u: { name: string }) => u.name), ['Sơn Tây'])
    t.same(items.filter((u: { kind: string }) => u.kind === 'rural_district').length, 17)
  })

  t.test('lists the 126 units of 2025-07-01 (51 wards, 75 communes); every former district went to at least one', async (t) => {
    const { items } = (await app.inject({ method: 'GET', url: '/v1/admin-units?list=QD19-2025' })).json() as { items: { code: string, name: string, kind: string, validFrom: string, validTo: null, formerUnits: { list: string, code: string }[] }[] }
    t.equal(items.length, 126)
    t.equal(items.filter((u) => u.kind === 'ward').length, 51)
    t.equal(items.filter((u) => u.kind === 'commune').length, 75)
    t.ok(items.every((u) => u.validFrom === '2025-07-01' && u.validTo === null && u.code.length === 5 && u.formerUnits.length > 0))
    const districts = (await app.inject({ url: '/v1/admin-units?list=QD124-2004' })).json().items as { code: string, successorUnits: unknown[] }[]
    t.ok(districts.every((d) => d.successorUnits.length > 0), 'every former district maps to at least one new unit')
    const batTrang = items.find((u) => u.code === '00577')!
    t.same(batTrang.formerUnits, [{ list: 'QD124-2004', code: '004', name: 'Long Biên' }, { list: 'QD124-2004', code: '018', name: 'Gia Lâm' }])
    t.same(items.find((u) => u.code === '10015')?.kind, 'ward', 'Chương Mỹ is a ward (SOURCES.md)')
  })

  t.test('filters units by the date they were valid on', async (t) => {
    const before = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2013-06-01' })
    t.equal(before.json().items.length, 28, 'Nam Từ Liêm and Bắc Từ Liêm did not exist yet')
    const after = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2025-07-01&level=district' })
    t.same(after.json().items, [], 'the district level ended on 2025-06-30')
    t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2025-07-01' })).json().items.length, 126)
    const last = await app.inject({ method: 'GET', url: '/v1/admin-units?validOn=2025-06-30&kind=town' })
    t.same(last.json().items.map((u: { code: string }) => u.code), ['269'])
  })

  t.test('reads one unit, and answers 404 for an unknown code', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units/281' })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { list: 'QD124-2004', code: '281', name: 'Ứng Hòa', nameEn: 'Ung Hoa District', kind: 'rural_district', level: 'district', validFrom: '2008-08-01', validTo: '2025-06-30', formerUnits: [], successorUnits: [{ list: 'QD19-2025', code: '10354', name: 'Vân Đình' }, { list: 'QD19-2025', code: '10369', name: 'Ứng Thiên' }, { list: 'QD19-2025', code: '10402', name: 'Ứng Hòa' }, { list: 'QD19-2025', code: '10417', name: 'Hòa Xá' }] })
    const missing = await app.inject({ method: 'GET', url: '/v1/admin-units/999' })
    t.equal(missing.statusCode, 404)
    t.match(missing.json(), { type: '/problems/not-found', detail: 'Không có đơn vị hành chính 999' })
    t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units/281?list=QD19-2025' })).statusCode, 404, 'not in the new list')
    const bad = await app.inject({ method: 'GET', url: '/v1/admin-units/abc' })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().errors, [{ in: 'path', pointer: '/code' }])
  })

  t.test('the code lists, and the 34 provinces with the 63 they replaced', async (t) => {
    t.same((await app.inject({ url: '/v1/unit-lists' })).json().items.map((l: { key: string, validTo: string | null }) => [l.key, l.validTo]), [['QD124-2004', '2025-06-30'], ['QD19-2025', null]])
    const fresh = (await app.inject({ url: '/v1/provinces?list=QD19-2025' })).json().items as { code: string, name: string, formerProvinces: { code: string }[] }[]
    t.equal(fresh.length, 34)
    t.equal(fresh.filter((p) => p.formerProvinces.length === 1).length, 11, 'eleven kept their territory')
    const old = (await app.inject({ url: '/v1/provinces?validOn=2025-06-30' })).json().items as { list: string, successorProvinces: unknown[] }[]
    t.equal(old.length, 63)
    t.ok(old.every((p) => p.list === 'QD124-2004' && p.successorProvinces.length === 1), 'each old province went into exactly one new one')
    // Code 15 is in both lists: Yên Bái until 2025-06-30, Lào Cai from 2025-07-01.
    const ambiguous = await app.inject({ url: '/v1/provinces/15' })
    t.equal(ambiguous.statusCode, 422)
    t.match(ambiguous.json().errors, [{ in: 'query', pointer: '/list' }])
    t.equal((await app.inject({ url: '/v1/provinces/15?list=QD124-2004' })).json().name, 'Yên Bái')
    t.match((await app.inject({ url: '/v1/provinces/99' })).json(), { status: 404, type: '/problems/not-found' })
    t.equal((await app.inject({ url: '/v1/provinces/02?list=QD19-2025' })).statusCode, 404, 'Hà Giang is not in the new list')
    t.match((await app.inject({ url: '/v1/provinces/15?list=QD1-1999' })).json(), { status: 404 }, 'nor in a list that does not exist')
    t.match((await app.inject({ url: '/v1/provinces/15?list=QD19-2025' })).json(), { name: 'Lào Cai', formerProvinces: [{ code: '10', name: 'Lào Cai' }, { code: '15', name: 'Yên Bái' }] })
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

t.test('admins add a later unit; records made under it are found from the unit it came from', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = { authorization: `Bearer ${(await makeKey(db, 'admin')).token}` }
  const operator = { authorization: `Bearer ${(await makeKey(db, 'operator')).token}` }
  const commune = { code: '10999', name: 'Thử nghiệm', nameEn: 'Thu Nghiem Commune', kind: 'commune', level: 'commune', validFrom: '2026-07-01', formerCodes: ['00577'] }
  t.equal((await app.inject({ method: 'POST', url: '/v1/admin-units', headers: operator, payload: commune })).statusCode, 403)
  for (const [change, pointer] of [[{ kind: 'rural_district' }, '/kind'], [{ validTo: '2025-01-01' }, '/validTo'], [{ formerCodes: ['00577', '018'] }, '/formerCodes/1'], [{ list: 'QD1-1999' }, '/list']] as const) {
    const res = await app.inject({ method: 'POST', url: '/v1/admin-units', headers: admin, payload: { ...commune, ...change } })
    t.equal(res.statusCode, 422, JSON.stringify(change))
    t.equal(res.json().errors[0].pointer, pointer)
  }
  const created = await app.inject({ method: 'POST', url: '/v1/admin-units', headers: admin, payload: commune })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { list: 'QD19-2025', code: '10999', name: 'Thử nghiệm', nameEn: 'Thu Nghiem Commune', kind: 'commune', level: 'commune', validFrom: '2026-07-01', validTo: null, formerUnits: [{ list: 'QD19-2025', code: '00577', name: 'Bát Tràng' }], successorUnits: [] })
  t.equal(created.headers.location, '/v1/admin-units/10999?list=QD19-2025')
  t.equal((await app.inject({ method: 'POST', url: '/v1/admin-units', headers: admin, payload: commune })).statusCode, 409, 'a code once per list')

  // A producer registered in the new unit: found by a filter on the unit it came from.
  const producer = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { name: 'HTX Gốm mới', type: 'cooperative', address: 'Bát Tràng', adminUnitCode: '10999', registeredOn: '2026-07-02' } })
  t.equal(producer.statusCode, 201)
  const found = (await app.inject({ url: '/v1/producers?adminUnit=00577&limit=100' })).json().items.map((p: { id: string }) => p.id)
  t.ok(found.includes(producer.json().id))
})
