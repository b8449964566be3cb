import { sql } from 'drizzle-orm'
import { check, date, foreignKey, index, integer, pgTable, pgView, primaryKey, smallint, text } from 'drizzle-orm/pg-core'

/**
 * The code lists administrative units are identified in. Codes are unique only within a list: the
 * GSO list before the 2025 reform (Decision 124/2004/QĐ-TTg, as it stood on 2025-06-30) and the list of
 * Decision 19/2025/QĐ-TTg from 2025-07-01 reuse the same numbers for different units. The list in force
 * on a date is the one whose validity covers it.
 */
export const unitLists = pgTable('unit_lists', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  source: text('source').notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to')
}, (t) => [
  check('unit_lists_validity', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`)
])

// Hanoi's administrative units, each identified by its list and code: the 30 districts of the old list
// (valid until 2025-06-30) and the 126 commune-level units of the two-tier government (from 2025-07-01).
export const adminUnits = pgTable('admin_units', {
  list: text('list').notNull().references(() => unitLists.key),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  kind: text('kind', { enum: ['urban_district', 'town', 'rural_district', 'ward', 'commune'] }).notNull(),
  level: text('level', { enum: ['district', 'commune'] }).notNull(),
  provinceCode: text('province_code').notNull().default('01'),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to')
}, (t) => [
  primaryKey({ columns: [t.list, t.code] }),
  check('admin_units_validity', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
  check('admin_units_kind_level', sql`(${t.level} = 'district' AND ${t.kind} IN ('urban_district', 'town', 'rural_district')) OR (${t.level} = 'commune' AND ${t.kind} IN ('ward', 'commune'))`),
  index('admin_units_level_idx').on(t.level, t.validFrom),
  index('admin_units_code_idx').on(t.code)
])

/**
 * Vietnam's provinces and centrally-run cities, by list: the 63 of the old list (until 2025-06-30) and
 * the 34 from 2025-07-01 (Resolution 202/2025/QH15). Codes are reused across the lists: new 24 is Bắc
 * Ninh (Bắc Giang and Bắc Ninh merged), old 24 was Bắc Giang.
 */
export const provinces = pgTable('provinces', {
  list: text('list').notNull().references(() => unitLists.key),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  kind: text('kind', { enum: ['city', 'province'] }).notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to')
}, (t) => [
  primaryKey({ columns: [t.list, t.code] }),
  check('provinces_validity', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`)
])

/**
 * Territorial links across a reform, for a register of coded units (`target`): the unit (list, code)
 * took territory (all or part of it) from the former unit. Many-to-many: Xã Bát Tràng took territory
 * from Gia Lâm and Long Biên, and Gia Lâm's territory went to several new units; a new province merged
 * several old ones. Filters read these links both ways (territorial overlap).
 */
const linksOf = (name: string, noun: string, target: typeof adminUnits | typeof provinces) => pgTable(name, {
  list: text('list').notNull(),
  code: text('code').notNull(),
  formerList: text('former_list').notNull(),
  formerCode: text('former_code').notNull()
}, (t) => [
  primaryKey({ columns: [t.list, t.code, t.formerList, t.formerCode] }),
  foreignKey({ name: `${name}_${noun}_fk`, columns: [t.list, t.code], foreignColumns: [target.list, target.code] }),
  foreignKey({ name: `${name}_former_fk`, columns: [t.formerList, t.formerCode], foreignColumns: [target.list, target.code] }),
  index(`${name}_former_idx`).on(t.formerList, t.formerCode)
])
export const adminUnitLinks = linksOf('admin_unit_links', 'unit', adminUnits)
export const provinceLinks = linksOf('province_links', 'province', provinces)

/**
 * Territorial overlap (views of migration 0024), the one definition every filter and grouping across a
 * reform reads: (list, code) overlaps (otherList, otherCode) when they are the same unit or one took
 * territory from the other.
 */
const overlapColumns = { list: text('list').notNull(), code: text('code').notNull(), otherList: text('other_list').notNull(), otherCode: text('other_code').notNull() }
export const adminUnitOverlap = pgView('admin_unit_overlap', overlapColumns).existing()
export const provinceOverlap = pgView('province_overlap', overlapColumns).existing()

// The two OCOP product taxonomies, keyed by the criteria set that defines them.
export const productGroups = pgTable('product_groups', {
  criteriaSet: text('criteria_set', { enum: ['QD1048-2019', 'QD148-2023'] }).notNull(),
  code: text('code').notNull(),
  parentCode: text('parent_code'),
  level: smallint('level').notNull(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  position: integer('position').notNull()
}, (t) => [
  primaryKey({ columns: [t.criteriaSet, t.code] }),
  foreignKey({ name: 'product_groups_parent_fk', columns: [t.criteriaSet, t.parentCode], foreignColumns: [t.criteriaSet, t.code] }),
  check('product_groups_level', sql`${t.level} IN (1, 2) AND ((${t.level} = 1) = (${t.parentCode} IS NULL))`)
])

// How a group of one taxonomy reads in the other (QD148-2023 -> QD1048-2019 and back).
export const productGroupMappings = pgTable('product_group_mappings', {
  fromSet: text('from_set').notNull(),
  fromCode: text('from_code').notNull(),
  toSet: text('to_set').notNull(),
  toCode: text('to_code').notNull()
}, (t) => [
  primaryKey({ columns: [t.fromSet, t.fromCode, t.toSet, t.toCode] }),
  foreignKey({ name: 'product_group_mappings_from_fk', columns: [t.fromSet, t.fromCode], foreignColumns: [productGroups.criteriaSet, productGroups.code] }),
  foreignKey({ name: 'product_group_mappings_to_fk', columns: [t.toSet, t.toCode], foreignColumns: [productGroups.criteriaSet, productGroups.code] })
])
