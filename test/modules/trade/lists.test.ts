import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProducer, makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

/** Follows `nextCursor` from the first page to the last; every item of every page, in order. */
async function walk (get: (url: string) => Promise<LightMyRequestResponse>, url: string): Promise<{ id: string, name: string }[]> {
  const items: { id: string, name: string }[] = []
  let cursor: string | null = null
  do {
    const res = await get(`${url}${url.includes('?') ? '&' : '?'}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    items.push(...res.json().items)
    cursor = res.json().nextCursor
  } while (cursor)
  return items
}

t.test('distribution partners: read, change, filter, page', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const get = (url: string) => app.inject({ method: 'GET', url })
  const made: Record<string, string> = {}
  for (const [name, kind, country, taxCode] of ([
    ['BRG Mart', 'supermarket_chain', 'VN', '0100100953'],
    ['Hapro', 'distributor', 'VN', '0100101308'],
    ['Sendo', 'ecommerce_platform', 'VN', '0312467852'],
    ['Bách hoá Xanh', 'supermarket_chain', 'VN', '0310471746'],
    ['Aeon Japan', 'exporter', 'JP', 'T1234567890123']
  ] as [string, string, string, string][])) {
    const res = await app.inject({ method: 'POST', url: '/v1/distribution-partners', headers: admin, payload: { name, kind, country, taxCode } })
    t.equal(res.statusCode, 201, name)
    made[name] = res.json().id
  }

  const read = await get(`/v1/distribution-partners/${made['Hapro']}`)
  t.equal(read.statusCode, 200, 'anyone reads a partner')
  t.match(read.json(), { name: 'Hapro', kind: 'distributor', country: 'VN', taxCode: '0100101308' })
  const missing = await get('/v1/distribution-partners/00000000-0000-4000-8000-000000000000')
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')

  const patched = await app.inject({ method: 'PATCH', url: `/v1/distribution-partners/${made['Hapro']}`, headers: admin, payload: { phone: '024 3826 7518', kind: 'supermarket_chain' } })
  t.equal(patched.statusCode, 200)
  t.match(patched.json(), { kind: 'supermarket_chain', phone: '02438267518' }, 'a Vietnamese phone number stored in national form')
  const clash = await app.inject({ method: 'PATCH', url: `/v1/distribution-partners/${made['Hapro']}`, headers: admin, payload: { taxCode: '0100100953' } })
  t.equal(clash.statusCode, 409, 'another partner\'s tax code')
  const [row] = await db.query<{ tax_code: string, kind: string }>('SELECT tax_code, kind FROM distribution_partners WHERE id = $1', [made['Hapro']])
  t.same(row, { tax_code: '0100101308', kind: 'supermarket_chain' }, 'the refused change saved nothing')

  const names = async (query: string) => (await walk(get, `/v1/distribution-partners${query}`)).map((p) => p.name)
  t.same((await names('?kind=supermarket_chain')).sort(), ['BRG Mart', 'Bách hoá Xanh', 'Hapro'])
  t.same(await names('?country=JP'), ['Aeon Japan'])
  t.same(await names('?q=bach%20hoa'), ['Bách hoá Xanh'], 'a name without its diacritics')
  const all = await walk(get, '/v1/distribution-partners')
  const expected = await db.query<{ id: string }>('SELECT id FROM distribution_partners ORDER BY name, id')
  t.same(all.map((p) => p.id), expected.map((p) => p.id), 'pages of two cover every partner once, by name')
  t.equal((await get('/v1/distribution-partners?country=vn')).statusCode, 400, 'a country code in capitals')
})

t.test('fairs: place, filters, pages and booths', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const get = (url: string) => app.inject({ method: 'GET', url })
  const post = (url: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: admin, payload })
  const base = { kind: 'ocop_fair', organiser: 'Sở NN&PTNT Hà Nội', address: '91 Trần Hưng Đạo', adminUnitCode: '002', regions: ['red_river_delta'] }

  const nowhere = await post('/v1/fairs', { ...base, name: 'Không có nơi', address: undefined, venueId: '00000000-0000-4000-8000-000000000000', startsOn: '2020-05-01', endsOn: '2020-05-02' })
  t.equal(nowhere.statusCode, 422)
  t.same(nowhere.json().errors, [{ in: 'body', pointer: '/venueId', detail: 'không phải là điểm giới thiệu và bán sản phẩm nào' }])
  const venue = await makeVenue(db, { status: 'open' })
  const atVenue = await post('/v1/fairs', { ...base, name: 'Tuần hàng OCOP tại điểm bán', kind: 'regional_trade_promotion', address: undefined, venueId: venue.id, adminUnitCode: '018', startsOn: '2024-03-01', endsOn: '2024-03-03' })
  t.equal(atVenue.statusCode, 201, 'a fair at a venue needs no address')
  t.match(atVenue.json(), { venueId: venue.id, address: null })

  for (const [name, startsOn, endsOn, kind] of ([
    ['Hội chợ OCOP 2019', '2019-12-20', '2019-12-22', 'ocop_fair'],
    ['Hội chợ OCOP 2020', '2020-12-25', '2020-12-27', 'ocop_fair'],
    ['Lễ hội làng nghề 2021', '2021-10-01', '2021-10-05', 'agri_craft_festival'],
    ['Hội thảo OCOP 2022', '2022-06-10', '2022-06-10', 'seminar']
  ] as [string, string, string, string][])) t.equal((await post('/v1/fairs', { ...base, name, startsOn, endsOn, kind })).statusCode, 201, name)

  const names = async (query: string) => (await walk(get, `/v1/fairs${query}`)).map((f) => f.name)
  t.same(await names(''), ['Hội chợ OCOP 2019', 'Hội chợ OCOP 2020', 'Lễ hội làng nghề 2021', 'Hội thảo OCOP 2022', 'Tuần hàng OCOP tại điểm bán'], 'pages of two, by start date')
  t.same(await names('?kind=ocop_fair'), ['Hội chợ OCOP 2019', 'Hội chợ OCOP 2020'])
  t.same(await names('?from=2020-12-27&to=2021-12-31'), ['Hội chợ OCOP 2020', 'Lễ hội làng nghề 2021'], 'fairs overlapping the period')
  t.same(await names('?adminUnit=018'), ['Tuần hàng OCOP tại điểm bán'])
  t.same(await names('?status=open'), [])
  t.equal((await get('/v1/fairs?from=2020-02-30')).statusCode, 400, 'not a date')

  const fair = (await walk(get, '/v1/fairs?kind=seminar'))[0]!
  const moved = await app.inject({ method: 'PATCH', url: `/v1/fairs/${fair.id}`, headers: admin, payload: { endsOn: '2022-06-11', name: 'Hội thảo OCOP 2022 (hai ngày)' } })
  t.equal(moved.statusCode, 200)
  t.match(moved.json(), { startsOn: '2022-06-10', endsOn: '2022-06-11', name: 'Hội thảo OCOP 2022 (hai ngày)' })

  const first = await makeProducer(db, { registeredOn: '2019-03-01' })
  const second = await makeProducer(db, { registeredOn: '2019-03-01' })
  for (const [number, producerId] of ([['B2', first.id], ['A1', second.id], ['A10', first.id]] as [string, string][])) {
    t.equal((await post(`/v1/fairs/${fair.id}/booths`, { number, producerId })).statusCode, 201, number)
  }
  const booths = await get(`/v1/fairs/${fair.id}/booths`)
  t.equal(booths.statusCode, 200)
  t.same(booths.json().items.map((b: { number: string, producerId: string, productIds: string[] }) => [b.number, b.producerId, b.productIds]),
    [['A1', second.id, []], ['A10', first.id, []], ['B2', first.id, []]], 'by number')
  t.equal((await get('/v1/fairs/00000000-0000-4000-8000-000000000000/booths')).statusCode, 404)
})
