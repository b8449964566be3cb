import { sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { inForce } from '../evaluations/recognitions.ts'
import { recognitions } from '../evaluations/tables.ts'
import { products } from '../products/tables.ts'
import { venueProducts } from './tables.ts'

/** A period of the assortment covers a day: it has started and has not ended. */
export const periodOn = (today: string): SQL =>
  sql`(${venueProducts.since} <= ${today}::date AND (${venueProducts.until} IS NULL OR ${venueProducts.until} >= ${today}::date))`

/**
 * A period of the assortment (joined with its product, written "products".id so that no one-table
 * query leaves it unqualified inside the subquery) shows today: it has started, has not ended, and
 * the product is active and holds a recognition of 3 stars or more in force today. Expiry and revocation
 * need no write here: the product's rating is read as of today.
 */
export const shownOn = (today: string): SQL => sql`(${periodOn(today)}
  AND ${products.status} = 'active' AND EXISTS (SELECT 1 FROM ${recognitions} WHERE ${recognitions.productId} = ${products}.id AND ${inForce(today)}))`

/** The venue (by its id column) shows this product in its current assortment. */
export const carriesSql = (venueId: SQL | AnyPgColumn, productId: string, today: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${venueProducts} JOIN ${products} ON ${products.id} = ${venueProducts.productId}
    WHERE ${venueProducts.venueId} = ${venueId} AND ${venueProducts.productId} = ${productId} AND ${shownOn(today)})`
