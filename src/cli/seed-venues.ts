// npm run seed:venues
// Loads the demo venues (Hanoi's five design/OCOP centres and the other named venues) into the configured
// database. Venues already there (same name) are left alone, so running it twice adds nothing.
import { inArray } from 'drizzle-orm'
import { loadConfig } from '../config.ts'
import { openDatabase } from './database.ts'
import { progressBar } from './progress.ts'
import { hanoiDate } from '../lib/clock.ts'
import { anonymous } from '../lib/principal.ts'
import { DEMO_VENUES } from '../modules/venues/demo-data.ts'
import { createVenue } from '../modules/venues/service.ts'
import { venues } from '../modules/venues/tables.ts'

const config = loadConfig()
const db = await openDatabase(config)
try {
  const actor = { ...anonymous('cli:seed-venues'), role: 'admin' as const, keyName: 'npm run seed:venues' }
  const existing = new Set((await db.db.select({ name: venues.name }).from(venues).where(inArray(venues.name, DEMO_VENUES.map((v) => v.name)))).map((v) => v.name))
  const today = hanoiDate(new Date())
  const missing = DEMO_VENUES.filter((v) => !existing.has(v.name))
  const bar = progressBar('Adding venues', missing.length, 'venues')
  let added = 0
  try {
    for (const venue of missing) {
      await createVenue(db.db, actor, venue, today)
      added++
      bar.tick()
    }
  } finally {
    bar.done()
  }
  process.stdout.write(`Added ${added} demo venues (${existing.size} were already there).\n`)
} finally {
  await db.close()
}
