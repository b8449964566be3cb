import { sql } from 'drizzle-orm'
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

// API keys. Only a SHA-256 hash of the key is stored (keys carry 256 bits of randomness, so a slow
// hash adds nothing); the prefix identifies a key in lists and logs without revealing it.
export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: text('role', { enum: ['partner', 'operator', 'council', 'admin'] }).notNull(),
  prefix: text('prefix').notNull(),
  hash: text('hash').notNull(),
  adminUnits: text('admin_units').array().notNull().default(sql`'{}'::text[]`),
  councilLevel: text('council_level', { enum: ['commune', 'district', 'city', 'central'] }),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  rotatedFrom: uuid('rotated_from'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('api_keys_hash_idx').on(t.hash),
  index('api_keys_created_idx').on(t.createdAt, t.id),
  check('api_keys_council_level', sql`(${t.role} = 'council') = (${t.councilLevel} IS NOT NULL)`)
])
