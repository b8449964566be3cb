import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePg, NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres'
import { sql, type SQL } from 'drizzle-orm'
import pg from 'pg'
import { listenPostgres } from './listen.ts'
import { compileRowMappers } from './row-mapper.ts'
import * as schema from './schema.ts'

export type Schema = typeof schema
/** The Drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>

export interface DbHandle {
  db: Db
  kind: 'postgres' | 'pglite'
  /** Runs one SQL statement on a raw connection (migrations, health checks, locks). */
  query: <R = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<R[]>
  close: () => Promise<void>
  pool?: pg.Pool
  /** For pg-boss: one SQL text (several statements when there are no values) and its rows. */
  executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>
  /** PGlite only: a tarball of the data directory. */
  dump?: () => Promise<Blob>
  /**
   * Calls `onNotify` on each NOTIFY on `channel` (after its transaction commits) and once each time the
   * LISTEN is (again) in place, and `onLost` when it is lost (PostgreSQL: its connection ended; it is
   * opened again). Resolves with the unsubscribe.
   */
  listen: (channel: string, onNotify: () => void, onLost?: () => void) => Promise<() => Promise<void>>
}

export interface DbOptions {
  databaseUrl?: string
  /** PGlite data directory; `memory://` keeps everything in memory. */
  dataDir?: string
  poolMax?: number
  connectTimeoutMs?: number
  statementTimeoutMs?: number
  onPoolError?: (err: Error) => void
  /** Sees every statement Drizzle sends (the benchmark records what the service sends). */
  logQuery?: (sql: string, params: unknown[]) => void
  /** PGlite only: start from this data directory dump (tests load a migrated one instead of migrating). */
  pgliteDump?: Blob
}

// Rows mapped by a mapper compiled once per statement (row-mapper.ts); PGlite's driver when it is loaded.
compileRowMappers(NodePgSession)

// drizzle-orm (0.45) sends BEGIN before its try/finally: when BEGIN fails (a connection that died as it
// was checked out: a terminated backend, a restart), the pooled client is never released, and pool.end()
// then waits for it forever (a SIGTERM that never finishes). The same method with BEGIN inside the
// try, so the client always goes back (the pool drops it when it is broken).
type SessionInternals = { client: pg.Pool | pg.PoolClient, dialect: never, schema: never, options: never }
NodePgSession.prototype.transaction = async function <T> (this: NodePgSession<never, never>, transaction: (tx: NodePgTransaction<never, never>) => Promise<T>, config?: Parameters<NodePgSession<never, never>['transaction']>[1]): Promise<T> {
  const self = this as unknown as SessionInternals
  const pool = self.client instanceof pg.Pool
  const session = pool ? new NodePgSession(await (self.client as pg.Pool).connect(), self.dialect, self.schema, self.options) : this
  const tx = new NodePgTransaction(self.dialect, session, self.schema)
  try {
    await tx.execute(sql`begin${config ? sql` ${(tx as unknown as { getTransactionConfigSQL: (c: unknown) => SQL }).getTransactionConfigSQL(config)}` : undefined}`)
    try {
      const result = await transaction(tx as never)
      await tx.execute(sql`commit`)
      return result
    } catch (error) {
      await tx.execute(sql`rollback`)
      throw error
    }
  } finally {
    if (pool) ((session as unknown as SessionInternals).client as pg.PoolClient).release()
  }
}

// node-postgres returns int8 and numeric as strings; counts and totals are read through explicit casts.
export function createDb (options: DbOptions): Promise<DbHandle> {
  return options.databaseUrl ? createPostgres(options, options.databaseUrl) : createPglite(options.dataDir ?? 'memory://', options.pgliteDump, options.logQuery)
}

/** A pool of connections to PostgreSQL, and its Drizzle database. `settings` are sent at connection start (`-c name=value`). */
function postgresPool (options: DbOptions, connectionString: string, name: string, settings?: string) {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 15000,
    idleTimeoutMillis: 30000,
    application_name: name,
    options: settings
  })
  // A client that loses its server (a terminated backend, a restart, a network reset) emits 'error'; an
  // 'error' event with no listener ends the process. The pool listens on idle clients only, so every
  // client gets a listener of its own for its whole life, checked out (a transaction, a stream) or not:
  // the query in flight fails on its own (503 to its caller) and the pool discards the broken client.
  // The pool re-emits an idle client's error: that one is already reported by the client's own listener.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', (err) => options.onPoolError?.(err)))
  const logger = options.logQuery ? { logQuery: options.logQuery } : undefined
  return { pool, db: drizzlePg({ client: pool, schema, casing: 'snake_case', logger }) as unknown as Db }
}

/** The databases whose connections decide how every statement is planned, by the database they serve. */
const customPlanned = new WeakMap<Db, Db>()
const genericPlanned = new WeakMap<Db, Db>()
const poolPlanned = new WeakSet<Db>()

/**
 * Where to send statements whose best plan depends on their values (a search's words): a second pool
 * whose connections set `plan_cache_mode = force_custom_plan`, so that such a statement can be named
 * (prepared once per connection, not parsed again for each request) and is still planned for each
 * request's values. On the main pool a named statement may be run on a generic plan after five
 * executions, kept for the connection's life, and a search's generic plan walks the name index whatever
 * the words. The main pool keeps `auto`: the lists rely on their kept generic plans (db/prepared.ts).
 * PGlite, or a transaction: `db` itself.
 */
export const forCustomPlans = (db: Db): Db => customPlanned.get(db) ?? db

/**
 * Where to send statements whose plan is written into their shape, so that the values cannot change
 * which plan is best (a search's first read: the first tier capped, the second walked within a bound;
 * products/list.ts): a third pool whose connections set `plan_cache_mode = force_generic_plan`. Such a
 * statement is planned once per connection, where planning it for each request cost more than running
 * it. PGlite, or a transaction: `db` itself.
 */
export const forGenericPlans = (db: Db): Db => genericPlanned.get(db) ?? db

/** Whether `db`'s connections decide how each statement is planned (forCustomPlans, forGenericPlans): a statement sent there can be named whatever its values. */
export const plannedByPool = (db: Db): boolean => poolPlanned.has(db)

async function createPostgres (options: DbOptions, connectionString: string): Promise<DbHandle> {
  const { pool, db } = postgresPool(options, connectionString, 'ocop-api')
  const custom = postgresPool(options, connectionString, 'ocop-api-search', '-c plan_cache_mode=force_custom_plan')
  const generic = postgresPool(options, connectionString, 'ocop-api-search-generic', '-c plan_cache_mode=force_generic_plan')
  customPlanned.set(db, custom.db)
  genericPlanned.set(db, generic.db)
  poolPlanned.add(custom.db).add(generic.db)
  let closed = false
  return {
    db,
    kind: 'postgres',
    pool,
    query: async (text, params) => (await pool.query(text, params)).rows,
    executeSql: async (text, values) => ({ rows: (await pool.query(text, values)).rows }),
    listen: (channel, onNotify, onLost) => listenPostgres(connectionString, channel, onNotify, (err) => options.onPoolError?.(err), onLost),
    close: async () => {
      if (closed) return
      closed = true
      await Promise.all([pool.end(), custom.pool.end(), generic.pool.end()])
    }
  }
}

/** Raised when another process has the embedded database's directory open. */
export class DatabaseInUseError extends Error {}

/**
 * PGlite is one process's database: a second process on the same directory would not see the first's
 * writes, and each would overwrite the other's. The directory is held with a lock file naming the pid;
 * a lock left by a process that no longer runs is taken over. Returns the release.
 */
function lockDataDir (dataDir: string): () => void {
  const file = join(dataDir, '.ocop-api.pid')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(file, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(readFileSync(file, 'utf8'))
      let alive = false
      try { alive = Number.isInteger(pid) && pid > 0 && (process.kill(pid, 0), true) } catch (e) { alive = (e as NodeJS.ErrnoException).code === 'EPERM' }
      if (alive) {
        throw new DatabaseInUseError(`The embedded database in ${dataDir} is open in another process (pid ${pid}), probably the running service. ` +
          'Stop it first, or do this through the running service\'s API, or set DATABASE_URL to use PostgreSQL.')
      }
      rmSync(file, { force: true })
    }
  }
  throw new DatabaseInUseError(`Could not lock the embedded database in ${dataDir}`)
}

/**
 * The embedded database's modules, loaded only when it is used: a service on PostgreSQL does not hold
 * PGlite's code and its Drizzle driver in memory (part of its resident memory just after start).
 */
async function pgliteModules () {
  const [{ PGlite }, { pg_trgm: pgTrgm }, { unaccent }, { cube }, { earthdistance }, { btree_gist: btreeGist }, { drizzle, PgliteSession }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('@electric-sql/pglite/contrib/cube'),
    import('@electric-sql/pglite/contrib/earthdistance'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('drizzle-orm/pglite')
  ])
  compileRowMappers(PgliteSession)
  return { PGlite, extensions: { pg_trgm: pgTrgm, unaccent, cube, earthdistance, btree_gist: btreeGist }, drizzlePglite: drizzle }
}

async function createPglite (dataDir: string, dump?: Blob, logQuery?: DbOptions['logQuery']): Promise<DbHandle> {
  const { PGlite, extensions, drizzlePglite } = await pgliteModules()
  let unlock = () => {}
  if (!dataDir.includes('://')) {
    mkdirSync(dataDir, { recursive: true })
    unlock = lockDataDir(dataDir)
  }
  const client = await PGlite.create(dataDir, { extensions, loadDataDir: dump }).catch((err: unknown) => { unlock(); throw err })
  const db = drizzlePglite({ client, schema, casing: 'snake_case', logger: logQuery ? { logQuery } : undefined }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    query: async (text, params) => (await client.query(text, params)).rows as never[],
    // PGlite's query() takes one statement; pg-boss sends scripts (migrations) without values to exec().
    executeSql: async (text, values) => values?.length ? { rows: (await client.query(text, values)).rows } : { rows: (await client.exec(text)).at(-1)?.rows ?? [] },
    close: async () => {
      if (!client.closed) await client.close()
      unlock()
    },
    dump: () => client.dumpDataDir('none'),
    listen: async (channel, onNotify) => {
      const unsubscribe = await client.listen(channel, onNotify)
      onNotify()
      return async () => { if (!client.closed) await unsubscribe() }
    }
  }
}
