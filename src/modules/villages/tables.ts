import { boolean, foreignKey, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { adminUnits } from '../reference/tables.ts'

export const craftVillages = pgTable('craft_villages', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  adminUnitList: text('admin_unit_list').notNull(),
  adminUnitCode: text('admin_unit_code').notNull(),
  trade: text('trade').notNull(),
  recognised: boolean('recognised').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('craft_villages_name_unit_idx').on(t.name, t.adminUnitCode),
  index('craft_villages_unit_idx').on(t.adminUnitCode),
  foreignKey({ name: 'craft_villages_admin_unit_fk', columns: [t.adminUnitList, t.adminUnitCode], foreignColumns: [adminUnits.list, adminUnits.code] })
])
