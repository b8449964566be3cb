import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { inForce } from '../evaluations/recognitions.ts'
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
  // Revocations dated ahead that take effect today: the product's own rating goes too.
  await db.execute(sql`UPDATE products p SET current_star = NULL, certificate_number = NULL, certificate_expires_on = NULL, potential_five_star = false, updated_at = now()
    FROM recognitions r WHERE r.product_id = p.id AND r.certificate_number = p.certificate_number AND r.revoked_on <= ${today}::date`)
  const candidates = await rowsOf<{ id: string }>(db, sql`
    SELECT product_id AS id FROM listings WHERE expires_on <= ${today}::date
    UNION SELECT l.product_id FROM listings l JOIN recognitions r ON r.id = l.recognition_id
      WHERE (r.revoked_on IS NOT NULL AND r.revoked_on <= ${today}::date) OR (r.superseded_on IS NOT NULL AND r.superseded_on <= ${today}::date)
    UNION SELECT ${recognitions.productId} FROM ${recognitions} JOIN products p ON p.id = ${recognitions.productId}
      WHERE p.status = 'active' AND ${inForce(today)}
        AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.recognition_id = ${recognitions.id})
    UNION SELECT product_id FROM venue_products
      WHERE since BETWEEN ${today}::date - 7 AND ${today}::date OR until BETWEEN ${today}::date - 8 AND ${today}::date - 1`)
  const ids = candidates.map((r) => r.id).sort()
  const changes: ListingChange[] = []
  for (let i = 0; i < ids.length; i += BATCH) {
    changes.push(...await db.transaction((tx) => syncListings(tx, ids.slice(i, i + BATCH), today)))
  }
  return changes
}
