import t from 'tap'
import { addDays } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { insertRecognition, makeEvaluation, makeProducer, makeProduct, makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

// A small history built by hand, each measure counted here independently of the SQL, and the service's
// progress compared with it on days before, inside and after each period.
interface Rec { product: string, star: number, issued: string, expires: string, revoked?: string }
const RECOGNITIONS: Rec[] = [
  { product: 'A', star: 3, issued: '2019-06-01', expires: '2022-06-01' },
  { product: 'A', star: 4, issued: '2022-06-02', expires: '2025-06-02' },
  { product: 'B', star: 4, issued: '2020-03-01', expires: '2023-03-01', revoked: '2021-05-01' },
  { product: 'C', star: 5, issued: '2021-02-01', expires: '2024-02-01' },
  { product: 'D', star: 3, issued: '2022-01-10', expires: '2025-01-10' },
  { product: 'E', star: 3, issued: '2023-07-01', expires: '2026-07-01' },
  { product: 'F', star: 4, issued: '2018-05-01', expires: '2021-05-01' }
]
const PRODUCTS: Record<string, { unit: string, group: string }> = {
  A: { unit: '018', group: '1.3' }, B: { unit: '018', group: '1.3' }, C: { unit: '018', group: '4.1' }, D: { unit: '271', group: '1.3' }, E: { unit: '018', group: '1.3' }, F: { unit: '018', group: '1.3' }
}
const DECIDED = ['2020-12-15', '2021-03-01', '2022-12-31', '2023-01-01']
// MOUs, by signing day and the product each covers (none for the first), signed by that product's producer.
const SIGNED: { on: string, product?: string }[] = [{ on: '2023-12-31' }, { on: '2024-01-01', product: 'A' }, { on: '2024-06-30', product: 'C' }, { on: '2025-01-01', product: 'D' }]
const VENUES = [
  { type: 'point_of_sale', opened: '2023-05-01' },
  { type: 'point_of_sale', opened: '2024-03-01', closed: '2024-10-01' },
  { type: 'showroom', opened: '2024-02-01' },
  { type: 'point_of_sale', opened: '2025-02-01' }
] as const

const min = (a: string, b: string) => a < b ? a : b
const inForceOn = (r: Rec, d: string) => r.issued <= d && d < [addDays(r.expires, 1), r.revoked].filter((x): x is string => !!x).sort()[0]!
type Scope = { unit?: string, group?: string }
const inScope = (p: string, s: Scope) => (!s.unit || PRODUCTS[p]!.unit === s.unit) && (!s.group || PRODUCTS[p]!.group.split('.')[0] === s.group)
const expected = {
  'products-in-force': (_from: string, to: string, minStar: number, s: Scope) =>
    new Set(RECOGNITIONS.filter((r) => inForceOn(r, to) && r.star >= minStar && inScope(r.product, s)).map((r) => r.product)).size,
  'products-newly-recognised': (from: string, to: string, minStar: number, s: Scope) =>
    Object.keys(PRODUCTS).filter((p) => {
      const first = RECOGNITIONS.filter((r) => r.product === p).sort((a, b) => a.issued.localeCompare(b.issued))[0]!
      return first.issued >= from && first.issued <= to && first.star >= minStar && inScope(p, s)
    }).length,
  // Every decided evaluation is of product A.
  'evaluations-decided': (from: string, to: string, _star: number, s: Scope) => DECIDED.filter((d) => d >= from && d <= to && inScope('A', s)).length,
  'mous-signed': (from: string, to: string, _star: number, s: Scope) =>
    SIGNED.filter((m) => m.on >= from && m.on <= to && inScope(m.product ?? 'A', { unit: s.unit }) && (!s.group || (m.product !== undefined && inScope(m.product, { group: s.group })))).length,
  'venues-open': (_from: string, to: string, _star: number, _s: Scope, type?: string) =>
    VENUES.filter((v) => v.opened <= to && (!('closed' in v) || v.closed > to) && (!type || v.type === type)).length
}
const STOCKS = ['products-in-force', 'venues-open']

t.test('each measure, counted on a built history, agrees with an independent count on every day asked', async (t) => {
  // More reads than an anonymous caller may make in a minute.
  const { app, db } = await buildTestApp(t, { env: { RATE_LIMIT_ANONYMOUS: '10000' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const ids: Record<string, string> = {}
  for (const [name, p] of Object.entries(PRODUCTS)) {
    const producer = await makeProducer(db, { adminUnitCode: p.unit })
    ids[name] = (await makeProduct(db, { producerId: producer.id, group148: p.group, status: 'active' })).id
  }
  for (const r of RECOGNITIONS) await insertRecognition(db, ids[r.product]!, { star: r.star, issuedOn: r.issued, expiresOn: r.expires, revokedOn: r.revoked })
  for (const [i, day] of DECIDED.entries()) {
    const evaluation = await makeEvaluation(db, { productId: ids.A })
    await db.query("UPDATE evaluations SET status = 'decided', star = 3, decision_number = $2, decision_date = $3 WHERE id = $1", [evaluation.id, `QĐ-${i}`, day])
  }
  await makeEvaluation(db, { productId: ids.B }) // a draft: not decided
  const [{ id: partnerId } = { id: '' }] = await db.query<{ id: string }>("INSERT INTO distribution_partners (name, kind) VALUES ('Đối tác', 'distributor') RETURNING id")
  for (const m of SIGNED) {
    const product = ids[m.product ?? 'A']!
    const [{ producerId } = { producerId: '' }] = await db.query<{ producerId: string }>('SELECT producer_id AS "producerId" FROM products WHERE id = $1', [product])
    const [{ id: mouId } = { id: '' }] = await db.query<{ id: string }>("INSERT INTO mous (producer_id, partner_id, signed_on, term_start, term_end, value_vnd, market) VALUES ($1, $2, $3, $3, $3, 1000000, 'domestic') RETURNING id", [producerId, partnerId, m.on])
    if (m.product) await db.query('INSERT INTO mou_products (mou_id, product_id) VALUES ($1, $2)', [mouId, product])
  }
  for (const v of VENUES) {
    const venue = await makeVenue(db, { type: v.type, openedOn: v.opened })
    if ('closed' in v) await db.query("UPDATE venues SET status = 'closed', closed_on = $2 WHERE id = $1", [venue.id, v.closed])
  }

  const targets = [
    { measure: 'products-in-force', from: '2020-01-01', to: '2021-12-31', minStar: 3 },
    { measure: 'products-in-force', from: '2020-01-01', to: '2023-12-31', minStar: 4, adminUnitCode: '018', adminUnitList: 'QD124-2004' },
    { measure: 'products-newly-recognised', from: '2021-01-01', to: '2023-12-31', minStar: 3 },
    { measure: 'products-newly-recognised', from: '2021-01-01', to: '2025-12-31', minStar: 4, productGroup: '4' },
    { measure: 'evaluations-decided', from: '2021-01-01', to: '2022-12-31' },
    { measure: 'mous-signed', from: '2024-01-01', to: '2024-12-31' },
    { measure: 'mous-signed', from: '2023-01-01', to: '2025-12-31', productGroup: '1' },
    { measure: 'mous-signed', from: '2023-01-01', to: '2025-12-31', adminUnitCode: '018', adminUnitList: 'QD124-2004' },
    { measure: 'evaluations-decided', from: '2020-01-01', to: '2023-12-31', adminUnitCode: '271', adminUnitList: 'QD124-2004' },
    { measure: 'venues-open', from: '2024-01-01', to: '2024-12-31', venueType: 'point_of_sale' },
    { measure: 'venues-open', from: '2024-01-01', to: '2024-12-31' }
  ]
  const days = ['2019-12-31', '2024-03-01', '2025-06-30', '2020-06-30', '2021-01-01', '2021-06-30', '2022-12-31', '2023-01-01', '2024-06-30', '2024-12-31', '2026-01-01']
  for (const target of targets) {
    const created = await app.inject({ method: 'POST', url: '/v1/targets', headers: admin, payload: { nameVi: target.measure, nameEn: target.measure, source: 'test', number: 2, ...target } })
    t.equal(created.statusCode, 201, `${target.measure} created`)
    const { id } = created.json()
    for (const on of days) {
      const progress = (await app.inject({ url: `/v1/targets/${id}/progress?on=${on}` })).json()
      const measuredOn = min(on, target.to)
      const started = on >= target.from
      const scope = { unit: target.adminUnitCode, group: target.productGroup }
      const value = STOCKS.includes(target.measure) || started
        ? expected[target.measure as keyof typeof expected](target.from, measuredOn, target.minStar ?? 0, scope, target.venueType)
        : 0
      t.same(progress, { on, measuredOn, started, ended: on >= target.to, value, number: 2, share: value / 2, reached: value >= 2, met: on >= target.to ? value >= 2 : null },
        `${JSON.stringify(target)} on ${on}`)
    }
  }
  const list = (await app.inject({ url: '/v1/targets?on=2024-06-30&measure=mous-signed' })).json()
  t.same(list.items.map((i: { to: string, progress: { value: number } }) => [i.to, i.progress.value]).sort(), [['2020-12-31', 0], ['2024-12-31', 2], ['2025-12-31', 1], ['2025-12-31', 3]],
    'the list carries the same progress (the shipped 2020 MOU target too)')
})
