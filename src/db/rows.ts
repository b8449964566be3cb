import type { SQL } from 'drizzle-orm'
import type { Db } from './client.ts'

/** The rows of a raw SQL statement, typed: both drivers answer `execute` with `{ rows }`. */
export async function rowsOf<T> (db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows
}
