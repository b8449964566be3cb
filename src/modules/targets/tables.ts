import { sql } from 'drizzle-orm'
import { check, date, foreignKey, integer, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { adminUnits } from '../reference/tables.ts'
import { MEASURES, MEASURE_KINDS } from './rules.ts'

/**
 * A programme target: a number to reach by the end of a period, on one measure, for the city or one
 * administrative unit or product group. What each measure counts is written once, in
 * statistics/measures.ts; the rules on which fields go with which measure, in rules.ts and here.
 */
export const targets = pgTable('targets', {
  id: uuid('id').primaryKey().defaultRandom(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  source: text('source').notNull(),
  periodFrom: date('period_from').notNull(),
  periodTo: date('period_to').notNull(),
  measure: text('measure', { enum: MEASURES }).notNull(),
  minStar: smallint('min_star'),
  venueType: text('venue_type'),
  adminUnitList: text('admin_unit_list'),
  adminUnitCode: text('admin_unit_code'),
  productGroup: text('product_group'),
  number: integer('number').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  foreignKey({ name: 'targets_admin_unit_fk', columns: [t.adminUnitList, t.adminUnitCode], foreignColumns: [adminUnits.list, adminUnits.code] }),
  check('targets_period', sql`${t.periodTo} >= ${t.periodFrom}`),
  check('targets_number', sql`${t.number} > 0`),
  check('targets_star', sql`(${t.measure} IN (${sql.raw(MEASURE_KINDS.products.map((m) => `'${m}'`).join(', '))})) = (${t.minStar} IS NOT NULL) AND (${t.minStar} IS NULL OR ${t.minStar} BETWEEN 3 AND 5)`),
  check('targets_venue_type', sql`${t.venueType} IS NULL OR ${t.measure} = 'venues-open'`),
  check('targets_group', sql`${t.productGroup} IS NULL OR ${t.measure} <> 'venues-open'`),
  check('targets_unit', sql`(${t.adminUnitList} IS NULL) = (${t.adminUnitCode} IS NULL)`)
])
