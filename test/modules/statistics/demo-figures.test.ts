import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { drainOutbox } from '../../../src/modules/listings/projector.ts'
import { DISTRICT_EXAMPLES, PUBLISHED, seedPublishedFigures } from '../../../src/modules/statistics/demo-figures.ts'
import { buildTestApp } from '../../helpers/app.ts'

t.test('the demo catalogue reproduces the figures Hanoi published', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const loaded = await seedPublishedFigures(db, '2026-11-23')
  await drainOutbox(db.db, '2026-11-23', { wait: true })
  t.equal(loaded.products, 3317)
  for (const { on, ...published } of PUBLISHED) {
    const res = await app.inject({ method: 'GET', url: `/v1/statistics/products?on=${on}` })
    t.equal(res.statusCode, 200)
    t.match(res.json().totals, published, `the city's figures on ${on}`)
  }
  for (const [unit, count] of Object.entries(DISTRICT_EXAMPLES)) {
    const { totals } = (await app.inject({ method: 'GET', url: `/v1/statistics/products?on=2025-06-30&adminUnit=${unit}` })).json()
    t.equal(totals.products, count, `district ${unit}`)
    t.equal(totals.threeStar + totals.fourStar, count, 'all rated 3 to 4 stars')
  }
  // The published targets, read on the demo data (README, "Targets").
  const progress = async (id: string, on: string) => (await app.inject({ url: `/v1/targets/${id}/progress?on=${on}` })).json()
  t.match(await progress('0c0b7a60-2020-4000-8000-000000000001', '2020-12-31'), { value: 630, number: 500, share: 1.26, ended: true, met: true }, 'the 2020 target: 630 of 500, met')
  t.match(await progress('0c0b7a60-2025-4000-8000-000000000002', '2025-12-31'), { value: 2687, number: 2000, met: true }, 'the 2025 target: products first recognised in 2021-2025')
  t.match(await progress('0c0b7a60-2025-4000-8000-000000000003', '2025-12-31'), { value: 4762, number: 2000, met: true }, 'evaluations: one decided behind each certificate of 2021-2025, re-recognitions included')
  t.match(await progress('0c0b7a60-2020-4000-8000-000000000004', '2020-12-31'), { value: 0, number: 500, met: false }, 'MOUs: the demo has none')
  const today = (await app.inject({ method: 'GET', url: '/v1/statistics/products' })).json().totals
  const [listings] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings')
  t.equal(listings!.n, today.products, 'every product in force today is listed')
  const [feed] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM listing_changes WHERE kind = 'upsert'")
  t.equal(feed!.n, today.products, 'and in the change feed')
  const [gaps] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM recognitions a JOIN recognitions b ON b.product_id = a.product_id AND b.issued_on > a.issued_on
    WHERE NOT EXISTS (SELECT 1 FROM recognitions c WHERE c.product_id = a.product_id AND c.issued_on = a.expires_on) AND b.issued_on <> a.expires_on`)
  t.equal(gaps!.n, 0, 'each certificate is followed by the next on its expiry date')
  t.same(await seedPublishedFigures(db, '2026-11-23'), { products: 0, recognitions: 0 }, 'a second run adds nothing')
})
