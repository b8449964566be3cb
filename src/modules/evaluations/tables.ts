import { sql } from 'drizzle-orm'
import { boolean, check, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { products } from '../products/tables.ts'

// Criteria sets are data, versioned by key (QD1048-2019, QD148-2023, …); a set's taxonomy is the
// product_groups rows with the same criteria_set key.
export const criteriaSets = pgTable('criteria_sets', {
  key: text('key').primaryKey(),
  titleVi: text('title_vi').notNull(),
  titleEn: text('title_en').notNull(),
  decision: text('decision').notNull(),
  appliesFrom: date('applies_from').notNull(),
  appliesTo: date('applies_to'),
  taxonomy: text('taxonomy').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  check('criteria_sets_dates', sql`${t.appliesTo} IS NULL OR ${t.appliesTo} >= ${t.appliesFrom}`)
])

export const criteriaSetParts = pgTable('criteria_set_parts', {
  setKey: text('set_key').notNull().references(() => criteriaSets.key, { onDelete: 'cascade' }),
  part: text('part', { enum: ['A', 'B', 'C'] }).notNull(),
  titleVi: text('title_vi').notNull(),
  titleEn: text('title_en').notNull(),
  maxPoints: integer('max_points').notNull()
}, (t) => [
  primaryKey({ columns: [t.setKey, t.part] }),
  check('criteria_set_parts_max', sql`${t.maxPoints} > 0 AND ${t.maxPoints} <= 100`)
])

export const criteria = pgTable('criteria', {
  setKey: text('set_key').notNull(),
  code: text('code').notNull(),
  part: text('part', { enum: ['A', 'B', 'C'] }).notNull(),
  titleVi: text('title_vi').notNull(),
  titleEn: text('title_en').notNull(),
  maxPoints: numeric('max_points', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  // The lowest star level for which the criterion is mandatory (and every level above it).
  mandatoryFor: smallint('mandatory_for'),
  position: integer('position').notNull()
}, (t) => [
  primaryKey({ columns: [t.setKey, t.code] }),
  foreignKey({ name: 'criteria_part_fk', columns: [t.setKey, t.part], foreignColumns: [criteriaSetParts.setKey, criteriaSetParts.part] }).onDelete('cascade'),
  check('criteria_max', sql`${t.maxPoints} > 0`),
  check('criteria_mandatory_for', sql`${t.mandatoryFor} IS NULL OR ${t.mandatoryFor} BETWEEN 3 AND 5`)
])

// An evaluation of one product under one criteria set, by a council level, in a round (year, batch).
export const evaluations = pgTable('evaluations', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull().references(() => products.id),
  criteriaSetKey: text('criteria_set_key').notNull().references(() => criteriaSets.key),
  councilLevel: text('council_level', { enum: ['commune', 'district', 'city', 'central'] }).notNull(),
  roundYear: smallint('round_year').notNull(),
  roundBatch: smallint('round_batch').notNull(),
  status: text('status', { enum: ['draft', 'submitted', 'scored', 'decided'] }).notNull().default('draft'),
  // Computed from the score sheets, never sent by a client.
  score: numeric('score', { precision: 5, scale: 2, mode: 'number' }),
  tier: smallint('tier'),
  mandatoryMet: jsonb('mandatory_met').$type<Record<'3' | '4' | '5', boolean>>(),
  // Set by the decision.
  star: smallint('star'),
  decisionNumber: text('decision_number'),
  decisionDate: date('decision_date'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  index('evaluations_product_idx').on(t.productId, t.createdAt),
  index('evaluations_status_idx').on(t.status, t.councilLevel),
  check('evaluations_round', sql`${t.roundYear} BETWEEN 2018 AND 2100 AND ${t.roundBatch} BETWEEN 1 AND 12`)
])

// One council member's points per criterion; totals are computed by the service.
export const scoreSheets = pgTable('score_sheets', {
  id: uuid('id').primaryKey().defaultRandom(),
  evaluationId: uuid('evaluation_id').notNull().references(() => evaluations.id, { onDelete: 'cascade' }),
  memberName: text('member_name').notNull(),
  points: jsonb('points').$type<Record<string, number>>().notNull(),
  partTotals: jsonb('part_totals').$type<Record<'A' | 'B' | 'C', number>>().notNull(),
  total: numeric('total', { precision: 5, scale: 2, mode: 'number' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('score_sheets_member_idx').on(t.evaluationId, t.memberName),
  check('score_sheets_total', sql`${t.total} BETWEEN 0 AND 100`)
])

// A recognition (3, 4 or 5 stars) with its certificate. Append-only in spirit: supersession, review
// outcome and revocation are recorded on it, nothing is overwritten or deleted.
export const recognitions = pgTable('recognitions', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull().references(() => products.id),
  evaluationId: uuid('evaluation_id').notNull().references(() => evaluations.id),
  decisionNumber: text('decision_number').notNull(),
  decisionDate: date('decision_date').notNull(),
  issuingLevel: text('issuing_level', { enum: ['commune', 'district', 'city', 'central'] }).notNull(),
  star: smallint('star').notNull(),
  certificateNumber: text('certificate_number').notNull(),
  issuedOn: date('issued_on').notNull(),
  expiresOn: date('expires_on').notNull(),
  potentialFiveStar: boolean('potential_five_star').notNull().default(false),
  reviewStatus: text('review_status', { enum: ['pending', 'confirmed', 'rejected'] }),
  supersededBy: uuid('superseded_by'),
  supersededOn: date('superseded_on'),
  revokedOn: date('revoked_on'),
  revocationReference: text('revocation_reference'),
  revocationReason: text('revocation_reason'),
  // The issuing body notifies the producer at least 30 days before expiry.
  noticeSentOn: date('notice_sent_on'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('recognitions_certificate_idx').on(t.certificateNumber),
  uniqueIndex('recognitions_evaluation_idx').on(t.evaluationId),
  index('recognitions_product_idx').on(t.productId, t.issuedOn),
  index('recognitions_expiry_idx').on(t.expiresOn),
  check('recognitions_star', sql`${t.star} BETWEEN 3 AND 5`),
  check('recognitions_dates', sql`${t.expiresOn} > ${t.issuedOn}`),
  check('recognitions_potential', sql`NOT ${t.potentialFiveStar} OR ${t.star} = 4`)
])
