import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { project } from '../../helpers/projector.ts'

// GET /v1/listings/changes?wait= holds a reader until a change commits (LISTEN/NOTIFY), or the wait ends.
t.test('long polling the change feed', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { FEED_MAX_WAITERS: '200' } })
  await app.ready()
  const partner = bearer((await makeKey(db, 'partner')).token)
  const cursor = async () => (await app.inject({ url: '/v1/listings/changes', headers: partner })).json().nextCursor as string

  t.test('a waiting reader gets a change within a second of its commit', async (t) => {
    const after = await cursor()
    const started = performance.now()
    const waiting = app.inject({ url: `/v1/listings/changes?after=${after}&wait=20`, headers: partner })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await makeRecognition(db)
    await project(app) // the projector appends to the feed and commits: the NOTIFY goes out then
    const committed = performance.now()
    const res = await waiting
    const answered = performance.now()
    t.equal(res.statusCode, 200)
    t.equal(res.json().items.length, 1, 'the new change')
    t.ok(answered - committed < 1000, `answered ${Math.round(answered - committed)} ms after the commit`)
    t.ok(answered - started < 10_000, 'long before the wait ends')
  })

  t.test('with nothing new, the wait ends with an empty page and the same cursor', async (t) => {
    const after = await cursor()
    const started = performance.now()
    const res = await app.inject({ url: `/v1/listings/changes?after=${after}&wait=1`, headers: partner })
    t.ok(performance.now() - started >= 950, 'held for the wait')
    t.same(res.json(), { items: [], nextCursor: after })
  })

  t.test('a change already there answers at once', async (t) => {
    const res = await app.inject({ url: '/v1/listings/changes?wait=30', headers: partner })
    t.ok(res.json().items.length >= 1)
  })

  t.test('200 waiting readers hold no pooled connection; one more is refused with 503', async (t) => {
    const after = await cursor()
    const readers = Array.from({ length: 200 }, () => app.inject({ url: `/v1/listings/changes?after=${after}&wait=10`, headers: partner }))
    const waiting = async () => Number(/^ocop_feed_waiting_readers (\d+)$/m.exec(await app.metricsRegistry.getSingleMetricAsString('ocop_feed_waiting_readers'))?.[1])
    const deadline = Date.now() + 8000
    while (await waiting() < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    t.equal(await waiting(), 200, 'all 200 are waiting (the ocop_feed_waiting_readers gauge)')
    const pool = db.pool
    if (pool) {
      // Each registers before its first read: once no connection is checked out or asked for, every
      // reader has read, and what remains is waiting.
      const busy = () => pool.totalCount - pool.idleCount + pool.waitingCount
      while (busy() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      await new Promise((resolve) => setTimeout(resolve, 500))
      t.equal(busy(), 0, `no pooled connection checked out or asked for while they wait (${pool.totalCount} open, all idle)`)
      t.equal(await waiting(), 200, 'and all 200 still wait')
    }
    const over = await app.inject({ url: `/v1/listings/changes?after=${after}&wait=10`, headers: partner })
    t.equal(over.statusCode, 503)
    t.equal(over.headers['retry-after'], '1')
    t.match(over.headers['content-type'], /^application\/problem\+json/)
    await makeRecognition(db)
    await project(app)
    const answers = await Promise.all(readers)
    t.ok(answers.every((r) => r.statusCode === 200 && r.json().items.length === 1), 'all 200 woken by the one change')
  })

  t.test('a lost LISTEN connection is opened again, and readers are woken by changes after it', { skip: !db.pool && 'PostgreSQL only' }, async (t) => {
    const [killed] = await db.query<{ n: number }>("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'ocop-api-listen' AND datname = current_database() AND query LIKE '%listing_changes%'")
    t.equal(killed!.n, 1, 'the listening connection is terminated')
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      const [back] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ocop-api-listen' AND datname = current_database() AND query LIKE '%listing_changes%'")
      if (back!.n === 1) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const after = await cursor()
    const waiting = app.inject({ url: `/v1/listings/changes?after=${after}&wait=20`, headers: partner })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await makeRecognition(db)
    await project(app)
    const committed = performance.now()
    const res = await waiting
    t.equal(res.json().items.length, 1)
    t.ok(performance.now() - committed < 1000, 'woken through the new connection')
  })

  t.test('wait is at most 30 seconds', async (t) => {
    const res = await app.inject({ url: '/v1/listings/changes?wait=31', headers: partner })
    t.equal(res.statusCode, 400)
    t.match(res.json().errors, [{ pointer: '/wait' }])
  })
})
