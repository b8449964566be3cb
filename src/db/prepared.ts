import { createHash } from 'node:crypto'
import { plannedByPool, type Db } from './client.ts'

interface Prepared<R> { execute: (values?: Record<string, unknown>) => Promise<R> }

const caches = new WeakMap<Db, Map<string, Prepared<unknown>>>()

/**
 * A query built once per shape (which filters, which sort) with placeholders for every value, and
 * prepared under a name derived from that shape: requests of the same shape skip building the SQL
 * in Drizzle and, on PostgreSQL, parsing it again on each connection. A named statement may be run on
 * a generic plan, kept after five executions when PostgreSQL estimates it no worse than the plans for
 * each request's values (plan_cache_mode auto). `named: false` sends it unnamed instead, planned for
 * each request's values: for a statement whose best plan depends on them (a search's words), unless
 * `db`'s connections decide how every statement is planned (client.ts, forCustomPlans and
 * forGenericPlans): there it is named.
 */
export function prepared<R> (db: Db, shape: string, build: () => { prepare: (name: string) => Prepared<R> }, named = true): Prepared<R> {
  // Where the connections decide how every statement is planned (client.ts), naming one only saves its parsing.
  named ||= plannedByPool(db)
  let cache = caches.get(db)
  if (!cache) caches.set(db, cache = new Map())
  let query = cache.get(shape) as Prepared<R> | undefined
  if (!query) {
    // node-postgres sends a query with an empty name as the unnamed statement.
    query = build().prepare(named ? `q_${createHash('sha1').update(shape).digest('hex').slice(0, 24)}` : '')
    if (cache.size > 500) cache.clear()
    cache.set(shape, query as Prepared<unknown>)
  }
  return query
}
