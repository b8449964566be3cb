import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { apiKeys } from '../keys/tables.ts'

/** What an endpoint subscribes to. */
export const EVENT_TYPES = ['listing.upserted', 'listing.removed', 'certificate.expiring'] as const
export type EventType = typeof EVENT_TYPES[number]
/** Sent to one endpoint when its owner asks for it (POST /v1/webhooks/{id}/ping), whatever it subscribes to. */
export const PING = 'webhook.ping'
export const DELIVERED_TYPES = [...EVENT_TYPES, PING] as const

/** A partner's endpoint. Each delivery is signed with its secret (HMAC), stored encrypted when WEBHOOK_SECRET_KEY is set. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerKeyId: uuid('owner_key_id').notNull().references(() => apiKeys.id),
  url: text('url').notNull(),
  eventTypes: text('event_types').array().notNull(),
  description: text('description'),
  secret: text('secret').notNull(),
  // After a rotation the previous secret also signs, until this instant.
  previousSecret: text('previous_secret'),
  previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true, mode: 'string' }),
  // Registered before deliveries followed Standard Webhooks: the OCOP-Webhook-* headers are sent too,
  // until the endpoint's next secret rotation (migration 0022 sets it on the endpoints it found).
  legacyHeaders: boolean('legacy_headers').notNull().default(false),
  status: text('status', { enum: ['enabled', 'disabled'] }).notNull().default('enabled'),
  disabledReason: text('disabled_reason'),
  failingSince: timestamp('failing_since', { withTimezone: true, mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [index('webhook_endpoints_owner_idx').on(t.ownerKeyId)])

/** What happened, once: a listing change (its id is the feed entry's event id) or an expiry notice. */
export const webhookEvents = pgTable('webhook_events', {
  id: uuid('id').primaryKey(),
  type: text('type', { enum: DELIVERED_TYPES }).notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
})

/**
 * One event for one endpoint: the outbox. Written in the transaction that made the event; a relay hands
 * each to the job queue (pg-boss), whose workers make the attempts, with retries and backoff.
 */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull().references(() => webhookEvents.id),
  endpointId: uuid('endpoint_id').notNull().references(() => webhookEndpoints.id),
  status: text('status', { enum: ['pending', 'delivering', 'succeeded', 'failed', 'skipped'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  jobId: uuid('job_id'),
  redeliveryOf: uuid('redelivery_of'),
  claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' })
}, (t) => [
  index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  index('webhook_deliveries_unqueued_idx').on(t.createdAt).where(sql`${t.jobId} IS NULL AND ${t.status} = 'pending'`)
])

export const webhookAttempts = pgTable('webhook_attempts', {
  id: uuid('id').primaryKey().defaultRandom(),
  deliveryId: uuid('delivery_id').notNull().references(() => webhookDeliveries.id),
  attempt: integer('attempt').notNull(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  statusCode: integer('status_code'),
  durationMs: integer('duration_ms').notNull(),
  error: text('error')
}, (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)])
