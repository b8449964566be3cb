import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { lockForTransaction } from '../../db/locks.ts'
import { rowsOf } from '../../db/rows.ts'
import type { Tx } from '../audit/service.ts'
import { syncListings, type ListingChange } from './sync.ts'

/**
 * The feed lock, taken by the projector only: one projection commits at a time in the whole city, so
 * the feed's sequence order is commit order. Writers never take it; they only queue product ids.
 */
const FEED_LOCK = 0x0c0b_1157
const BATCH = 500

/** Takes the feed lock for this transaction: waits for it, or (`wait` false) answers whether it was free. */
export const takeFeedLock = (tx: Pick<Tx, 'execute'>, wait: boolean): Promise<boolean> => lockForTransaction(tx, FEED_LOCK, wait)

/**
 * One projection: takes up to BATCH queued products off the outbox and brings their listings up to date,
 * in one transaction. Null when another projection holds the feed and `wait` is false.
 */
async function projectBatch (db: Db, today: string, wait: boolean): Promise<{ taken: number, changes: ListingChange[] } | null> {
  return db.transaction(async (tx) => {
    if (!await takeFeedLock(tx, wait)) return null
    const taken = await rowsOf<{ id: string }>(tx, sql`DELETE FROM listing_outbox WHERE id IN (SELECT id FROM listing_outbox ORDER BY id LIMIT ${BATCH}) RETURNING product_id AS id`)
    return { taken: taken.length, changes: await syncListings(tx, [...new Set(taken.map((r) => r.id))].sort(), today) }
  })
}

/**
 * Drains the outbox: projections until it is empty. Safe with any number of instances: one projects,
 * the others (with `wait` false) find the feed taken and leave. With `wait`, waits its turn.
 */
export async function drainOutbox (db: Db, today: string, { wait = false, onBatch }: { wait?: boolean, onBatch?: (taken: number) => void } = {}): Promise<ListingChange[]> {
  const changes: ListingChange[] = []
  for (;;) {
    const [queued] = await rowsOf<{ any: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM listing_outbox) AS any`)
    if (!queued?.any) return changes
    const batch = await projectBatch(db, today, wait)
    if (!batch) return changes
    changes.push(...batch.changes)
    onBatch?.(batch.taken)
    // A short batch emptied the outbox as it stood; what was queued since waits for the next round.
    if (batch.taken < BATCH) return changes
  }
}

/**
 * The projector's loop on one instance: drains the outbox every `intervalMs` (a write is in the feed
 * within about that long, plus the projection). A failure (the database away) is logged and the next
 * round tries again. `stop` ends the loop after the round in hand.
 */
export function startProjector (db: Db, today: () => string, intervalMs: number, onError: (err: unknown) => void): { stop: () => Promise<void> } {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let wake: (() => void) | undefined
  const loop = (async () => {
    // eslint-disable-next-line no-unmodified-loop-condition -- `stop` sets it while the loop waits
    while (!stopped) {
      await drainOutbox(db, today()).catch(onError)
      await new Promise<void>((resolve) => { wake = resolve; timer = setTimeout(resolve, intervalMs) })
    }
  })()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      wake?.()
      await loop
    }
  }
}
