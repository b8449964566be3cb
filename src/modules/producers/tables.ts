import { sql } from 'drizzle-orm'
import { check, date, foreignKey, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { adminUnits, provinces } from '../reference/tables.ts'
import { craftVillages } from '../villages/tables.ts'

export const producers = pgTable('producers', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  type: text('type', { enum: ['cooperative', 'enterprise', 'household_business', 'cooperative_group'] }).notNull(),
  taxCode: text('tax_code'),
  representative: text('representative'),
  address: text('address').notNull(),
  // Hanoi's unit (list and code) for a producer in Hanoi; null for a producer of another province.
  adminUnitList: text('admin_unit_list'),
  adminUnitCode: text('admin_unit_code'),
  // The province (list and code): 01, Hà Nội, for every producer with a Hanoi unit.
  provinceList: text('province_list').notNull(),
  provinceCode: text('province_code').notNull(),
  registeredOn: date('registered_on').notNull(),
  craftVillageId: uuid('craft_village_id').references(() => craftVillages.id),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  socialUrl: text('social_url'),
  status: text('status', { enum: ['active', 'inactive'] }).notNull().default('active'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('producers_tax_code_idx').on(t.taxCode).where(sql`${t.taxCode} IS NOT NULL`),
  index('producers_unit_idx').on(t.adminUnitCode),
  foreignKey({ name: 'producers_admin_unit_fk', columns: [t.adminUnitList, t.adminUnitCode], foreignColumns: [adminUnits.list, adminUnits.code] }),
  foreignKey({ name: 'producers_province_fk', columns: [t.provinceList, t.provinceCode], foreignColumns: [provinces.list, provinces.code] }),
  index('producers_province_idx').on(t.provinceCode),
  check('producers_place', sql`(${t.provinceCode} = '01') = (${t.adminUnitCode} IS NOT NULL) AND (${t.adminUnitCode} IS NULL) = (${t.adminUnitList} IS NULL)`),
  index('producers_name_idx').on(t.name, t.id),
  index('producers_updated_idx').on(t.updatedAt, t.id),
  index('producers_village_idx').on(t.craftVillageId)
])
