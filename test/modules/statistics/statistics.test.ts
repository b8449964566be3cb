import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { insertRecognition, makeProduct, makeProducer, makeVenue } from '../../helpers/factories.ts'

// A dataset whose counts the test computes itself, from the same plain description the data is made from.
interface Certificate { unit: '018' | '281', group: string, star: 3 | 4 | 5, potential?: boolean, level?: 'city' | 'central', issued: string, expires: string, revoked?: string, superseded?: string, reviewedOn?: string }
const CERTIFICATES: Certificate[] = [
  { unit: '018', group: '1.3', star: 3, issued: '2022-05-01', expires: '2025-05-01' },
  { unit: '018', group: '1.3', star: 4, issued: '2023-02-10', expires: '2026-02-10' },
  { unit: '018', group: '4.1', star: 4, potential: true, issued: '2023-08-01', expires: '2026-08-01', reviewedOn: '2024-09-15' },
  { unit: '018', group: '4.1', star: 4, potential: true, issued: '2024-03-01', expires: '2027-03-01' },
  { unit: '018', group: '4.1', star: 5, level: 'central', issued: '2021-11-20', expires: '2024-11-20' },
  { unit: '281', group: '1.3', star: 3, issued: '2023-12-01', expires: '2026-12-01', revoked: '2024-06-01' },
  { unit: '281', group: '1.3', star: 3, issued: '2021-01-05', expires: '2024-01-05', superseded: '2023-06-01' },
  { unit: '281', group: '2.1', star: 4, issued: '2023-06-01', expires: '2026-06-01' },
  { unit: '281', group: '2.1', star: 3, issued: '2024-07-01', expires: '2027-07-01' }
]

function expected (on: string, keep: (c: Certificate) => boolean = () => true) {
  // expires is the last valid day.
  const live = CERTIFICATES.filter((c) => keep(c) && c.issued <= on && on <= c.expires && !(c.revoked && c.revoked <= on) && !(c.superseded && c.superseded <= on))
  const potential = (c: Certificate) => c.star === 4 && c.potential === true && !(c.reviewedOn && c.reviewedOn <= on)
  return {
    products: live.length,
    fiveStar: live.filter((c) => c.star === 5).length,
    potentialFiveStar: live.filter(potential).length,
    fourStar: live.filter((c) => c.star === 4 && !potential(c)).length,
    threeStar: live.filter((c) => c.star === 3).length
  }
}

t.test('OCOP products by star on a day, by unit, group and level', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  for (const c of CERTIFICATES) {
    const producer = await makeProducer(db, { adminUnitCode: c.unit, registeredOn: '2019-01-01' })
    const product = await makeProduct(db, { producerId: producer.id, group148: c.group })
    // A reviewed potential 5-star: the central council did not confirm it, on reviewedOn.
    await insertRecognition(db, product.id, { star: c.star, potential: c.potential, level: c.level, issuedOn: c.issued, expiresOn: c.expires, revokedOn: c.revoked, supersededOn: c.superseded, reviewStatus: c.reviewedOn ? 'rejected' : undefined, reviewedOn: c.reviewedOn })
  }
  const get = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/statistics/products${query}` })
    t.equal(res.statusCode, 200, query)
    return res.json()
  }
  for (const on of ['2022-12-31', '2023-06-30', '2024-06-30', '2024-12-31', '2026-11-23']) {
    const body = await get(`?on=${on}`)
    t.same(body.totals, expected(on), `totals on ${on}`)
    t.same(body.breakdown, [], 'no breakdown unless asked')
  }
  t.same((await get('')).totals, expected('2026-11-23'), 'today by default')
  t.equal((await get('')).on, '2026-11-23')

  const byUnit = await get('?on=2024-06-30&by=adminUnit')
  t.same(byUnit.breakdown, [
    { key: '018', name: 'Gia Lâm', ...expected('2024-06-30', (c) => c.unit === '018') },
    { key: '281', name: 'Ứng Hòa', ...expected('2024-06-30', (c) => c.unit === '281') }
  ])
  t.same(byUnit.totals, expected('2024-06-30'))
  const byGroup = await get('?on=2024-06-30&by=productGroup')
  t.same(byGroup.breakdown.map((b: { key: string, name: string, products: number }) => [b.key, b.name, b.products]),
    [['1', 'Thực phẩm', expected('2024-06-30', (c) => c.group.startsWith('1.')).products], ['2', 'Đồ uống', expected('2024-06-30', (c) => c.group.startsWith('2.')).products], ['4', 'Thủ công mỹ nghệ', expected('2024-06-30', (c) => c.group.startsWith('4.')).products]])
  const byLevel = await get('?on=2024-06-30&by=issuingLevel')
  t.same(byLevel.breakdown.map((b: { key: string, products: number }) => [b.key, b.products]),
    [['central', expected('2024-06-30', (c) => c.level === 'central').products], ['city', expected('2024-06-30', (c) => c.level !== 'central').products]])
  const oneUnit = await get('?on=2024-06-30&adminUnit=281')
  t.same(oneUnit.totals, expected('2024-06-30', (c) => c.unit === '281'))
  t.equal(oneUnit.adminUnit, '281')
  t.same((await get('?on=2015-01-01')).totals, { products: 0, fiveStar: 0, potentialFiveStar: 0, fourStar: 0, threeStar: 0 }, 'before any certificate')
  t.equal((await app.inject({ method: 'GET', url: '/v1/statistics/products?by=district' })).statusCode, 400)
})

t.test('venues open on a day, by type and unit', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const made = [
    { type: 'point_of_sale', adminUnitCode: '018', openedOn: '2021-03-01' },
    { type: 'point_of_sale', adminUnitCode: '018', openedOn: '2022-03-01', closedOn: '2023-12-31' },
    { type: 'showroom', adminUnitCode: '018', openedOn: '2023-05-01' },
    { type: 'design_centre', adminUnitCode: '281', openedOn: '2022-09-01' },
    { type: 'point_of_sale', adminUnitCode: '281', openedOn: '2024-02-01' }
  ] as const
  for (const { closedOn, ...v } of made as readonly { type: 'point_of_sale' | 'showroom' | 'design_centre', adminUnitCode: string, openedOn: string, closedOn?: string }[]) {
    const venue = await makeVenue(db, { status: 'open', ...v })
    if (closedOn) await db.query("UPDATE venues SET status = 'closed', closed_on = $2 WHERE id = $1", [venue.id, closedOn])
  }
  await makeVenue(db, { type: 'showroom', status: 'planned', openedOn: undefined })
  const get = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/statistics/venues${query}` })).json()
  const zero = { point_of_sale: 0, showroom: 0, design_centre: 0, craft_village_venue: 0, other: 0 }

  const on2023 = await get('?on=2023-06-30')
  t.same(on2023, {
    on: '2023-06-30',
    adminUnit: null,
    unitList: null,
    open: 4,
    byType: { ...zero, point_of_sale: 2, showroom: 1, design_centre: 1 },
    byAdminUnit: [
      { key: '018', name: 'Gia Lâm', open: 3, byType: { ...zero, point_of_sale: 2, showroom: 1 } },
      { key: '281', name: 'Ứng Hòa', open: 1, byType: { ...zero, design_centre: 1 } }
    ]
  })
  t.same((await get('?on=2023-12-31')).byType, { ...zero, point_of_sale: 1, showroom: 1, design_centre: 1 }, 'not open on its closing day')
  t.same((await get('?on=2024-06-30&adminUnit=281')).byType, { ...zero, point_of_sale: 1, design_centre: 1 })
  t.equal((await get('?on=2020-01-01')).open, 0)
  t.equal((await get('')).open, 4, 'today: the planned venue is not counted')
})
