import { sql } from 'drizzle-orm'
import type { Tx } from '../audit/service.ts'
import { webhookDeliveries, webhookEndpoints, webhookEvents, type EventType } from './tables.ts'

export interface NewEvent { id: string, type: EventType, data: Record<string, unknown>, createdAt: string }

/**
 * Records events and one pending delivery for each enabled endpoint subscribed to their type, in the
 * caller's transaction: an event exists, with its deliveries, exactly when the change that made it does.
 */
export async function recordEvents (tx: Tx, events: NewEvent[]): Promise<void> {
  if (!events.length) return
  await tx.insert(webhookEvents).values(events.map((e) => ({ id: e.id, type: e.type, payload: { id: e.id, type: e.type, createdAt: e.createdAt, data: e.data } })))
  await tx.execute(sql`INSERT INTO ${webhookDeliveries} (event_id, endpoint_id)
    SELECT e.id, ep.id FROM ${webhookEvents} e JOIN ${webhookEndpoints} ep ON ep.status = 'enabled' AND e.type = ANY(ep.event_types)
    WHERE e.id IN (${sql.join(events.map((e) => sql`${e.id}::uuid`), sql`, `)})
    ORDER BY e.created_at, e.id`)
}
