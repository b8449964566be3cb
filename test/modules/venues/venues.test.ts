import { check } from '@placemarkio/check-geojson'
import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

// Great-circle distance on the sphere earthdistance uses (radius 6,378,168 m), written independently.
const EARTH_KM = 6378.168
function haversineKm (a: [number, number], b: [number, number]) {
  const rad = (d: number) => d * Math.PI / 180
  const [lat1, lng1] = a.map(rad) as [number, number]
  const [lat2, lng2] = b.map(rad) as [number, number]
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lng2 - lng1) / 2) ** 2
  return 2 * EARTH_KM * Math.asin(Math.sqrt(h))
}

t.test('venues', async (t) => {
  // Monday 23 November 2026, 10:00 in Hanoi.
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const operator = bearer((await makeKey(db, 'operator', { adminUnits: ['018'] })).token)
  const valid = {
    name: 'Trung tâm OCOP Bát Tràng',
    type: 'design_centre',
    locationKind: 'craft_village_area',
    address: 'Thôn 5, Bát Tràng, Gia Lâm',
    adminUnitCode: '018',
    latitude: 20.9758,
    longitude: 105.9127,
    status: 'open',
    openedOn: '2022-11-12',
    phone: '024 3876 5432',
    openingHours: { mon: [{ opens: '08:00', closes: '17:30' }], sat: [{ opens: '08:00', closes: '12:00' }, { opens: '13:30', closes: '24:00' }] }
  }
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM venues'))[0]!.n

  t.test('registers a venue with its point on the earth for nearby searches', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: valid })
    t.equal(res.statusCode, 201)
    const body = res.json()
    t.match(body, { name: valid.name, status: 'open', openedOn: '2022-11-12', phone: '02438765432', latitude: 20.9758, longitude: 105.9127, closedOn: null })
    t.same(body.openingHours, valid.openingHours)
    t.equal(res.headers.location, `/v1/venues/${body.id}`)
    const [row] = await db.query<{ located: boolean }>('SELECT location IS NOT NULL AS located FROM venues WHERE id = $1', [body.id])
    t.equal(row?.located, true, 'the trigger filled the location cube')
    const read = await app.inject({ url: `/v1/venues/${body.id}` })
    t.equal(read.statusCode, 200)
    t.same(read.json(), body)
  })

  t.test('a venue opened without a date opens today, in a unit valid today', async (t) => {
    const district = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: { ...valid, openedOn: undefined } })
    t.equal(district.statusCode, 422, 'Gia Lâm district was abolished on 1 July 2025')
    t.match(district.json().errors, [{ pointer: '/adminUnitCode', detail: 'không có trong danh mục QD19-2025' }])
    const open = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: { ...valid, openedOn: undefined, adminUnitCode: '00577' } })
    t.equal(open.statusCode, 201)
    t.match(open.json(), { openedOn: '2026-11-23', status: 'open', adminUnitCode: '00577' })
    const planned = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: { ...valid, status: undefined, openedOn: undefined } })
    t.match(planned.json(), { status: 'planned', openedOn: null }, 'a planned venue has no opening date yet')
    const elsewhere = await app.inject({ method: 'POST', url: '/v1/venues', headers: operator, payload: { ...valid, adminUnitCode: '00577' } })
    t.equal(elsewhere.statusCode, 403, 'an operator of Gia Lâm may not register a venue elsewhere')
  })

  const invalid: [string, Record<string, unknown>, number, string][] = [
    ['a latitude outside Hanoi (Ho Chi Minh City)', { latitude: 10.7769, longitude: 106.7009 }, 422, '/latitude'],
    ['a longitude outside Hanoi', { longitude: 106.5 }, 422, '/longitude'],
    ['a latitude outside WGS84', { latitude: 95 }, 400, '/latitude'],
    ['a latitude without its longitude', { longitude: undefined }, 400, '/longitude'],
    ['an interval that closes before it opens', { openingHours: { mon: [{ opens: '17:00', closes: '08:00' }] } }, 422, '/openingHours/mon/0'],
    ['an interval that closes when it opens', { openingHours: { tue: [{ opens: '08:00', closes: '08:00' }] } }, 422, '/openingHours/tue/0'],
    ['overlapping intervals', { openingHours: { sat: [{ opens: '13:00', closes: '18:00' }, { opens: '08:00', closes: '13:30' }] } }, 422, '/openingHours/sat/0'],
    ['a time that is not HH:MM', { openingHours: { mon: [{ opens: '8:00', closes: '17:00' }] } }, 400, '/openingHours/mon/0/opens'],
    ['an hour past 24', { openingHours: { mon: [{ opens: '08:00', closes: '25:00' }] } }, 400, '/openingHours/mon/0/closes'],
    ['an unknown weekday', { openingHours: { monday: [{ opens: '08:00', closes: '17:00' }] } }, 400, '/openingHours'],
    ['a unit not valid on the opening date', { openedOn: '2025-08-01' }, 422, '/adminUnitCode'],
    ['an unknown craft village', { craftVillageId: '00000000-0000-4000-8000-000000000000' }, 422, '/craftVillageId'],
    ['an unknown location kind', { locationKind: 'casino' }, 400, '/locationKind'],
    ['a closed status on creation', { status: 'closed' }, 400, '/status']
  ]
  for (const [what, change, status, pointer] of invalid) {
    t.test(`refuses ${what} with ${status} naming ${pointer}, and saves nothing`, async (t) => {
      const before = await count()
      const res = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: { ...valid, ...change } })
      t.equal(res.statusCode, status)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.ok(res.json().errors.some((e: { pointer: string }) => e.pointer === pointer), JSON.stringify(res.json().errors))
      t.equal(await count(), before)
    })
  }

  t.test('the bounding box error says how to record a venue outside Hanoi, and allowOutsideHanoi does', async (t) => {
    const far = { ...valid, name: 'Showroom OCOP Hà Nội tại TP.HCM', latitude: 10.7769, longitude: 106.7009 }
    const refused = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: far })
    t.match(refused.json().errors[0].detail, /nằm ngoài Hà Nội \(20\.53 đến 21\.42\); gửi "allowOutsideHanoi": true/)
    const allowed = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: { ...far, allowOutsideHanoi: true } })
    t.equal(allowed.statusCode, 201)
    t.notOk('allowOutsideHanoi' in allowed.json(), 'the flag is not stored')
  })

  t.test('planned venues are for staff; open and closed ones are public', async (t) => {
    const planned = await makeVenue(db, { status: 'planned', openedOn: undefined, name: 'Điểm bán dự kiến' })
    t.equal((await app.inject({ url: `/v1/venues/${planned.id}` })).statusCode, 404)
    t.equal((await app.inject({ url: `/v1/venues/${planned.id}`, headers: operator })).statusCode, 200)
    const names = async (headers = {}) => (await app.inject({ url: '/v1/venues?limit=100', headers })).json().items.map((v: { name: string }) => v.name)
    t.notOk((await names()).includes('Điểm bán dự kiến'))
    t.ok((await names(admin)).includes('Điểm bán dự kiến'))
    const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
    t.notOk((await names(elsewhere)).includes('Điểm bán dự kiến'), 'an operator of another unit does not see it')
  })

  t.test('a planned venue opens; an open one cannot go back; a closed one stays readable and no longer changes', async (t) => {
    const venue = await makeVenue(db, { status: 'planned', openedOn: undefined })
    const today = await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { status: 'open' } })
    t.equal(today.statusCode, 422, 'opening today checks the unit on today: Gia Lâm district no longer exists')
    const opened = await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { status: 'open', openedOn: '2025-05-19' } })
    t.equal(opened.statusCode, 200)
    t.match(opened.json(), { status: 'open', openedOn: '2025-05-19' })
    const back = await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { status: 'planned' } })
    t.equal(back.statusCode, 409)
    const early = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/close`, headers: admin, payload: { closedOn: '2025-05-18' } })
    t.equal(early.statusCode, 422)
    t.equal(early.json().errors[0].pointer, '/closedOn')
    const etag = (await app.inject({ url: `/v1/venues/${venue.id}` })).headers.etag as string
    const stale = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/close`, headers: { ...admin, 'if-match': '"stale"' }, payload: {} })
    t.equal(stale.statusCode, 412)
    const closed = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/close`, headers: { ...admin, 'if-match': etag }, payload: { reason: 'Hết hợp đồng thuê' } })
    t.equal(closed.statusCode, 200)
    t.match(closed.json(), { status: 'closed', closedOn: '2026-11-23', closureReason: 'Hết hợp đồng thuê', openedOn: '2025-05-19' })
    t.equal((await app.inject({ url: `/v1/venues/${venue.id}` })).json().status, 'closed', 'anonymous readers still see it')
    t.equal((await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { name: 'Tên mới' } })).statusCode, 409)
    t.equal((await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/close`, headers: admin, payload: {} })).statusCode, 409)
    const audit = await db.query<{ action: string }>('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY at, id', [venue.id])
    t.same(audit.map((a) => a.action), ['create', 'open', 'close'])
  })

  t.test('coordinates change together and are checked against the bounding box', async (t) => {
    const venue = await makeVenue(db)
    const one = await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { latitude: 21.0 } })
    t.equal(one.statusCode, 422)
    t.equal(one.json().errors[0].pointer, '/longitude')
    const out = await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { latitude: 16.0, longitude: 108.2 } })
    t.equal(out.statusCode, 422)
    const moved = await app.inject({ method: 'PATCH', url: `/v1/venues/${venue.id}`, headers: admin, payload: { latitude: 21.0285, longitude: 105.8542 } })
    t.equal(moved.statusCode, 200)
    const near = await app.inject({ url: '/v1/venues?near=21.0285,105.8542&radiusKm=0.1' })
    t.ok(near.json().items.some((v: { id: string }) => v.id === venue.id), 'the location followed the new coordinates')
  })
})

t.test('nearby search: nearest first, distances, radius, pagination', async (t) => {
  const { app, db } = await buildTestApp(t)
  await db.query('DELETE FROM venues')
  const hoanKiem: [number, number] = [21.0285, 105.8542]
  const points: [string, number, number][] = [
    ['Văn Miếu', 21.0293, 105.8356], ['Bát Tràng', 20.9758, 105.9127], ['Vạn Phúc', 20.9796, 105.7745],
    ['Đường Lâm', 21.1585, 105.4707], ['Long Biên', 21.0440, 105.8670], ['Sóc Sơn', 21.2580, 105.8480]
  ]
  for (const [name, latitude, longitude] of points) await makeVenue(db, { name, latitude, longitude })
  const expected = points.map(([name, lat, lng]) => ({ name, km: haversineKm(hoanKiem, [lat, lng]) })).sort((a, b) => a.km - b.km)

  const res = await app.inject({ url: '/v1/venues?near=21.0285,105.8542&radiusKm=20&limit=100' })
  t.equal(res.statusCode, 200)
  const items = res.json().items as { name: string, distanceKm: number }[]
  const inside = expected.filter((e) => e.km <= 20)
  t.same(items.map((i) => i.name), inside.map((e) => e.name), 'nearest first, only within 20 km')
  t.ok(inside.length >= 3 && inside.length < points.length, 'the radius excludes some venues')
  for (const [i, item] of items.entries()) t.ok(Math.abs(item.distanceKm - inside[i]!.km) < 0.01, `${item.name}: ${item.distanceKm} km`)

  const walked: string[] = []
  let url: string | undefined = '/v1/venues?near=21.0285,105.8542&radiusKm=100&limit=2'
  while (url) {
    const page: Awaited<ReturnType<typeof app.inject>> = await app.inject({ url })
    walked.push(...page.json().items.map((i: { name: string }) => i.name))
    url = /<([^>]+)>; rel="next"/.exec(String(page.headers.link ?? ''))?.[1]
  }
  t.same(walked, expected.map((e) => e.name), 'pages of 2 follow the same order without repeats')

  const bad = await app.inject({ url: '/v1/venues?near=95,105.8' })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().errors[0].pointer, '/near')
  t.equal((await app.inject({ url: '/v1/venues?near=hanoi' })).statusCode, 400)
  t.equal((await app.inject({ url: '/v1/venues?near=21,105.8&radiusKm=0' })).statusCode, 400)
})

t.test('open at a time in Asia/Ho_Chi_Minh', async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock })
  await db.query('DELETE FROM venues')
  const weekdays = await makeVenue(db, { name: 'Giờ hành chính' })
  const evening = await makeVenue(db, { name: 'Buổi tối', openingHours: { mon: [{ opens: '18:00', closes: '24:00' }], sun: [{ opens: '08:00', closes: '12:00' }, { opens: '14:00', closes: '22:00' }] } })
  await makeVenue(db, { name: 'Chưa khai báo giờ', openingHours: null })
  const later = await makeVenue(db, { name: 'Khai trương sau', openedOn: '2026-12-01', adminUnitCode: '00577' })
  const closed = await makeVenue(db, { name: 'Đã đóng cửa' })
  await db.query("UPDATE venues SET status = 'closed', closed_on = '2026-06-01' WHERE id = $1", [closed.id])
  const openAt = async (query: string) => (await app.inject({ url: `/v1/venues?${query}` })).json().items.map((v: { id: string }) => v.id).sort()

  t.same(await openAt('openAt=2026-11-23T10:00:00%2B07:00'), [weekdays.id].sort(), 'Monday 10:00: weekday hours; not a venue that opens in December, nor a closed one')
  t.same(await openAt('openAt=2026-11-23T02:30:00Z'), [weekdays.id], 'the same instant given in UTC is 09:30 in Hanoi')
  t.same(await openAt('openAt=2026-11-23T17:30:00%2B07:00'), [], '17:30 is closing time')
  t.same(await openAt('openAt=2026-11-23T23:59:00%2B07:00'), [evening.id], 'open until midnight')
  t.same(await openAt('openAt=2026-11-22T17:00:00Z'), [], 'Sunday 17:00 UTC is Monday 00:00 in Hanoi')
  t.same(await openAt('openAt=2026-11-22T13:00:00%2B07:00'), [], 'Sunday between the two intervals')
  t.same(await openAt('openAt=2026-11-22T15:00:00%2B07:00'), [evening.id], 'Sunday afternoon')
  t.same(await openAt('openAt=2026-12-07T10:00:00%2B07:00'), [weekdays.id, later.id].sort(), 'after its opening date')
  t.same(await openAt('openNow=true'), [weekdays.id], 'now is Monday 10:00 in Hanoi')
  clock.set('2026-11-23T12:00:00Z')
  t.same(await openAt('openNow=true'), [evening.id], 'now is Monday 19:00 in Hanoi')
})

t.test('the list as GeoJSON, and filters', async (t) => {
  const { app, db } = await buildTestApp(t)
  await db.query('DELETE FROM venues')
  await makeVenue(db, { name: 'Showroom Vạn Phúc', type: 'showroom', locationKind: 'tourist_site', address: 'Vạn Phúc, Hà Đông', adminUnitCode: '268', latitude: 20.9796, longitude: 105.7745 })
  await makeVenue(db, { name: 'Điểm bán Bát Tràng', address: 'Bát Tràng, Gia Lâm' })
  const res = await app.inject({ url: '/v1/venues', headers: { accept: 'application/geo+json' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/geo+json; charset=utf-8')
  t.match(String(res.headers.vary), /Accept/)
  const collection = check(res.body)
  t.equal(collection.type, 'FeatureCollection', 'valid GeoJSON (RFC 7946) by an independent checker')
  const features = res.json().features
  t.equal(features.length, 2)
  t.same(features[0].geometry, { type: 'Point', coordinates: [105.7745, 20.9796] }, 'longitude first')
  t.match(features[0].properties, { name: 'Showroom Vạn Phúc', type: 'showroom', status: 'open' })
  t.notOk('latitude' in features[0].properties)
  const near = check((await app.inject({ url: '/v1/venues?near=20.98,105.78&radiusKm=2', headers: { accept: 'application/geo+json' } })).body)
  t.equal(near.type === 'FeatureCollection' && near.features.length, 1)

  const names = async (query: string) => (await app.inject({ url: `/v1/venues?${query}` })).json().items.map((v: { name: string }) => v.name)
  t.same(await names('type=showroom'), ['Showroom Vạn Phúc'])
  t.same(await names('locationKind=craft_village_area'), ['Điểm bán Bát Tràng'])
  t.same(await names('adminUnit=268'), ['Showroom Vạn Phúc'])
  t.same(await names('q=bat trang'), ['Điểm bán Bát Tràng'], 'search without diacritics')
  t.same(await names('status=closed'), [])
})
