import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const VALID = { nameVi: 'Ít nhất 40 điểm bán', nameEn: 'At least 40 points of sale', source: 'Kế hoạch thử', from: '2027-01-01', to: '2027-12-31', measure: 'venues-open', venueType: 'point_of_sale', number: 40 }

t.test('the published targets are shipped, and everyone reads them with their progress', async (t) => {
  const { app } = await buildTestApp(t, { clock: fixedClock('2026-11-30T03:00:00Z') })
  const res = await app.inject({ url: '/v1/targets' })
  t.equal(res.statusCode, 200)
  const items = res.json().items
  t.same(items.map((i: { measure: string, from: string, to: string, minStar: number | null, number: number }) => [i.measure, i.from, i.to, i.minStar, i.number]), [
    ['products-in-force', '2019-01-01', '2020-12-31', 3, 500],
    ['mous-signed', '2020-01-01', '2020-12-31', null, 500],
    ['products-newly-recognised', '2021-01-01', '2025-12-31', 3, 2000],
    ['evaluations-decided', '2021-01-01', '2025-12-31', null, 2000]
  ], 'by the period\'s last day, then its first')
  t.ok(items.every((i: { source: string, progress: { on: string, ended: boolean } }) => i.source.length > 20 && i.progress.on === '2026-11-30' && i.progress.ended), 'each with its source and its progress today')
  const csv = await app.inject({ url: '/v1/targets?on=2020-12-31', headers: { accept: 'text/csv' } })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv/)
  const [header, ...rows] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
  t.match(header, /^id,nameVi,nameEn,source,from,to,measure,minStar,.*progress\.value,progress\.number,progress\.share,progress\.reached,progress\.met$/)
  t.equal(rows.length, 4)
  const one = await app.inject({ url: `/v1/targets/${items[0].id}/progress?on=2020-06-30`, headers: { accept: 'text/csv' } })
  t.same(one.body.replace(/^\uFEFF/, '').trim().split('\r\n'), ['targetId,on,measuredOn,started,ended,value,number,share,reached,met', `${items[0].id},2020-06-30,2020-06-30,true,false,0,500,0,false,`])
})

t.test('admins set and change targets, audited, under If-Match; others may not', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const operator = bearer((await makeKey(db, 'operator')).token)
  t.equal((await app.inject({ method: 'POST', url: '/v1/targets', payload: VALID })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/v1/targets', headers: operator, payload: VALID })).statusCode, 403)
  const created = await app.inject({ method: 'POST', url: '/v1/targets', headers: admin, payload: VALID })
  t.equal(created.statusCode, 201)
  const target = created.json()
  t.equal(created.headers.location, `/v1/targets/${target.id}`)
  t.match(target, { ...VALID, minStar: null, adminUnitCode: null, adminUnitList: null, productGroup: null })
  const read = await app.inject({ url: `/v1/targets/${target.id}` })
  t.same(read.json(), target)
  const etag = read.headers.etag as string

  const stale = await app.inject({ method: 'PATCH', url: `/v1/targets/${target.id}`, headers: { ...admin, 'if-match': '"stale"' }, payload: { number: 45 } })
  t.equal(stale.statusCode, 412)
  const changed = await app.inject({ method: 'PATCH', url: `/v1/targets/${target.id}`, headers: { ...admin, 'if-match': etag }, payload: { number: 45, venueType: null } })
  t.equal(changed.statusCode, 200)
  t.match(changed.json(), { number: 45, venueType: null })
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/targets/${target.id}`, headers: operator, payload: { number: 50 } })).statusCode, 403)
  const audit = await db.query<{ action: string, changes: Record<string, unknown> }>("SELECT action, changes FROM audit_log WHERE entity = 'target' AND entity_id = $1 ORDER BY id", [target.id])
  t.same(audit.map((a) => a.action), ['create', 'update'])
  t.same(audit[1]!.changes, { number: { old: 40, new: 45 }, venueType: { old: 'point_of_sale', new: null } })

  const broken = await app.inject({ method: 'PATCH', url: `/v1/targets/${target.id}`, headers: admin, payload: { measure: 'products-in-force' } })
  t.equal(broken.statusCode, 422, 'a change is checked as a new target: a product measure needs a star')
  t.same(broken.json().errors.map((e: { pointer: string }) => e.pointer), ['/minStar'])
  t.match((await app.inject({ url: `/v1/targets/${target.id}` })).json(), { measure: 'venues-open', number: 45 }, 'and changed nothing')
  t.equal((await app.inject({ url: '/v1/targets/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' })).statusCode, 404)
  t.equal((await app.inject({ url: '/v1/targets/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/progress' })).statusCode, 404)
})

t.test('a target that does not hold is refused with a 422 naming the field, and nothing is saved', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM targets'))[0]!.n
  const before = await count()
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['an unknown measure', { measure: 'stars-sold' }, ['/measure']],
    ['a period that ends before it starts', { from: '2027-06-01', to: '2027-05-31' }, ['/to']],
    ['a star above 5', { measure: 'products-in-force', minStar: 6, venueType: undefined }, ['/minStar']],
    ['a star below 3', { measure: 'products-newly-recognised', minStar: 2, venueType: undefined }, ['/minStar']],
    ['a product measure without a star', { measure: 'products-in-force', venueType: undefined }, ['/minStar']],
    ['a star with another measure', { minStar: 4 }, ['/minStar']],
    ['a venue type with another measure', { measure: 'mous-signed' }, ['/venueType']],
    ['an unknown venue type', { venueType: 'kiosk' }, ['/venueType']],
    ['a product group with venues', { productGroup: '4' }, ['/productGroup']],
    ['a product group that is not one', { measure: 'mous-signed', venueType: undefined, productGroup: '9' }, ['/productGroup']],
    ['a unit that ended before the period (Gia Lâm, a district until 2025-06-30)', { adminUnitCode: '018', adminUnitList: 'QD124-2004' }, ['/adminUnitCode']],
    ['a unit that does not exist', { adminUnitCode: '99999', adminUnitList: 'QD19-2025' }, ['/adminUnitCode']],
    ['several at once', { measure: 'products-in-force', venueType: undefined, minStar: 7, from: '2028-01-01' }, ['/to', '/minStar']]
  ]
  for (const [what, change, pointers] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v1/targets', headers: admin, payload: { ...VALID, ...change } })
    t.equal(res.statusCode, 422, what)
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.same(res.json().errors.map((e: { pointer: string }) => e.pointer), pointers, what)
  }
  t.equal(await count(), before, 'nothing saved')
  const district = await app.inject({ method: 'POST', url: '/v1/targets', headers: admin, payload: { ...VALID, from: '2024-01-01', to: '2026-12-31', adminUnitCode: '018', adminUnitList: 'QD124-2004' } })
  t.equal(district.statusCode, 201, 'a unit valid during part of the period is accepted')
})

t.test('progress before the period: the value so far, not started', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const { id } = (await app.inject({ method: 'POST', url: '/v1/targets', headers: admin, payload: VALID })).json()
  const early = await app.inject({ url: `/v1/targets/${id}/progress?on=2026-06-01` })
  t.equal(early.statusCode, 200)
  t.same(early.json(), { on: '2026-06-01', measuredOn: '2026-06-01', started: false, ended: false, value: 0, number: 40, share: 0, reached: false, met: null })
  t.equal((await app.inject({ url: `/v1/targets/${id}/progress?on=2026-13-01` })).statusCode, 400, 'not a date')
})
