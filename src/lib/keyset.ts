import { sql, type SQL } from 'drizzle-orm'

import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { decodeCursor, pageOf } from './cursor.ts'

export type SortKey = 'name' | 'updatedAt' | 'relevance'

export interface SortColumns {
  name: AnyPgColumn
  updatedAt: AnyPgColumn
  id: AnyPgColumn
  /** With a search: 0 for a match with the user's exact diacritics, 1 otherwise. */
  rank?: SQL
  /** With a search: similarity, rounded so that it survives a round trip through the cursor. */
  score?: SQL
}

/** LIKE pattern for "contains", with the user's % and _ taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** `'%' || x || '%'` with LIKE's wildcards in x escaped, built in SQL around a SQL expression. */
export const containsSql = (expr: SQL) =>
  sql`'%' || replace(replace(replace(${expr}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`

/** "Contains", on the search form of the text (search_text: unaccented, lower case). */
export const searchPattern = (q: string) => containsSql(sql`search_text(${q})`)

/** The rows after (afterKey, afterId) in the order by key, then id: a range of an index on (key, id). */
export const afterRow = (key: SQL | AnyPgColumn, id: AnyPgColumn, afterKey: SQL, afterId: SQL) =>
  sql`(${key}, ${id}) > (${afterKey}, ${afterId})`

/**
 * Keyset pagination on (sort key, id): a page starts strictly after the last row of the previous one,
 * so rows inserted or changed elsewhere never make a page skip or repeat a row of the sort order.
 */
export interface Keyset {
  /** Extra columns to select (the relevance rank and score). */
  select: Record<string, SQL.Aliased<number>>
  where: SQL | undefined
  orderBy: SQL[]
  keyOf: (row: Record<string, unknown>) => (string | number | null)[]
}

export function keyset (sort: SortKey, c: SortColumns, cursor: string | undefined): Keyset {
  if (sort === 'relevance' && c.rank && c.score) {
    const after = decodeCursor(cursor, ['number', 'number', 'uuid'])
    return {
      select: { rank: c.rank.mapWith(Number).as('rank'), score: c.score.mapWith(Number).as('score') },
      where: after ? sql`(${c.rank}, -${c.score}, ${c.id}) > (${after[0]}::int, -(${after[1]}::numeric), ${after[2]}::uuid)` : undefined,
      orderBy: [sql`${c.rank} ASC`, sql`${c.score} DESC`, sql`${c.id} ASC`],
      keyOf: (row) => [row.rank as number, row.score as number, row.id as string]
    }
  }
  const column = sort === 'updatedAt' ? c.updatedAt : c.name
  const after = decodeCursor(cursor, [sort === 'updatedAt' ? 'timestamp' : 'text', 'uuid'])
  const cast = sort === 'updatedAt' ? sql`::timestamptz` : sql``
  return {
    select: {},
    where: after ? afterRow(column, c.id, sql`${after[0]}${cast}`, sql`${after[1]}::uuid`) : undefined,
    orderBy: [sql`${column} ASC`, sql`${c.id} ASC`],
    keyOf: (row) => [(sort === 'updatedAt' ? row.updatedAt : row.name ?? row.nameVi) as string, row.id as string]
  }
}

export { pageOf }
