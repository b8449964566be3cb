import { sql } from 'drizzle-orm'
import { check, date, foreignKey, integer, numeric, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core'

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
