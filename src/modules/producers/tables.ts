import { sql } from 'drizzle-orm'
import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { adminUnits } from '../reference/tables.ts'
import { craftVillages } from '../villages/tables.ts'

export const producers = pgTable('producers', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  type: text('type', { enum: ['cooperative', 'enterprise', 'household_business', 'cooperative_group'] }).notNull(),
  taxCode: text('tax_code'),
  representative: text('representative'),
  address: text('address').notNull(),
  adminUnitCode: text('admin_unit_code').notNull().references(() => adminUnits.code),
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
  index('producers_name_idx').on(t.name, t.id),
  index('producers_updated_idx').on(t.updatedAt, t.id),
  index('producers_village_idx').on(t.craftVillageId)
])
