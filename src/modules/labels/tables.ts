import { sql } from 'drizzle-orm'
import { bigint, boolean, check, date, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { recognitions } from '../evaluations/tables.ts'
import { products } from '../products/tables.ts'

/** The next serial to hand out: one row, locked while a batch takes its range, so ranges never overlap. */
export const labelSerials = pgTable('label_serials', {
  id: smallint('id').primaryKey().default(1),
  next: bigint('next', { mode: 'number' }).notNull().default(1)
}, (t) => [check('label_serials_one_row', sql`${t.id} = 1`)])

/**
 * A print run of OCOP labels for one certificate: serials `firstSerial` to `lastSerial`. Labels are not
 * rows: a label is a serial in a batch's range plus a check code derived from the batch's secret.
 */
export const labelBatches = pgTable('label_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull().references(() => products.id),
  recognitionId: uuid('recognition_id').notNull().references(() => recognitions.id),
  firstSerial: bigint('first_serial', { mode: 'number' }).notNull(),
  lastSerial: bigint('last_serial', { mode: 'number' }).notNull(),
  quantity: integer('quantity').notNull(),
  fundedByCity: boolean('funded_by_city').notNull().default(false),
  printer: text('printer'),
  orderedOn: date('ordered_on').notNull(),
  // Signs the check codes of this batch's labels; never leaves the service.
  secret: text('secret').notNull(),
  status: text('status', { enum: ['active', 'void'] }).notNull().default('active'),
  voidReason: text('void_reason'),
  voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('label_batches_serial_idx').on(t.firstSerial),
  index('label_batches_product_idx').on(t.productId, t.createdAt),
  index('label_batches_recognition_idx').on(t.recognitionId),
  check('label_batches_range', sql`${t.lastSerial} = ${t.firstSerial} + ${t.quantity} - 1 AND ${t.quantity} BETWEEN 1 AND 100000`)
])

/** How often a label was verified, and when first and last: a copied label shows many verifications. */
export const labelVerifications = pgTable('label_verifications', {
  serial: bigint('serial', { mode: 'number' }).primaryKey(),
  batchId: uuid('batch_id').notNull().references(() => labelBatches.id),
  count: integer('count').notNull().default(1),
  firstAt: timestamp('first_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  lastAt: timestamp('last_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
})
