import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

// Answers to POSTs sent with an Idempotency-Key, kept so that a retry gets the first answer again.
export const idempotencyKeys = pgTable('idempotency_keys', {
  client: text('client').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  state: text('state', { enum: ['running', 'done'] }).notNull(),
  status: integer('status'),
  headers: jsonb('headers').$type<Record<string, string>>(),
  body: text('body'),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'string' }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull()
}, (t) => [
  primaryKey({ columns: [t.client, t.key] })
])
