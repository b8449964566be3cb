import { sql } from 'drizzle-orm'
import { bigint, check, foreignKey, index, integer, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { producers } from '../producers/tables.ts'
import { productGroups } from '../reference/tables.ts'
import { craftVillages } from '../villages/tables.ts'

export const productCodeSeq = pgSequence('product_code_seq', { startWith: 1 })

export const products = pgTable('products', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().default(sql`('HN-' || lpad(nextval('product_code_seq')::text, 6, '0'))`),
  producerId: uuid('producer_id').notNull().references(() => producers.id),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en'),
  description: text('description'),
  group148: text('group_148'),
  group1048: text('group_1048'),
  criteriaSet148: text('criteria_set_148').notNull().default('QD148-2023'),
  criteriaSet1048: text('criteria_set_1048').notNull().default('QD1048-2019'),
  unit: text('unit'),
  packaging: text('packaging'),
  shelfLifeDays: integer('shelf_life_days'),
  priceVnd: bigint('price_vnd', { mode: 'number' }),
  imageUrls: text('image_urls').array().notNull().default(sql`'{}'::text[]`),
  craftVillageId: uuid('craft_village_id').references(() => craftVillages.id),
  status: text('status', { enum: ['draft', 'active', 'archived'] }).notNull().default('draft'),
  // The producer's administrative unit (list, code), copied here by triggers (migration 0027) whenever
  // the product is written or its producer moves: the producer's columns are the truth. Lists filter
  // on it through the composite indexes below, without a join per row.
  adminUnitList: text('admin_unit_list'),
  adminUnitCode: text('admin_unit_code'),
  // Unaccented, lower-cased product names (both languages), producer name and craft village name,
  // kept by triggers (migration 0006) for accent-insensitive, typo-tolerant search.
  searchDoc: text('search_doc').notNull().default(''),
  // Both names in lower case with their diacritics: a match here is a match with the user's own spelling.
  searchExact: text('search_exact').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('products_code_idx').on(t.code),
  index('products_producer_idx').on(t.producerId, t.group148),
  index('products_name_idx').on(t.nameVi, t.id),
  index('products_updated_idx').on(t.updatedAt, t.id),
  index('products_group148_idx').on(t.group148),
  index('products_group1048_idx').on(t.group1048),
  index('products_village_idx').on(t.craftVillageId),
  index('products_search_idx').using('gin', sql`${t.searchDoc} gin_trgm_ops`),
  index('products_search_exact_idx').using('gin', sql`${t.searchExact} gin_trgm_ops`),
  index('products_active_name_idx').on(t.nameVi, t.id).where(sql`${t.status} = 'active'`),
  // A published list by unit walks each unit's products in the page's order (products/list.ts, pageInUnits).
  index('products_active_unit_name_idx').on(t.adminUnitCode, t.nameVi, t.id).where(sql`${t.status} = 'active'`),
  index('products_active_unit_updated_idx').on(t.adminUnitCode, t.updatedAt, t.id).where(sql`${t.status} = 'active'`),
  foreignKey({ name: 'products_group148_fk', columns: [t.criteriaSet148, t.group148], foreignColumns: [productGroups.criteriaSet, productGroups.code] }),
  foreignKey({ name: 'products_group1048_fk', columns: [t.criteriaSet1048, t.group1048], foreignColumns: [productGroups.criteriaSet, productGroups.code] }),
  check('products_price', sql`${t.priceVnd} IS NULL OR ${t.priceVnd} >= 0`),
  check('products_criteria_sets', sql`${t.criteriaSet148} = 'QD148-2023' AND ${t.criteriaSet1048} = 'QD1048-2019'`)
])
