import { sql } from 'drizzle-orm'
import { check, date, foreignKey, index, integer, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core'

// Hanoi's administrative units. District-level units are valid until 2025-06-30; the 126 commune-level
// units of the two-tier government (from 2025-07-01) are added as rows of level 'commune'.
export const adminUnits = pgTable('admin_units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  kind: text('kind', { enum: ['urban_district', 'town', 'rural_district', 'ward', 'commune'] }).notNull(),
  level: text('level', { enum: ['district', 'commune'] }).notNull(),
  provinceCode: text('province_code').notNull().default('01'),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  // For a commune-level unit: the district(s) its territory came from, so a filter on a historical
  // district also finds records made under the units that replaced it.
  formerCodes: text('former_codes').array().notNull().default(sql`'{}'::text[]`)
}, (t) => [
  check('admin_units_validity', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`),
  check('admin_units_kind_level', sql`(${t.level} = 'district' AND ${t.kind} IN ('urban_district', 'town', 'rural_district')) OR (${t.level} = 'commune' AND ${t.kind} IN ('ward', 'commune'))`),
  index('admin_units_level_idx').on(t.level, t.validFrom)
])

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
