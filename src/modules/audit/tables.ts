import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

// Append-only: a trigger (migration 0004) refuses UPDATE and DELETE.
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  keyId: uuid('key_id'),
  keyName: text('key_name'),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  action: text('action').notNull(),
  changes: jsonb('changes').$type<Record<string, { old: unknown, new: unknown }>>().notNull(),
  requestId: text('request_id')
}, (t) => [
  index('audit_log_entity_idx').on(t.entity, t.entityId, t.id),
  index('audit_log_key_idx').on(t.keyId, t.id)
])
