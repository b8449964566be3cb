import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('partners, fairs, booths and MOUs: the rules', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const post = (url: string, payload: Record<string, unknown>, headers = admin) => app.inject({ method: 'POST', url, headers, payload })
  const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n
  const producer = await makeProducer(db, { registeredOn: '2019-03-01' })
  const other = await makeProducer(db, { registeredOn: '2019-03-01' })
  const own = await makeProduct(db, { producerId: producer.id, status: 'active' })
  const foreign = await makeProduct(db, { producerId: other.id, status: 'active' })

  const partner = await post('/v1/distribution-partners', { name: 'BRG Mart', kind: 'supermarket_chain', taxCode: '0100100953', phone: '024 3939 3939' })
  t.equal(partner.statusCode, 201)
  t.match(partner.json(), { country: 'VN', taxCode: '0100100953', phone: '02439393939' })
  t.equal((await post('/v1/distribution-partners', { name: 'Trùng mã', kind: 'distributor', taxCode: '0100100953' })).statusCode, 409, 'a tax code once per country')
  t.equal((await post('/v1/distribution-partners', { name: 'Aeon Japan', kind: 'exporter', country: 'JP', taxCode: 'T1234567890123' })).statusCode, 201, 'foreign tax codes as given')
  const partnerId = partner.json().id

  const fairBody = { name: 'Hội chợ OCOP Hà Nội 2020', kind: 'ocop_fair', organiser: 'Sở NN&PTNT Hà Nội', address: '91 Trần Hưng Đạo, Hoàn Kiếm', adminUnitCode: '002', startsOn: '2020-12-25', endsOn: '2020-12-27', regions: ['red_river_delta'] }
  t.test('fair dates and place', async (t) => {
    const bad = { ...fairBody, name: 'Hội chợ không hợp lệ' }
    const backwards = await post('/v1/fairs', { ...bad, endsOn: '2020-12-24' })
    t.equal(backwards.statusCode, 422)
    t.equal(backwards.json().errors[0].pointer, '/endsOn')
    const nowhere = await post('/v1/fairs', { ...bad, address: undefined })
    t.equal(nowhere.statusCode, 422)
    t.equal(nowhere.json().errors[0].pointer, '/address')
    const abolished = await post('/v1/fairs', { ...bad, startsOn: '2026-01-10', endsOn: '2026-01-12' })
    t.equal(abolished.statusCode, 422, 'Hoàn Kiếm district no longer exists in 2026')
    t.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fairs WHERE name = $1', [bad.name]))[0]!.n, 0, 'nothing saved')
  })

  const fair = (await post('/v1/fairs', fairBody)).json()
  t.test('booths: one producer per number, the producer\'s own products', async (t) => {
    const booth = await post(`/v1/fairs/${fair.id}/booths`, { number: 'A12', producerId: producer.id, productIds: [own.id] })
    t.equal(booth.statusCode, 201)
    t.equal(booth.headers.location, `/v1/fairs/${fair.id}/booths`, 'Location: the booths of the fair')
    t.match(booth.json(), { number: 'A12', producerId: producer.id, productIds: [own.id] })
    const taken = await post(`/v1/fairs/${fair.id}/booths`, { number: 'A12', producerId: other.id })
    t.equal(taken.statusCode, 409)
    t.equal(taken.json().errors[0].pointer, '/number')
    const wrong = await post(`/v1/fairs/${fair.id}/booths`, { number: 'A13', producerId: producer.id, productIds: [own.id, foreign.id] })
    t.equal(wrong.statusCode, 422)
    t.same(wrong.json().errors, [{ in: 'body', pointer: '/productIds/1', detail: `sản phẩm ${foreign.id} thuộc chủ thể khác` }])
    t.equal(await count('booths'), 1)
    t.equal((await post(`/v1/fairs/${fair.id}/booths`, { number: 'A14', producerId: producer.id })).statusCode, 201, 'a producer may have two booths')
  })

  const mouBody = { producerId: producer.id, partnerId, fairId: fair.id, signedOn: '2020-12-26', termStart: '2021-01-01', termEnd: '2022-12-31', valueVnd: 1_500_000_000, market: 'domestic', productIds: [own.id], witness: 'Sở Công Thương Hà Nội' }
  t.test('MOU date rules and products', async (t) => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['signed before the fair', { signedOn: '2020-12-24' }, '/signedOn'],
      ['signed after the fair', { signedOn: '2020-12-28' }, '/signedOn'],
      ['a term starting before the signing', { termStart: '2020-12-01' }, '/termStart'],
      ['a term ending before it starts', { termEnd: '2020-12-31' }, '/termEnd'],
      ['a product of another producer', { productIds: [foreign.id] }, '/productIds/0'],
      ['an export MOU without countries', { market: 'export' }, '/exportCountries'],
      ['a domestic MOU with countries', { exportCountries: ['JP'] }, '/exportCountries'],
      ['an unknown partner', { partnerId: '00000000-0000-4000-8000-000000000000' }, '/partnerId']
    ]
    for (const [what, change, pointer] of cases) {
      const res = await post('/v1/mous', { ...mouBody, ...change })
      t.equal(res.statusCode, 422, what)
      t.equal(res.json().errors[0].pointer, pointer, what)
    }
    t.equal(await count('mous'), 0, 'nothing saved')
    const withoutFair = await post('/v1/mous', { ...mouBody, fairId: null, signedOn: '2021-03-03', termStart: '2021-03-03' })
    t.equal(withoutFair.statusCode, 201, 'an MOU signed outside any fair')
  })

  t.test('MOU status machine', async (t) => {
    const mou = (await post('/v1/mous', { ...mouBody, termEnd: '2030-12-31' })).json()
    t.match(mou, { status: 'signed', recordedStatus: 'signed' })
    const status = (body: Record<string, unknown>) => post(`/v1/mous/${mou.id}/status`, body)
    const early = await status({ status: 'fulfilled' })
    t.equal(early.statusCode, 409, 'signed → fulfilled skips in_effect')
    t.match(early.json().detail, /có thể chuyển sang in_effect, expired, terminated/)
    t.equal((await status({ status: 'in_effect', on: '2020-12-01' })).statusCode, 422, 'not before signing')
    t.match((await status({ status: 'in_effect', on: '2021-01-01' })).json(), { status: 'in_effect', statusChangedOn: '2021-01-01' })
    t.equal((await status({ status: 'terminated' })).statusCode, 422, 'a termination needs a reason')
    t.match((await status({ status: 'fulfilled' })).json(), { status: 'fulfilled' })
    t.equal((await status({ status: 'terminated', reason: 'x' })).statusCode, 409, 'fulfilled is final')
    const audit = await db.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY at, id', [mou.id])
    t.same(audit.map((a) => a.action), ['create', 'status in_effect', 'status fulfilled'])

    const ended = (await post('/v1/mous', mouBody)).json()
    t.match(ended, { status: 'expired', recordedStatus: 'signed' }, 'a term that ended in 2022 reads expired today')
    t.ok((await app.inject({ url: '/v1/mous?status=expired' })).json().items.some((m: { id: string }) => m.id === ended.id))
    const terminated = await post(`/v1/mous/${ended.id}/status`, { status: 'terminated', reason: 'Đối tác ngừng kinh doanh', on: '2022-06-01' })
    t.match(terminated.json(), { status: 'terminated', statusReason: 'Đối tác ngừng kinh doanh' }, 'a recorded termination stands')
  })

  t.test('fair status machine; new dates keep its MOUs inside', async (t) => {
    const patch = (body: Record<string, unknown>) => app.inject({ method: 'PATCH', url: `/v1/fairs/${fair.id}`, headers: admin, payload: body })
    t.equal((await patch({ status: 'closed' })).statusCode, 409, 'planned → closed skips open')
    t.equal((await patch({ status: 'open' })).statusCode, 200)
    t.equal((await patch({ endsOn: '2020-12-25' })).statusCode, 409, 'an MOU was signed on the 26th')
    t.equal((await patch({ status: 'closed' })).statusCode, 200)
    t.equal((await patch({ status: 'open' })).statusCode, 409, 'closed is final')
    t.equal((await post(`/v1/fairs/${fair.id}/booths`, { number: 'B1', producerId: producer.id })).statusCode, 409, 'no new booth at a closed fair')
  })

  t.test('operators write within their units', async (t) => {
    const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
    t.equal((await post('/v1/mous', { ...mouBody, fairId: null, signedOn: '2021-03-03', termStart: '2021-03-03' }, elsewhere)).statusCode, 403)
    t.equal((await post('/v1/fairs', fairBody, elsewhere)).statusCode, 403)
  })
})
