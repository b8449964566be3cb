import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { buildApp, type App } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import type { Clock } from '../../src/lib/clock.ts'
import type { IdempotencyOptions } from '../../src/plugins/idempotency.ts'
import { createTestDb, type TestDb } from './db.ts'

export interface TestAppOptions {
  env?: Record<string, string>
  clock?: Clock
  db?: TestDb
  /** Collects the JSON log lines, for tests about logging. */
  logs?: Record<string, unknown>[]
  /** A fault injected after an idempotent write commits. */
  idempotency?: IdempotencyOptions
}

export interface TestApp { app: App, db: TestDb, config: Config }

/**
 * An app on a database of its own, closed (and the database dropped) when the test ends. Its read cache
 * is off unless `env` sets READ_CACHE_MB: tests set their scene with SQL and read it back at once, where
 * the cache promises a SQL write only once its notification arrives (test/modules/catalogue/read-cache.test.ts
 * checks what it promises).
 */
export async function buildTestApp (t: Test, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: options.logs ? 'info' : 'silent', JOBS_ENABLED: 'false', READ_CACHE_MB: '0', ...options.env })
  const db = options.db ?? await createTestDb()
  const logs = options.logs
  const logStream = logs && new Writable({ write (chunk, _enc, done) { logs.push(JSON.parse(String(chunk))); done() } })
  const app = await buildApp({ config, db, clock: options.clock, logStream, idempotency: options.idempotency })
  t.teardown(async () => {
    await app.close()
    if (!options.db) await db.close()
  })
  return { app, db, config }
}
