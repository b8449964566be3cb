import t from 'tap'
import { anonymous } from '../../../src/lib/principal.ts'
import { listVenues } from '../../../src/modules/venues/list.ts'
import { seedVenues } from '../../bench/venues-data.ts'
import { createTestDb, explain, type SentStatement } from '../../helpers/db.ts'

t.test('a nearby query on 10,000 venues uses the GiST index on the location', async (t) => {
  let sent: SentStatement[] = []
  const db = await createTestDb({ logQuery: (sql, params) => sent.push({ sql, params }) })
  t.teardown(() => db.close())
  await seedVenues(db, 10_000)
  sent = []
  const page = await listVenues(db.db, { near: '21.0285,105.8542', radiusKm: 3, limit: 20 }, anonymous('test'), new Date('2026-11-23T03:00:00Z'))
  t.ok(page.items.length > 0 && page.items.length <= 20)
  t.ok(page.items.every((v, i) => i === 0 || v.distanceKm! >= page.items[i - 1]!.distanceKm!), 'nearest first')
  t.equal(sent.length, 1, 'one statement')
  const plan = await explain(db, sent[0]!)
  t.match(plan, /venues_location_idx/, plan)
  t.notMatch(plan, /Seq Scan on venues/, 'no sequential scan of the venues')
})
