import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { DbHandle } from './client.ts'

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

// Any fixed 64-bit number shared by every instance: the lock that serialises migrations.
const MIGRATION_LOCK = 4_201_200_512
const pgliteRuns = new WeakMap<DbHandle, Promise<void>>()

/** The migrations not yet applied to this database, by name, in order (drizzle's rule: newer than the last applied). */
export async function pendingMigrations (handle: DbHandle): Promise<string[]> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number, tag: string }[] }
  const [last] = await handle.query<{ at: string | null }>('SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations').catch(() => [{ at: null }])
  const applied = Number(last?.at ?? 0)
  return journal.entries.filter((e) => e.when > applied).map((e) => e.tag)
}

/**
 * Applies pending migrations. On PostgreSQL it holds a session advisory lock on one connection for the
 * whole run, so instances starting together apply each migration once and the others wait, then find
 * nothing to do. PGlite has a single connection; calls in one process are queued.
 */
export async function migrate (handle: DbHandle): Promise<void> {
  if (!handle.pool) {
    // One connection, but two callers in this process could still interleave: chain them.
    const previous = pgliteRuns.get(handle) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(() => migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder }))
    pgliteRuns.set(handle, run)
    return run
  }
  const client = await handle.pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder })
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
}
