import { sql } from 'drizzle-orm'
import { bigint, check, date, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { adminUnits } from '../reference/tables.ts'
import { venues } from '../venues/tables.ts'
import { FAIR_KINDS, FAIR_STATUSES, MOU_STATUSES, PARTNER_KINDS } from './rules.ts'

const stamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}

export const distributionPartners = pgTable('distribution_partners', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind', { enum: PARTNER_KINDS }).notNull(),
  country: text('country').notNull().default('VN'),
  taxCode: text('tax_code'),
  contactName: text('contact_name'),
  phone: text('phone'),
  email: text('email'),
  website: text('website'),
  ...stamps
}, (t) => [
  uniqueIndex('distribution_partners_tax_idx').on(t.country, t.taxCode).where(sql`${t.taxCode} IS NOT NULL`),
  index('distribution_partners_name_idx').on(t.name, t.id)
])

export const fairs = pgTable('fairs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind', { enum: FAIR_KINDS }).notNull(),
  organiser: text('organiser').notNull(),
  address: text('address'),
  venueId: uuid('venue_id').references(() => venues.id),
  adminUnitList: text('admin_unit_list').notNull(),
  adminUnitCode: text('admin_unit_code').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  regions: text('regions').array().notNull().default(sql`'{}'::text[]`),
  status: text('status', { enum: FAIR_STATUSES }).notNull().default('planned'),
  statusReason: text('status_reason'),
  ...stamps
}, (t) => [
  index('fairs_starts_idx').on(t.startsOn, t.id),
  index('fairs_unit_idx').on(t.adminUnitCode),
  foreignKey({ name: 'fairs_admin_unit_fk', columns: [t.adminUnitList, t.adminUnitCode], foreignColumns: [adminUnits.list, adminUnits.code] }),
  check('fairs_dates', sql`${t.endsOn} >= ${t.startsOn}`),
  check('fairs_place', sql`${t.address} IS NOT NULL OR ${t.venueId} IS NOT NULL`)
])

export const booths = pgTable('booths', {
  id: uuid('id').primaryKey().defaultRandom(),
  fairId: uuid('fair_id').notNull().references(() => fairs.id),
  number: text('number').notNull(),
  producerId: uuid('producer_id').notNull().references(() => producers.id),
  createdAt: stamps.createdAt
}, (t) => [
  uniqueIndex('booths_number_idx').on(t.fairId, t.number),
  index('booths_producer_idx').on(t.producerId)
])

export const boothProducts = pgTable('booth_products', {
  boothId: uuid('booth_id').notNull().references(() => booths.id),
  productId: uuid('product_id').notNull().references(() => products.id)
}, (t) => [primaryKey({ columns: [t.boothId, t.productId] })])

export const mous = pgTable('mous', {
  id: uuid('id').primaryKey().defaultRandom(),
  producerId: uuid('producer_id').notNull().references(() => producers.id),
  partnerId: uuid('partner_id').notNull().references(() => distributionPartners.id),
  witness: text('witness'),
  fairId: uuid('fair_id').references(() => fairs.id),
  signedOn: date('signed_on').notNull(),
  termStart: date('term_start').notNull(),
  termEnd: date('term_end').notNull(),
  valueVnd: bigint('value_vnd', { mode: 'number' }).notNull(),
  market: text('market', { enum: ['domestic', 'export'] }).notNull(),
  exportCountries: text('export_countries').array().notNull().default(sql`'{}'::text[]`),
  documentUrls: text('document_urls').array().notNull().default(sql`'{}'::text[]`),
  status: text('status', { enum: MOU_STATUSES }).notNull().default('signed'),
  statusReason: text('status_reason'),
  statusChangedOn: date('status_changed_on'),
  ...stamps
}, (t) => [
  index('mous_signed_idx').on(t.signedOn, t.id),
  index('mous_producer_idx').on(t.producerId),
  index('mous_partner_idx').on(t.partnerId),
  index('mous_fair_idx').on(t.fairId),
  check('mous_term', sql`${t.termEnd} >= ${t.termStart}`),
  check('mous_value', sql`${t.valueVnd} >= 0`),
  check('mous_market', sql`(${t.market} = 'export') = (cardinality(${t.exportCountries}) > 0)`)
])

export const mouProducts = pgTable('mou_products', {
  mouId: uuid('mou_id').notNull().references(() => mous.id),
  productId: uuid('product_id').notNull().references(() => products.id)
}, (t) => [primaryKey({ columns: [t.mouId, t.productId] })])
