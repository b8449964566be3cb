import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import { asc, gt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { feedCursor } from './service.ts'
import { listingChanges, listings } from './tables.ts'

const BATCH = 1000

/**
 * Every listing as NDJSON (`{"type":"listing","listing":…}` per line), read in batches from one
 * REPEATABLE READ snapshot, then `{"type":"end","count":…,"nextCursor":…}`: the feed position of that
 * snapshot. Feed order is commit order, so the changes after it are exactly those the snapshot lacks.
 * Writes wait for the client (backpressure): memory stays flat whatever the number of listings.
 */
export function exportListings (db: Db, onError: (err: unknown) => void): PassThrough {
  const out = new PassThrough()
  let aborted = false
  out.on('close', () => { aborted = true })
  db.transaction(async (tx) => {
    const [position] = await tx.select({ seq: sql<number>`COALESCE(max(${listingChanges.seq}), 0)`.mapWith(Number) }).from(listingChanges)
    let after: string | undefined
    let count = 0
    for (;;) {
      const rows = await tx.select({ productId: listings.productId, body: sql<string>`${listings.body}::text` }).from(listings)
        .where(after ? gt(listings.productId, after) : undefined).orderBy(asc(listings.productId)).limit(BATCH)
      if (aborted) return
      if (!rows.length) break
      const chunk = rows.map((r) => `{"type":"listing","listing":${r.body}}\n`).join('')
      count += rows.length
      after = rows[rows.length - 1]!.productId
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')])
    }
    out.end(`${JSON.stringify({ type: 'end', count, nextCursor: feedCursor(position!.seq) })}\n`)
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' }).catch((err) => {
    onError(err)
    out.destroy(err as Error)
  })
  return out
}
