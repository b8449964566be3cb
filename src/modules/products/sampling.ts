import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { products } from './tables.ts'

/**
 * Some searches at 200,000 products have a cost that PostgreSQL cannot foresee: how many products tie
 * at one distance from a typo is not in its statistics. For those the service reads a window of
 * products first: the first ones by id. Ids are random (gen_random_uuid), so the window is a fair
 * sample of the catalogue; its matches, scaled up, tell which statements to send (typo-tier.ts). A
 * catalogue smaller than SAMPLED_FROM products is never sampled: the window would cost more than it
 * could save.
 */
export const WINDOW_ROWS = 500
export const SAMPLED_FROM = WINDOW_ROWS * 40

/** The catalogue's size as the planner's statistics have it (-1 before it was first analysed: small). */
export async function catalogueSize (db: Db): Promise<number> {
  const [row] = await rowsOf<{ rows: number }>(db, sql`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'products'::regclass`)
  return Number(row?.rows ?? 0)
}

/** `products.id` is one of the first `windowSize` ids (placeholder), after `windowAfter` if `after`. */
export const inWindow = (after: boolean): SQL => sql`${products.id} = ANY(ARRAY(SELECT ${products.id} FROM ${products}${after ? sql` WHERE ${products.id} > ${sql.placeholder('windowAfter')}::uuid` : sql``} ORDER BY ${products.id} LIMIT ${sql.placeholder('windowSize')}))`

/**
 * `read` in a read-only transaction with these settings, set with set_config(…, true) so that they end
 * with it: for a plan PostgreSQL would not choose on its estimates (an index at a raised pg_trgm
 * threshold, no sort).
 */
export function withSettings<T> (db: Db, settings: Record<string, string>, read: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const set = Object.entries(settings).map(([name, value]) => sql`set_config(${name}, ${value}, true)`)
    await tx.execute(sql`SELECT ${sql.join(set, sql`, `)}`)
    return read(tx as unknown as Db)
  }, { accessMode: 'read only' })
}
