import t from 'tap'
import { createDb } from '../../src/db/client.ts'
import { buildTestApp } from '../helpers/app.ts'
import { createTestDb, onPostgres } from '../helpers/db.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('liveness answers 200 while the process is up', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/health/live' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('readiness answers 200 when the database answers', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', database: 'up' })
})

t.test('readiness answers 503 with Retry-After when the database is unreachable', async (t) => {
  // Port 1 on loopback: nothing listens there, so every connection is refused at once.
  const db = await createDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/ocop', connectTimeoutMs: 500 })
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db })
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.headers['retry-after'], '10')
  t.match(res.json(), { type: '/problems/service-unavailable', status: 503 })

  const read = await app.inject({ method: 'GET', url: '/v1/admin-units' })
  t.equal(read.statusCode, 503, 'a request needing the database is answered 503, not 500')
  t.ok(read.headers['retry-after'])
  t.notMatch(read.body, /ECONNREFUSED|127\.0\.0\.1/)
})

t.test('a request that cannot get a pooled connection in time is answered 503, not left hanging', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL): PGlite has no pool' }, async (t) => {
  const db = await createTestDb({ poolMax: 1, connectTimeoutMs: 300 })
  const { app } = await buildTestApp(t, { db })
  t.teardown(() => db.close())
  const held = await db.pool!.connect()
  try {
    const started = Date.now()
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units' })
    t.equal(res.statusCode, 503)
    t.equal(res.headers['retry-after'], '5')
    t.ok(Date.now() - started < 20_000, 'answered long before the 30 s request timeout: it did not wait for a connection indefinitely')
  } finally {
    held.release()
  }
  const after = await app.inject({ method: 'GET', url: '/v1/admin-units' })
  t.equal(after.statusCode, 200, 'served again once a connection is free')
})

t.test('an idle connection that dies does not crash the process', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const errors: Error[] = []
  const db = await createTestDb({ onPoolError: (err) => errors.push(err) })
  t.teardown(() => db.close())
  const [backend] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
  const other = await createTestDb()
  t.teardown(() => other.close())
  await other.query('SELECT pg_terminate_backend($1)', [backend!.pid])
  await waitFor(() => errors.length > 0, 10_000, 'the pool to report the lost connection')
  t.equal(errors.length, 1, 'the pool reported the lost connection')
  const [row] = await db.query<{ ok: number }>('SELECT 1 AS ok')
  t.equal(row?.ok, 1, 'the next query gets a new connection')
})

t.test('a search connection that dies does not crash the process either, and the next search is answered', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const errors: Error[] = []
  const db = await createTestDb({ onPoolError: (err) => errors.push(err) })
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db })
  const search = () => app.inject({ url: '/v1/products?q=gom&limit=20' })
  t.equal((await search()).statusCode, 200)
  // The searches' pool (src/db/client.ts, forCustomPlans) names its connections apart from the main pool's.
  const [database] = await db.query<{ name: string }>('SELECT current_database() AS name')
  const other = await createTestDb()
  t.teardown(() => other.close())
  const killed = await other.query<{ done: boolean }>("SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND application_name = 'ocop-api-search'", [database!.name])
  t.ok(killed.length >= 1 && killed.every((k) => k.done), 'the search pool\'s connection was terminated')
  await waitFor(() => errors.length > 0, 10_000, 'the pool to report the lost connection')
  const next = await search()
  t.equal(next.statusCode, 200, 'the next search gets a new connection')
  t.same(next.json().items, [], 'and its answer (an empty catalogue)')
})
