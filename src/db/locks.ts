import { sql } from 'drizzle-orm'
import type { Db } from './client.ts'
import { rowsOf } from './rows.ts'

/**
 * A transaction-scoped advisory lock, released at commit or rollback: waits for it, or (`wait` false)
 * takes it only if it is free and answers whether it did.
 */
export async function lockForTransaction (tx: Pick<Db, 'execute'>, key: number, wait: boolean): Promise<boolean> {
  if (wait) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${key})`)
    return true
  }
  const [row] = await rowsOf<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${key}) AS ok`)
  return row?.ok === true
}
