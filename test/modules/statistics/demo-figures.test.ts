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
