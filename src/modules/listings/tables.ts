import { sql } from 'drizzle-orm'
import { bigint, date, index, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { products } from '../products/tables.ts'

/** Removal reasons, in the order they are decided. */
export const REMOVAL_REASONS = ['archived', 'revoked', 'expired', 'not-recognised'] as const
export type RemovalReason = typeof REMOVAL_REASONS[number]
/** Why a listing was created or replaced. */
export const UPSERT_REASONS = ['listed', 'updated'] as const

/**
 * The listings as partners see them: one row per product that may carry the OCOP mark today, with its
 * public view. Only the sync (sync.ts) writes here, and every write appends to listing_changes in the
 * same transaction, so the feed replayed from the start is exactly this table.
 */
export const listings = pgTable('listings', {
  productId: uuid('product_id').primaryKey().references(() => products.id),
  body: jsonb('body').notNull(),
  // The export's NDJSON line, kept as text beside the body: streaming it costs no jsonb-to-text work.
  exportLine: text('export_line').notNull().generatedAlwaysAs(sql`'{"type":"listing","listing":' || body::text || '}'`),
  recognitionId: uuid('recognition_id').notNull(),
  star: smallint('star').notNull(),
  expiresOn: date('expires_on').notNull(),
  producerId: uuid('producer_id').notNull(),
  adminUnitList: text('admin_unit_list'),
  adminUnitCode: text('admin_unit_code'),
  provinceCode: text('province_code').notNull(),
  group148: text('group_148'),
  name: text('name').notNull(),
  // The expiry date for which the 30-day notice went out (once per certificate).
  expiringNoticeFor: date('expiring_notice_for'),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  index('listings_expires_idx').on(t.expiresOn),
  index('listings_producer_idx').on(t.producerId),
  index('listings_unit_idx').on(t.adminUnitCode)
])

/**
 * The change feed. Only the projector writes it, one projector at a time (a transaction-scoped advisory
 * lock kept until commit), so sequence order is commit order: a reader never sees seq n+1 before n.
 */
export const listingChanges = pgTable('listing_changes', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  eventId: uuid('event_id').notNull().defaultRandom(),
  productId: uuid('product_id').notNull(),
  kind: text('kind', { enum: ['upsert', 'remove'] }).notNull(),
  reason: text('reason').notNull(),
  listing: jsonb('listing'),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  index('listing_changes_product_idx').on(t.productId, t.seq)
])

/**
 * Products whose listing may have changed, written in the changing transaction by database triggers on
 * what a listing shows (migration 0020): products, producers, recognitions, venues and their assortment.
 * The projector (projector.ts) drains it; no other module knows listings exist.
 */
export const listingOutbox = pgTable('listing_outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  productId: uuid('product_id').notNull(),
  queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
})
