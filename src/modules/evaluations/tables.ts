import { sql } from 'drizzle-orm'
import { boolean, check, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { products } from '../products/tables.ts'
import { provinces } from '../reference/tables.ts'

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
  // The decision dates for which councils may decide under this set: from its decision, and for a
  // while after its successor came in, for dossiers already under evaluation (data, adjustable).
  usableFrom: date('usable_from').notNull(),
  usableUntil: date('usable_until'),
  // The fewest score sheets a council needs before it decides (data, adjustable).
  quorum: smallint('quorum').notNull().default(3),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  check('criteria_sets_dates', sql`${t.appliesTo} IS NULL OR ${t.appliesTo} >= ${t.appliesFrom}`),
  check('criteria_sets_usable', sql`${t.usableUntil} IS NULL OR ${t.usableUntil} >= ${t.usableFrom}`),
  check('criteria_sets_quorum', sql`${t.quorum} BETWEEN 1 AND 50`)
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
  // A mandatory criterion's minimum mean points at each star level (NULL: not mandatory at that level).
  minPoints3: numeric('min_points_3', { precision: 5, scale: 2, mode: 'number' }),
  minPoints4: numeric('min_points_4', { precision: 5, scale: 2, mode: 'number' }),
  minPoints5: numeric('min_points_5', { precision: 5, scale: 2, mode: 'number' }),
  position: integer('position').notNull()
}, (t) => [
  primaryKey({ columns: [t.setKey, t.code] }),
  foreignKey({ name: 'criteria_part_fk', columns: [t.setKey, t.part], foreignColumns: [criteriaSetParts.setKey, criteriaSetParts.part] }).onDelete('cascade'),
  check('criteria_max', sql`${t.maxPoints} > 0`),
  check('criteria_min_points', sql`(${t.minPoints3} IS NULL OR ${t.minPoints3} BETWEEN 0 AND ${t.maxPoints}) AND (${t.minPoints4} IS NULL OR ${t.minPoints4} BETWEEN 0 AND ${t.maxPoints}) AND (${t.minPoints5} IS NULL OR ${t.minPoints5} BETWEEN 0 AND ${t.maxPoints})`)
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

// A recognition (3, 4 or 5 stars) with its certificate. Append-only (migration 0019): the decision
// columns never change; supersession, revocation, the central review's outcome and the expiry notice
// are later facts, each set once and never changed, and nothing is deleted.
export const recognitions = pgTable('recognitions', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull().references(() => products.id),
  // Null for a recognition imported from the register kept before this service (source 'import') and
  // for one issued by another province's council (source 'external').
  evaluationId: uuid('evaluation_id').references(() => evaluations.id),
  source: text('source', { enum: ['decision', 'import', 'external'] }).notNull().default('decision'),
  // An external recognition's province (list and code) and issuing body; null for Hanoi's own.
  provinceList: text('province_list'),
  provinceCode: text('province_code'),
  issuingBody: text('issuing_body'),
  decisionNumber: text('decision_number').notNull(),
  decisionDate: date('decision_date').notNull(),
  issuingLevel: text('issuing_level', { enum: ['commune', 'district', 'city', 'central'] }).notNull(),
  star: smallint('star').notNull(),
  certificateNumber: text('certificate_number').notNull(),
  issuedOn: date('issued_on').notNull(),
  // The last day of validity (Civil Code 2015, arts. 147-148): the mark is lost the day after.
  expiresOn: date('expires_on').notNull(),
  potentialFiveStar: boolean('potential_five_star').notNull().default(false),
  reviewStatus: text('review_status', { enum: ['pending', 'confirmed', 'rejected'] }),
  reviewedOn: date('reviewed_on'),
  reviewReference: text('review_reference'),
  supersededBy: uuid('superseded_by'),
  supersededOn: date('superseded_on'),
  revokedOn: date('revoked_on'),
  revocationReference: text('revocation_reference'),
  revocationReason: text('revocation_reason'),
  // The issuing body notifies the producer at least 30 days before expiry.
  noticeSentOn: date('notice_sent_on'),
  // The one definition of "in force on a day": from issued_on up to the day before effect_ends_on,
  // the earliest of the day after expiry, the revocation and the supersession. At most one period per
  // product covers any day (exclusion constraint recognitions_one_in_force, migration 0019).
  effectEndsOn: date('effect_ends_on').notNull().generatedAlwaysAs(sql`LEAST(expires_on + 1, revoked_on, superseded_on)`),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('recognitions_certificate_idx').on(t.certificateNumber),
  uniqueIndex('recognitions_evaluation_idx').on(t.evaluationId),
  index('recognitions_product_idx').on(t.productId, t.issuedOn),
  index('recognitions_expiry_idx').on(t.expiresOn),
  check('recognitions_star', sql`${t.star} BETWEEN 3 AND 5`),
  check('recognitions_source', sql`(${t.source} = 'decision') = (${t.evaluationId} IS NOT NULL)`),
  check('recognitions_external', sql`(${t.source} = 'external') = (${t.provinceCode} IS NOT NULL) AND (${t.provinceCode} IS NULL) = (${t.provinceList} IS NULL) AND (${t.provinceCode} IS NULL) = (${t.issuingBody} IS NULL)`),
  foreignKey({ name: 'recognitions_province_fk', columns: [t.provinceList, t.provinceCode], foreignColumns: [provinces.list, provinces.code] }),
  check('recognitions_dates', sql`${t.expiresOn} > ${t.issuedOn}`),
  check('recognitions_potential', sql`NOT ${t.potentialFiveStar} OR ${t.star} = 4`),
  check('recognitions_ends', sql`(${t.revokedOn} IS NULL OR ${t.revokedOn} >= ${t.issuedOn}) AND (${t.supersededOn} IS NULL OR ${t.supersededOn} >= ${t.issuedOn})`),
  check('recognitions_review', sql`(${t.reviewStatus} IS NULL) = NOT ${t.potentialFiveStar} AND (${t.reviewedOn} IS NULL) = (${t.reviewStatus} IS NOT DISTINCT FROM 'pending' OR ${t.reviewStatus} IS NULL)`)
])
