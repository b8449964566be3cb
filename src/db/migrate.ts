import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator'
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import type { DbHandle } from './client.ts'

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))

// Any fixed 64-bit number shared by every instance: the lock that serialises migrations.
const MIGRATION_LOCK = 4_201_200_512
const pgliteRuns = new WeakMap<DbHandle, Promise<void>>()

/** What a caller hears while migrations run: the pending list once, then each migration as it is applied. */
export interface MigrationProgress {
  pending?: (tags: string[]) => void
  applied?: (migration: { tag: string, index: number, total: number, ms: number }) => void
}

// drizzle's migrator, one migration at a time: drizzle-kit's files, drizzle's journal table and its rule
// (a migration is pending when it is newer than the last one applied), but each migration commits in its
// own transaction and is reported as it lands, so start-up can say what it is doing.
interface Migrator { dialect: PgDialect, session: PgSession }

async function applyPending (db: Migrator, progress: MigrationProgress): Promise<void> {
  const config = { migrationsFolder }
  const files = readMigrationFiles(config)
  const tags = journalTags()
  const last = await lastApplied(db)
  const pending = files.map((file, i) => ({ file, tag: tags[i] ?? String(file.folderMillis) })).filter(({ file }) => file.folderMillis > last)
  progress.pending?.(pending.map((p) => p.tag))
  for (const [index, { file, tag }] of pending.entries()) {
    const started = performance.now()
    await db.dialect.migrate([file as MigrationMeta], db.session, config)
    progress.applied?.({ tag, index: index + 1, total: pending.length, ms: Math.round(performance.now() - started) })
  }
}

function journalTags (): string[] {
  // The file readMigrationFiles reads, in the same order; only the names are wanted here.
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] }
  return journal.entries.map((e) => e.tag)
}

async function lastApplied (db: Migrator): Promise<number> {
  const exists = await db.session.all<{ t: string | null }>(sql`SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t`)
  if (!exists[0]?.t) return 0
  const [row] = await db.session.all<{ at: string | null }>(sql`SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations`)
  return Number(row?.at ?? 0)
}

/**
 * Applies pending migrations, each in its own transaction, telling `progress` as it goes. On PostgreSQL
 * it holds a session advisory lock on one connection for the whole run, so instances starting together
 * apply each migration once and the others wait, then find nothing to do. PGlite has a single
 * connection; calls in one process are queued.
 */
export async function migrate (handle: DbHandle, progress: MigrationProgress = {}): Promise<void> {
  if (!handle.pool) {
    // One connection, but two callers in this process could still interleave: chain them.
    const previous = pgliteRuns.get(handle) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(() => applyPending(handle.db as unknown as Migrator, progress))
    pgliteRuns.set(handle, run)
    return run
  }
  const client = await handle.pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    // A migration may rewrite a whole table (a column filled for every product): the requests' statement
    // timeout does not apply to it. Put back before the connection returns to the pool.
    await client.query('SET statement_timeout = 0')
    try {
      await applyPending(drizzlePg({ client }) as unknown as Migrator, progress)
    } finally {
      await client.query('RESET statement_timeout')
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
}
