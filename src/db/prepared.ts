import { createHash } from 'node:crypto'
import type { Db } from './client.ts'

interface Prepared<R> { execute: (values?: Record<string, unknown>) => Promise<R> }

const caches = new WeakMap<Db, Map<string, Prepared<unknown>>>()

/**
 * A query built once per shape (which filters, which sort) with placeholders for every value, and
 * prepared under a name derived from that shape: requests of the same shape skip building the SQL
 * in Drizzle and, on PostgreSQL, parsing it again on each connection.
 */
export function prepared<R> (db: Db, shape: string, build: () => { prepare: (name: string) => Prepared<R> }): Prepared<R> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, cache = new Map())
  let query = cache.get(shape) as Prepared<R> | undefined
  if (!query) {
    query = build().prepare(`q_${createHash('sha1').update(shape).digest('hex').slice(0, 24)}`)
    if (cache.size > 500) cache.clear()
    cache.set(shape, query as Prepared<unknown>)
  }
  return query
}
