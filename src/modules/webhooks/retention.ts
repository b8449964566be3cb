import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'

export const PRUNE_QUEUE = 'webhooks-prune'

/**
 * Deletes the delivery log older than `days`: finished deliveries (succeeded, failed, skipped) with their
 * attempts, then events no delivery refers to any more. Pending and in-flight deliveries are kept
 * whatever their age. Works in batches so that no transaction holds many rows. Returns what it deleted.
 */
export async function pruneWebhookLog (db: Db, days: number, batch = 5000): Promise<{ deliveries: number, attempts: number, events: number }> {
  const total = { deliveries: 0, attempts: 0, events: 0 }
  for (;;) {
    const [done] = await rowsOf<{ deliveries: number, attempts: number }>(db, sql`
      WITH old AS (
        SELECT id FROM webhook_deliveries
        WHERE status IN ('succeeded', 'failed', 'skipped') AND created_at < now() - make_interval(days => ${days})
        ORDER BY created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), attempts AS (
        -- Both deletions run in one statement: the foreign key (NO ACTION) is checked at its end.
        DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM old) RETURNING 1
      ), deliveries AS (
        DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM old) RETURNING 1
      )
      SELECT (SELECT count(*) FROM deliveries)::int AS deliveries, (SELECT count(*) FROM attempts)::int AS attempts`)
    total.deliveries += done!.deliveries
    total.attempts += done!.attempts
    if (done!.deliveries < batch) break
  }
  for (;;) {
    const [done] = await rowsOf<{ events: number }>(db, sql`
      WITH gone AS (
        DELETE FROM webhook_events e WHERE e.id IN (
          SELECT id FROM webhook_events ev WHERE ev.created_at < now() - make_interval(days => ${days})
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id)
          LIMIT ${batch})
        RETURNING 1)
      SELECT count(*)::int AS events FROM gone`)
    total.events += done!.events
    if (done!.events < batch) break
  }
  return total
}
