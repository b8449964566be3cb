import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { recordEvents } from './outbox.ts'
import { isoInstant } from '../../lib/clock.ts'

/**
 * `certificate.expiring` events: once per certificate, for listings whose certificate's last valid day
 * is within the notice lead time (EXPIRY_NOTICE_LEAD_DAYS, 45 by default), so that partners hear of it
 * before the producer's 30-day notice is due. The UPDATE … RETURNING claims each listing, so concurrent
 * runs notify once.
 */
export async function recordExpiryNotices (db: Db, today: string, leadDays: number): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await rowsOf<{ product_id: string, body: Record<string, unknown>, expires_on: string, event_id: string, at: string | Date }>(tx, sql`UPDATE listings SET expiring_notice_for = expires_on
      WHERE expires_on >= ${today}::date AND expires_on <= ${today}::date + ${leadDays}::int AND expiring_notice_for IS DISTINCT FROM expires_on
      RETURNING product_id, body, to_char(expires_on, 'YYYY-MM-DD') AS expires_on, gen_random_uuid() AS event_id, now() AS at`)
    await recordEvents(tx, rows.map((r) => ({
      id: r.event_id,
      type: 'certificate.expiring' as const,
      createdAt: isoInstant(r.at),
      data: { productId: r.product_id, expiresOn: r.expires_on, listing: r.body }
    })))
    return rows.length
  })
}
