import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { lockForTransaction } from '../../db/locks.ts'
import { rowsOf } from '../../db/rows.ts'
import { inForce, potentialFiveOn } from '../evaluations/recognitions.ts'
import { recognitions } from '../evaluations/tables.ts'
import { ProblemError } from '../../lib/problem.ts'
import type { Principal } from '../../lib/principal.ts'
import { recordAudit, type Tx } from '../audit/service.ts'
import { takeFeedLock } from './projector.ts'
import { syncListings, type ListingChange } from './sync.ts'

// Held by a full reconcile for its transaction: one at a time across instances.
const RECONCILE_LOCK = 0x0c0b_1158
const BATCH = 500

/**
 * The scheduled job: applies what changes with the date alone. Certificates that expire (at midnight,
 * Hanoi time), revocations and supersessions that take effect, recognitions whose issue date arrives,
 * and assortment periods that start or end. It also lists any product with a recognition in force but
 * no listing (a database restored, or migrated from before listings). The projector's own work, under
 * its feed lock, for the products the date may have changed. Idempotent: a second run the same day
 * finds nothing to change.
 */
export async function reconcileListings (db: Db, today: string): Promise<ListingChange[]> {
  return db.transaction(async (tx) => {
    await takeFeedLock(tx, true)
    return syncListings(tx, (await dateCandidates(tx, today)).sort(), today)
  })
}

/** The products whose listing the date alone may have changed today. */
async function dateCandidates (tx: Tx, today: string): Promise<string[]> {
  // Listed under a recognition whose effect has ended (expiry after its last valid day, a revocation or
  // supersession dated ahead that takes effect), or recognised today without that listing.
  const candidates = await rowsOf<{ id: string }>(tx, sql`
    SELECT l.product_id AS id FROM listings l JOIN ${recognitions} ON ${recognitions.id} = l.recognition_id
      WHERE ${recognitions.effectEndsOn} <= ${today}::date
    UNION SELECT ${recognitions.productId} FROM ${recognitions} JOIN products p ON p.id = ${recognitions.productId}
      WHERE p.status = 'active' AND ${inForce(today)}
        AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.recognition_id = ${recognitions.id} AND (l.body ->> 'potentialFiveStar')::boolean = ${potentialFiveOn(today)})
    UNION SELECT product_id FROM venue_products
      WHERE since BETWEEN ${today}::date - 7 AND ${today}::date OR until BETWEEN ${today}::date - 8 AND ${today}::date - 1`)
  return candidates.map((r) => r.id)
}

const inProgress = () => new ProblemError(409, 'reconcile-in-progress', {
  vi: 'Đang có một lượt đối soát toàn bộ niêm yết; kết quả sẽ có trong feed. Hãy thử lại sau nếu vẫn cần.',
  en: 'Another reconcile of every listing is running; its result will be in the feed. Retry later if you still need one.'
}, { headers: { 'retry-after': '30' } })

/**
 * An operator's catch-up: recomputes the listing of every product now, under the feed lock (the
 * projector waits meanwhile), appends what changed to the feed and records the run in the audit log.
 * Idempotent: a second run finds the listings right and appends nothing.
 */
export async function reconcileAll (db: Db, actor: Principal, today: string) {
  return db.transaction(async (tx) => {
    if (!await lockForTransaction(tx, RECONCILE_LOCK, false)) throw inProgress()
    await takeFeedLock(tx, true)
    const ids = (await rowsOf<{ id: string }>(tx, sql`SELECT id FROM products ORDER BY id`)).map((r) => r.id)
    const changes: ListingChange[] = []
    for (let i = 0; i < ids.length; i += BATCH) changes.push(...await syncListings(tx, ids.slice(i, i + BATCH), today))
    const byReason: Record<string, number> = {}
    for (const c of changes) byReason[c.reason] = (byReason[c.reason] ?? 0) + 1
    const result = { checked: ids.length, changed: changes.length, byReason, firstSeq: changes[0]?.seq ?? null, lastSeq: changes.at(-1)?.seq ?? null }
    await recordAudit(tx, actor, { entity: 'listings', entityId: today, action: 'reconcile', changes: { result: { old: null, new: result } } })
    return result
  })
}
