// npm run seed:figures
// Loads a demo catalogue whose statistics reproduce the figures Hanoi published (README, "The OCOP domain in brief"): 3,317
// products with their certificates, so GET /v1/statistics/products?on=2025-06-30 shows the city's table.
// Running it again adds nothing.
import { loadConfig } from '../config.ts'
import { openDatabase } from './database.ts'
import { progressBar } from './progress.ts'
import { hanoiDate } from '../lib/clock.ts'
import { drainOutbox } from '../modules/listings/projector.ts'
import { seedPublishedFigures } from '../modules/statistics/demo-figures.ts'

const config = loadConfig()
const db = await openDatabase(config)
try {
  process.stderr.write('Inserting the demo catalogue…\n')
  const { products, recognitions } = await seedPublishedFigures(db, hanoiDate(new Date()))
  // Their listings and feed entries, as the running service's projector would write them.
  const [queued] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listing_outbox')
  const bar = progressBar('Listing the products', queued?.n ?? 0, 'changes')
  try {
    await drainOutbox(db.db, hanoiDate(new Date()), { wait: true, onBatch: (n) => bar.tick(n) })
  } finally {
    bar.done()
  }
  process.stdout.write(products ? `Added ${products} demo products with ${recognitions} certificates.\n` : 'The demo figures were already loaded.\n')
} finally {
  await db.close()
}
