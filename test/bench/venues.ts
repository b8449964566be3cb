// npm run bench -- venues: a nearby query over 10,000 venues, its plan and its latency through the service code.
import { createDb } from '../../src/db/client.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { listVenues } from '../../src/modules/venues/list.ts'
import { seedBenchDatabase } from './seed.ts'
import { seedVenues } from './venues-data.ts'

export async function benchVenues (serverUrl: string): Promise<void> {
  const url = await seedBenchDatabase(serverUrl)
  let sent: { sql: string, params: unknown[] }[] = []
  const db = await createDb({ databaseUrl: url, poolMax: 2, logQuery: (sql, params) => sent.push({ sql, params }) })
  try {
    await db.query("DELETE FROM venues WHERE name LIKE 'Điểm bán %' AND address = 'Hà Nội'")
    await seedVenues(db, 10_000)
    const reader = anonymous('bench')
    const now = new Date('2026-11-23T03:00:00Z')
    const query = { near: '21.0285,105.8542', radiusKm: 3, limit: 20 }
    sent = []
    await listVenues(db.db, query, reader, now)
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sent[0]!.sql}`, sent[0]!.params)
    const runs = 2000
    const started = process.hrtime.bigint()
    for (let i = 0; i < runs; i++) {
      const lat = 20.8 + (i % 40) * 0.01
      await listVenues(db.db, { ...query, near: `${lat.toFixed(4)},105.8542` }, reader, now)
    }
    const meanMs = Number(process.hrtime.bigint() - started) / 1e6 / runs
    process.stdout.write(`\nNearby venues (10,000 venues, radius 3 km, 20 nearest): ${meanMs.toFixed(2)} ms per query through listVenues, ${runs} sequential queries\n`)
    process.stdout.write(`Plan of the statement the service sends:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`)
  } finally {
    await db.close()
  }
}
