import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { inForce, potentialFiveOn } from '../evaluations/recognitions.ts'
import { recognitions } from '../evaluations/tables.ts'
import { syncListings, type ListingChange } from './sync.ts'

const BATCH = 200

/**
 * The scheduled job: applies what changes with the date alone. Certificates that expire (at midnight,
 * Hanoi time), revocations and supersessions that take effect, recognitions whose issue date arrives,
 * and assortment periods that start or end. It also lists any product with a recognition in force but
 * no listing (a database restored, or migrated from before listings). Idempotent: a second run the same
 * day finds nothing to change, and the feed lock makes concurrent runs write each change once.
 */
export async function reconcileListings (db: Db, today: string): Promise<ListingChange[]> {
  // Listed under a recognition whose effect has ended (expiry after its last valid day, a revocation or
  // supersession dated ahead that takes effect), or recognised today without that listing.
  const candidates = await rowsOf<{ id: string }>(db, sql`
    SELECT l.product_id AS id FROM listings l JOIN ${recognitions} ON ${recognitions.id} = l.recognition_id
      WHERE ${recognitions.effectEndsOn} <= ${today}::date
    UNION SELECT ${recognitions.productId} FROM ${recognitions} JOIN products p ON p.id = ${recognitions.productId}
      WHERE p.status = 'active' AND ${inForce(today)}
        AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.recognition_id = ${recognitions.id} AND (l.body ->> 'potentialFiveStar')::boolean = ${potentialFiveOn(today)})
    UNION SELECT product_id FROM venue_products
      WHERE since BETWEEN ${today}::date - 7 AND ${today}::date OR until BETWEEN ${today}::date - 8 AND ${today}::date - 1`)
  const ids = candidates.map((r) => r.id).sort()
  const changes: ListingChange[] = []
  for (let i = 0; i < ids.length; i += BATCH) {
    changes.push(...await db.transaction((tx) => syncListings(tx, ids.slice(i, i + BATCH), today)))
  }
  return changes
}
