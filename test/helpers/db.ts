import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createDb, type DbHandle, type DbOptions } from '../../src/db/client.ts'
import { migrate, migrationsFolder } from '../../src/db/migrate.ts'

export const databaseUrl = process.env.DATABASE_URL
export const onPostgres = Boolean(databaseUrl)

/** The URL of another database on the same server. */
export function urlFor (database: string): string {
  const url = new URL(databaseUrl!)
  url.pathname = `/${database}`
  return url.toString()
}

// The template is named after the migrations' content, so a changed migration makes a new one.
function templateName (): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(join(migrationsFolder, file)))
  }
  return `ocop_tpl_${hash.digest('hex').slice(0, 16)}`
}

async function withAdmin<T> (fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try { return await fn(client) } finally { await client.end() }
}

async function ensureTemplate (admin: pg.Client): Promise<string> {
  const name = templateName()
  await admin.query('SELECT pg_advisory_lock(4201200513)')
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${name}"`)
      const handle = await createDb({ databaseUrl: urlFor(name), poolMax: 1 })
      try { await migrate(handle) } finally { await handle.close() }
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(4201200513)')
  }
  return name
}

// Creating a PGlite cluster takes seconds; loading a migrated dump takes a fraction. The dump is cached
// in the temp folder under the migrations' hash, written atomically since test files run in parallel.
async function migratedPgliteDump (): Promise<Blob> {
  const file = join(tmpdir(), `${templateName()}.pglite.tar`)
  if (!existsSync(file)) {
    const handle = await createDb({ dataDir: 'memory://' })
    await migrate(handle)
    const dump = await handle.dump!()
    await handle.close()
    const partial = `${file}.${process.pid}`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, file)
  }
  return new Blob([readFileSync(file)])
}

export interface TestDb extends DbHandle { url?: string }

/** A database of this test file's own: a clone of the migrated template on PostgreSQL, or a fresh PGlite. */
export async function createTestDb (options: Omit<DbOptions, 'databaseUrl' | 'dataDir'> & { migrated?: boolean } = {}): Promise<TestDb> {
  const migrated = options.migrated ?? true
  if (!databaseUrl) {
    if (!migrated) return createDb({ ...options, dataDir: 'memory://' })
    return createDb({ ...options, dataDir: 'memory://', pgliteDump: await migratedPgliteDump() })
  }
  const name = `ocop_test_${randomBytes(6).toString('hex')}`
  await withAdmin(async (admin) => {
    if (migrated) await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${await ensureTemplate(admin)}"`)
    else await admin.query(`CREATE DATABASE "${name}"`)
  })
  const url = urlFor(name)
  const handle = await createDb({ ...options, databaseUrl: url })
  return {
    ...handle,
    url,
    close: async () => {
      await handle.close()
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    }
  }
}

/** A statement a test recorded (createTestDb's logQuery), with the values it was sent with. */
export interface SentStatement { sql: string, params: unknown[] }

/** The plan PostgreSQL (or PGlite) chooses for a recorded statement, as EXPLAIN prints it. */
export async function explain (db: DbHandle, statement: SentStatement): Promise<string> {
  return (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.sql}`, statement.params)).map((r) => r['QUERY PLAN']).join('\n')
}

/**
 * How often PostgreSQL planned the named prepared statements matching `where` (SQL on
 * pg_prepared_statements) for their values (custom) and used a kept generic plan: on the connection that
 * runs this query, so a test that reads it runs on one connection (createTestDb({ poolMax: 1 })).
 */
export const planCounts = (db: DbHandle, where: string) =>
  db.query<{ generic: number, custom: number }>(`SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE ${where}`)
