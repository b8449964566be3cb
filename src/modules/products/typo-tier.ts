/**
 * The third relevance tier of a product search (list.ts): names that resemble the query without
 * containing it, nearest first (word-similarity distance), then by id. Read in one statement, every
 * candidate's distance is computed before the first row can be returned. Where a typo resembles a
 * common phrase, tens of thousands of products tie at one distance (`bat trnag`: 48,750 of 200,000,
 * each "bat trang" at 0.4), and the page took 0.8-1.1 s.
 *
 * Here a window of products (sampling.ts: the first ids, a fair sample) estimates how many products
 * lie at each distance, with the reader's filters and without them (the candidates that the tier's own
 * statement must each test). Each way of reading the page is costed in rows read, and the cheapest is
 * taken:
 * - the tier's own statement (rest): every candidate;
 * - a crowd of ties at the page's last distance: the rows nearer than the crowd from the trigram index
 *   at a threshold just above it (nearer), then the crowd's rows in id order from a walk of the primary
 *   key that stops at the page's size (tied): about the rows wanted over the crowd's share;
 * - the rows up to that distance from the trigram index at its threshold (nearer, inclusive).
 * Each returns exactly the rows the single statement would, in its order: the window only decides
 * which statements read them.
 */

import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { prepared } from '../../db/prepared.ts'
import { afterRow } from '../../lib/keyset.ts'
import { producers } from '../producers/tables.ts'
import { distance, typoMatch, unaccented } from './search-sql.ts'
import { catalogueSize, inWindow, SAMPLED_FROM, WINDOW_ROWS, withSettings } from './sampling.ts'
import { products } from './tables.ts'

/** A row of the tier: `sortKey` is its distance. */
export type TypoRow = Record<string, unknown> & { id: string, sortKey: number }
/** The last row read: [distance, id]. */
export type After = [distance: number, id: string] | undefined

export interface TypoStatements {
  /** The catalogue's size as the planner's statistics have it. */
  size: () => Promise<number>
  /**
   * Among the first `rows` ids (after `afterId`), the distances of the products at `from` or farther: `kept`, those of
   * the tier (the reader's filters too), and `all`, those the trigram index would find for the search
   * alone, which the tier's own statement must each test.
   */
  sample: (from: number | undefined, rows: number, afterId?: string) => Promise<{ kept: number[], all: number[], lastId: string | undefined }>
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
  // The window estimates how many products lie at each distance: the rows themselves are read by the
  // statements below. Each of its products stands for `scale` of the catalogue. It is read in two
  // parts: no candidate in the first two fifths says the tier is sparse (the common case of a typo),
  // and its own statement cheap. (A tenth of the window missed a crowd of 1.6% of the catalogue one
  // time in five, and a page of it took 0.45 s, not 0.15.)
  const first = Math.ceil(plan.sampleRows * 2 / 5)
  const window = await s.sample(after?.[0], first)
  if (!window.all.length) return s.rest(after, need)
  const more = window.lastId ? await s.sample(after?.[0], plan.sampleRows - first, window.lastId) : { kept: [], all: [] }
  const kept = [...window.kept, ...more.kept].sort((a, b) => a - b)
  const all = [...window.all, ...more.all].sort((a, b) => a - b)
  const scale = products / plan.sampleRows
  const rows: TypoRow[] = []
  let from = after
  while (rows.length < need) {
    const left = need - rows.length
    const start = from
    const ahead = (distances: number[]) => distances.filter((d) => !start || d > start[0] || (d === start[0] && start[1] !== LAST_ID))
    const tier = ahead(kept)
    const candidates = ahead(all)
    // Rows each way reads, as the window has them: the tier's own statement tests every candidate.
    const restCost = candidates.length * scale
    if (!tier.length || restCost <= plan.cheapRows) {
      rows.push(...await s.rest(from, left))
      break
    }
    // The nearest distance up to which some twice the rows wanted are expected.
    const bound = tier[Math.min(tier.length, Math.ceil(2 * left / scale)) - 1]!
    const ties = tier.filter((d) => d === bound).length
    const nearerCost = candidates.filter((d) => d < bound).length * scale
    const throughCost = candidates.filter((d) => d <= bound).length * scale
    // The walk by id reads about `left` over the crowd's share; one tie fewer than seen, as a window
    // of a few hundred can hold a thin crowd twice by chance.
    const walkCost = left * plan.sampleRows / Math.max(ties - 1, 0.5)
    if (nearerCost + walkCost < Math.min(throughCost, restCost)) {
      // A crowd at `bound`: the rows nearer from the index, then the crowd's by id.
      if (!from || from[0] < bound) rows.push(...await s.nearer(bound, false, from, left))
      if (rows.length >= need) break
      rows.push(...await s.tied(bound, from?.[0] === bound ? from[1] : undefined, need - rows.length))
      from = [bound, LAST_ID]
    } else if (throughCost < restCost) {
      const read = await s.nearer(bound, true, from, left)
      rows.push(...read)
      if (read.length < left) from = [bound, LAST_ID]
    } else {
      rows.push(...await s.rest(from, left))
      break
    }
  }
  return rows
}

/** What the statements share with the tier's own (list.ts): the filters, their values and the shape's name. */
interface Filters { where: (() => SQL)[], values: Record<string, unknown>, shape: string[] }

const p = (name: string) => sql.placeholder(name)
const afterCursor = afterRow(distance, products.id, sql`${p('afterKey')}::real`, sql`${p('afterId')}::uuid`)

/** The statements typoTierRows reads with, for one request's filters and query. */
export function typoStatements (db: Db, columns: () => Record<string, unknown>, filters: Filters): TypoStatements {
  const name = (step: string, after: After) => `products:typo|${filters.shape.join('|')}|${step}${after ? '|after' : ''}`
  const cursor = (after: After) => after ? { afterKey: after[0], afterId: after[1] } : {}
  const filtered = () => and(...filters.where.map((condition) => condition()))
  const rowsWhere = (on: Db, conditions: (SQL | undefined)[], byId: boolean) => on
    .select({ ...columns(), sortKey: sql`${distance}`.as('sort_key') } as Record<string, SQL.Aliased>)
    .from(products).innerJoin(producers, eq(producers.id, products.producerId))
    .where(and(filtered(), ...conditions))
    .orderBy(...(byId ? [] : [distance]), asc(products.id))
    .limit(p('limit') as unknown as number)
  const run = (statement: { execute: (values: Record<string, unknown>) => Promise<unknown> }, values: Record<string, unknown>) =>
    statement.execute({ ...filters.values, ...values }) as Promise<TypoRow[]>
  return {
    size: () => catalogueSize(db),
    async sample (from, size, afterId) {
      // The distance is computed once a row, in a subquery that keeps the name products (OFFSET 0:
      // not merged into the outer query, which would compute it again); the filters are tested
      // only on the tier's rows.
      const tier = and(typoMatch, from === undefined ? undefined : sql`${distance} >= ${p('fromKey')}::real`)
      const query = prepared(db, name(`sample${afterId ? '|from' : ''}`, from === undefined ? undefined : [from, '']), () => db
        .select({
          id: sql<string>`${products.id}`,
          distance: sql<number | null>`${sql.identifier('typo_distance')}`,
          kept: sql<boolean | null>`CASE WHEN ${sql.identifier('typo_distance')} IS NOT NULL THEN ${filtered() ?? sql`true`} END`
        })
        .from(sql`(SELECT *, CASE WHEN ${tier} THEN ${distance} END AS typo_distance FROM ${products} WHERE ${inWindow(Boolean(afterId))} OFFSET 0) AS ${products}`), false)
      const rows = await query.execute({ ...filters.values, windowSize: size, ...(from === undefined ? {} : { fromKey: from }), ...(afterId ? { windowAfter: afterId } : {}) }) as { id: string, distance: number | null, kept: boolean | null }[]
      const found = rows.filter((row) => row.distance !== null) as { distance: number, kept: boolean }[]
      const lastId = rows.reduce<string | undefined>((last, row) => last === undefined || row.id > last ? row.id : last, undefined)
      return { kept: found.filter((row) => row.kept).map((row) => row.distance), all: found.map((row) => row.distance), lastId }
    },
    // pg_trgm's index reads the rows at or above pg_trgm.word_similarity_threshold, set just past the
    // bound (the similarities of two rows differ by far more than 1e-6).
    nearer: (bound, inclusive, after, limit) => withSettings(db, {
      'pg_trgm.word_similarity_threshold': String(Math.min(1, Math.max(0, 1 - bound + (inclusive ? -1e-6 : 1e-6))))
    }, (tx) => {
      const within = inclusive ? sql`${distance} <= ${p('bound')}::real` : sql`${distance} < ${p('bound')}::real`
      return run(rowsWhere(tx, [typoMatch, within, after ? afterCursor : undefined], false).prepare(''), { bound, limit, ...cursor(after) })
    }),
    // A walk of the primary key, which stops at the page's size: PostgreSQL cannot tell how many rows
    // share the distance and may prefer a filter's index and a sort of all its rows, so no sort is
    // allowed. No trigram condition either: an equal distance is a row of the tier.
    tied: (bound, afterId, limit) => withSettings(db, { enable_sort: 'off' }, (tx) =>
      run(rowsWhere(tx, [sql`${distance} = ${p('bound')}::real`, sql`NOT ${unaccented}`, afterId ? sql`${products.id} > ${p('afterId')}::uuid` : undefined], true).prepare(''),
        { bound, limit, ...(afterId ? { afterId } : {}) })),
    rest: (after, limit) => run(prepared(db, name('rest', after), () =>
      rowsWhere(db, [typoMatch, after ? afterCursor : undefined], false), false), { limit, ...cursor(after) })
  }
}
