import { sql } from 'drizzle-orm'
import { check, customType, date, doublePrecision, foreignKey, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { products } from '../products/tables.ts'
import { adminUnits } from '../reference/tables.ts'
import { craftVillages } from '../villages/tables.ts'
import { LOCATION_KINDS, VENUE_STATUSES, VENUE_TYPES, type OpeningHours } from './rules.ts'

/** The `cube` extension's type: here a point on the earth's surface (earthdistance's ll_to_earth). */
const cube = customType<{ data: string, driverData: string }>({ dataType: () => 'cube' })

export const venues = pgTable('venues', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  type: text('type', { enum: VENUE_TYPES }).notNull(),
  locationKind: text('location_kind', { enum: LOCATION_KINDS }).notNull(),
  address: text('address').notNull(),
  adminUnitList: text('admin_unit_list').notNull(),
  adminUnitCode: text('admin_unit_code').notNull(),
  craftVillageId: uuid('craft_village_id').references(() => craftVillages.id),
  latitude: doublePrecision('latitude').notNull(),
  longitude: doublePrecision('longitude').notNull(),
  // Kept by a trigger (migration 0014) from latitude and longitude; GiST-indexed for nearby queries.
  location: cube('location'),
  operatorName: text('operator_name'),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  openingHours: jsonb('opening_hours').$type<OpeningHours>(),
  openedOn: date('opened_on'),
  closedOn: date('closed_on'),
  closureReason: text('closure_reason'),
  status: text('status', { enum: VENUE_STATUSES }).notNull().default('planned'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  index('venues_name_idx').on(t.name, t.id),
  index('venues_unit_idx').on(t.adminUnitCode),
  foreignKey({ name: 'venues_admin_unit_fk', columns: [t.adminUnitList, t.adminUnitCode], foreignColumns: [adminUnits.list, adminUnits.code] }),
  index('venues_village_idx').on(t.craftVillageId),
  index('venues_location_idx').using('gist', t.location),
  check('venues_coordinates', sql`${t.latitude} BETWEEN -90 AND 90 AND ${t.longitude} BETWEEN -180 AND 180`),
  check('venues_open_has_date', sql`${t.status} <> 'open' OR ${t.openedOn} IS NOT NULL`),
  check('venues_closed', sql`(${t.status} = 'closed') = (${t.closedOn} IS NOT NULL)`),
  check('venues_dates', sql`${t.closedOn} IS NULL OR ${t.openedOn} IS NULL OR ${t.closedOn} >= ${t.openedOn}`)
])

/** What a venue carries: one row per period a product was carried; the record stays when it ends. */
export const venueProducts = pgTable('venue_products', {
  id: uuid('id').primaryKey().defaultRandom(),
  venueId: uuid('venue_id').notNull().references(() => venues.id),
  productId: uuid('product_id').notNull().references(() => products.id),
  since: date('since').notNull(),
  until: date('until'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('venue_products_current_idx').on(t.venueId, t.productId).where(sql`${t.until} IS NULL`),
  index('venue_products_venue_idx').on(t.venueId, t.since),
  index('venue_products_product_idx').on(t.productId),
  check('venue_products_period', sql`${t.until} IS NULL OR ${t.until} >= ${t.since}`)
])
