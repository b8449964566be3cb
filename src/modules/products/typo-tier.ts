/**
 * The third relevance tier of a product search (list.ts): names that resemble the query without
 * containing it, nearest first (word-similarity distance), then by id. Read in one statement, every
 * candidate's distance is computed before the first row can be returned. Where a typo resembles a
 * common phrase, tens of thousands of products tie at one distance (`bat trnag`: 48,750 of 200,000,
 * each "bat trang" at 0.4), and the page took 0.8-1.1 s.
 *
 * Here the distances of the products among a window of ids (sampling.ts: ids are random, so the window
 * is a fair sample) tell where the page's rows lie:
 * - few matches in the window: the tier is sparse, and its own statement is cheap (rest);
 * - the page's last row in the window sits in a crowd of ties: the rows nearer than the crowd come from
 *   the trigram index at a threshold above it (nearer, few rows), and the crowd's rows, in id order,
 *   from a walk of the primary key that stops at the page's size (tied);
 * - otherwise the rows up to that distance come from the trigram index at its threshold (nearer).
 * Each step returns exactly the rows the single statement would, in its order: the window only decides
 * which statements read them.
 */

import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { prepared } from '../../db/prepared.ts'
import { producers } from '../producers/tables.ts'
import { distance, fuzzy, unaccented } from './search-sql.ts'
import { catalogueSize, inWindow, SAMPLED_FROM, WINDOW_ROWS, withSettings } from './sampling.ts'
import { products } from './tables.ts'

/** A row of the tier: `sortKey` is its distance. */
export type TypoRow = Record<string, unknown> & { id: string, sortKey: number }
/** The last row read: [distance, id]. */
export type After = [distance: number, id: string] | undefined

export interface TypoStatements {
  /** The catalogue's size as the planner's statistics have it. */
  size: () => Promise<number>
  /** The distances of the tier's rows after `after` among the first `rows` ids greater than `afterId`, and whether that window reached the last id. */
  sample: (after: After, afterId: string | undefined, rows: number) => Promise<{ distances: number[], complete: boolean }>
  /** The tier's rows after `after` nearer than `bound` (or as near, `inclusive`), nearest first, from the trigram index at the bound's similarity. */
  nearer: (bound: number, inclusive: boolean, after: After, limit: number) => Promise<TypoRow[]>
  /** The tier's rows at exactly `distance`, by id after `afterId`, walking the primary key. */
  tied: (distance: number, afterId: string | undefined, limit: number) => Promise<TypoRow[]>
  /** The tier's rows after `after`, nearest first: the tier's own statement. */
  rest: (after: After, limit: number) => Promise<TypoRow[]>
}

/**
 * When to read the tier otherwise than by its own statement. The tier's own statement costs about
 * 10-16 µs a candidate (the trigram index finds candidates, each one's similarity is computed, then
 * sorted); at or under `cheapRows` candidates it is the fastest way. A catalogue of under
 * `sampleRows × 40` products is never sampled: the window alone would cost more than it saves.
 */
export interface TypoPlan { sampleRows: number, cheapRows: number }
export const TYPO_PLAN: TypoPlan = { sampleRows: WINDOW_ROWS, cheapRows: 1000 }
/** No id is greater: [distance, LAST_ID] is a cursor past every row at that distance. */
const LAST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff'

/** The tier's first `need` rows after `after`, in the order (distance, id). */
export async function typoTierRows (s: TypoStatements, after: After, need: number, plan: TypoPlan = TYPO_PLAN): Promise<TypoRow[]> {
  const products = await s.size()
  if (products < plan.sampleRows * (SAMPLED_FROM / WINDOW_ROWS)) return s.rest(after, need)
  const rows: TypoRow[] = []
  let from = after
  let window = await s.sample(from, from?.[1], plan.sampleRows)
  if (from && window.complete) {
    // Few ids follow the cursor's: its distance's remaining rows are all in that short window.
    rows.push(...await s.tied(from[0], from[1], need))
    if (rows.length >= need) return rows
    from = [from[0], LAST_ID]
    window = await s.sample(from, undefined, plan.sampleRows)
  }
  const sample = window.distances.sort((a, b) => a - b)
  // Each row of the window stands for this many of the catalogue.
  const scale = products / plan.sampleRows
  while (rows.length < need) {
    const left = need - rows.length
    const start = from
    const ahead = sample.filter((d) => !start || d > start[0] || (d === start[0] && start[1] !== LAST_ID))
    if (ahead.length * scale <= plan.cheapRows) {
      rows.push(...await s.rest(from, left))
      break
    }
    // The nearest distance up to which some twice the rows wanted are expected.
    const bound = ahead[Math.min(ahead.length, Math.ceil(2 * left / scale)) - 1]!
    if (ahead.filter((d) => d === bound).length * scale > plan.cheapRows) {
      // A crowd at `bound`: the rows nearer from the index, then the crowd's by id.
      if (!from || from[0] < bound) rows.push(...await s.nearer(bound, false, from, left))
      if (rows.length >= need) break
      rows.push(...await s.tied(bound, from?.[0] === bound ? from[1] : undefined, need - rows.length))
      from = [bound, LAST_ID]
      continue
    }
    const read = await s.nearer(bound, true, from, left)
    rows.push(...read)
    if (read.length < left) from = [bound, LAST_ID]
  }
  return rows
}

/** What the statements share with the tier's own (list.ts): the filters, their values and the shape's name. */
interface Filters { where: (() => SQL)[], values: Record<string, unknown>, shape: string[] }

const p = (name: string) => sql.placeholder(name)
const afterCursor = sql`(${distance}, ${products.id}) > (${p('afterKey')}::real, ${p('afterId')}::uuid)`

/** The statements typoTierRows reads with, for one request's filters and query. */
export function typoStatements (db: Db, columns: () => Record<string, unknown>, filters: Filters): TypoStatements {
  const name = (step: string, after: After) => `products:typo|${filters.shape.join('|')}|${step}${after ? '|after' : ''}`
  const cursor = (after: After) => after ? { afterKey: after[0], afterId: after[1] } : {}
  const rowsWhere = (on: Db, conditions: (SQL | undefined)[], byId: boolean) => on
    .select({ ...columns(), sortKey: sql`${distance}`.as('sort_key') } as Record<string, SQL.Aliased>)
    .from(products).innerJoin(producers, eq(producers.id, products.producerId))
    .where(and(...filters.where.map((condition) => condition()), ...conditions))
    .orderBy(...(byId ? [] : [distance]), asc(products.id))
    .limit(p('limit') as unknown as number)
  const run = (statement: { execute: (values: Record<string, unknown>) => Promise<unknown> }, values: Record<string, unknown>) =>
    statement.execute({ ...filters.values, ...values }) as Promise<TypoRow[]>
  return {
    size: () => catalogueSize(db),
    async sample (after, afterId, size) {
      const query = prepared(db, name(`sample${afterId ? '|from' : ''}`, after), () => db
        .select({ distance: sql<number | null>`CASE WHEN ${and(...filters.where.map((condition) => condition()), sql`NOT ${unaccented}`, fuzzy, after ? afterCursor : undefined)} THEN ${distance} END` })
        .from(products).where(inWindow(Boolean(afterId))), false)
      const rows = await query.execute({ ...filters.values, ...cursor(after), windowSize: size, ...(afterId ? { windowAfter: afterId } : {}) }) as { distance: number | null }[]
      return { distances: rows.flatMap((row) => row.distance === null ? [] : [row.distance]), complete: rows.length < size }
    },
    // pg_trgm's index reads the rows at or above pg_trgm.word_similarity_threshold, set just past the
    // bound (the similarities of two rows differ by far more than 1e-6); the index, not a walk of
    // another in the page's order, whose end PostgreSQL cannot foresee.
    nearer: (bound, inclusive, after, limit) => withSettings(db, {
      'pg_trgm.word_similarity_threshold': String(Math.min(1, Math.max(0, 1 - bound + (inclusive ? -1e-6 : 1e-6)))),
      enable_indexscan: 'off'
    }, (tx) => {
      const within = inclusive ? sql`${distance} <= ${p('bound')}::real` : sql`${distance} < ${p('bound')}::real`
      return run(rowsWhere(tx, [sql`NOT ${unaccented}`, fuzzy, within, after ? afterCursor : undefined], false).prepare(''), { bound, limit, ...cursor(after) })
    }),
    // A walk of the primary key, which stops at the page's size: PostgreSQL cannot tell how many rows
    // share the distance and may prefer a filter's index and a sort of all its rows, so no sort is
    // allowed. No trigram condition either: an equal distance is a row of the tier.
    tied: (bound, afterId, limit) => withSettings(db, { enable_sort: 'off' }, (tx) =>
      run(rowsWhere(tx, [sql`${distance} = ${p('bound')}::real`, sql`NOT ${unaccented}`, afterId ? sql`${products.id} > ${p('afterId')}::uuid` : undefined], true).prepare(''),
        { bound, limit, ...(afterId ? { afterId } : {}) })),
    rest: (after, limit) => run(prepared(db, name('rest', after), () =>
      rowsWhere(db, [fuzzy, sql`NOT ${unaccented}`, after ? afterCursor : undefined], false), false), { limit, ...cursor(after) })
  }
}
