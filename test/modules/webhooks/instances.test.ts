import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { createTestDb, onPostgres } from '../../helpers/db.ts'
import { makeRecognisedProducts } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { startReceiver } from '../../helpers/receiver.ts'
import { waitFor } from '../../helpers/wait.ts'
import { follow, project } from '../listings/helpers.ts'

const JOBS = { JOBS_ENABLED: 'true', JOB_POLLING_SECONDS: '0.5', WEBHOOK_ALLOW_INSECURE_TARGETS: 'true', WEBHOOK_RETRY_DELAY_SECONDS: '1', LISTINGS_RECONCILE_CRON: '* * * * *' }

t.test('two instances on one database: each event delivered once, each scheduled run made once', { skip: !onPostgres && 'needs PostgreSQL: two instances share one database' }, async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const [{ started } = { started: '' }] = await db.query<{ started: string }>('SELECT now()::text AS started')
  const one = (await buildTestApp(t, { db, env: JOBS })).app
  const two = (await buildTestApp(t, { db, env: JOBS })).app
  await Promise.all([one.ready(), two.ready()])
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  // The receiver deduplicates by event id, as the docs tell receivers to; it fails one request in five.
  const receiver = await startReceiver(t, (n) => n % 5 === 0 ? 503 : 200)
  await one.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.upserted', 'listing.removed'] } })

  const products = await makeRecognisedProducts(db, 10)
  // Listed first (the projectors would otherwise fold a listing and its rename into one entry).
  await project(one)
  await Promise.all(products.map((id, i) => (i % 2 ? one : two).inject({ method: 'PATCH', url: `/v1/products/${id}`, headers: admin, payload: { nameVi: `Tên mới ${i}` } })))
  const { changes } = await follow(one, partner)
  t.equal(changes.length, 20)

  const accepted = () => receiver.received.filter((_r, i) => (i + 1) % 5 !== 0)
  await waitFor(() => new Set(accepted().map((r) => r.json.id)).size === changes.length, 30_000, 'every event accepted')
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const ids = accepted().map((r) => r.json.id)
  t.same([...ids].sort(), changes.map((c) => c.eventId).sort(), 'each event accepted exactly once: no duplicates across instances')
  const [jobs] = await db.query<{ n: number, workers: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'webhook-deliver'")
  t.equal(jobs?.n, changes.length, 'one queued job per delivery')

  // A certificate whose revocation takes effect today (recorded once, as the append-only table allows): the
  // every-minute schedule removes it once, whichever instance runs it.
  const [{ at } = { at: '' }] = await db.query<{ at: string }>("UPDATE recognitions SET revoked_on = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, revocation_reference = 'TH-1', revocation_reason = 'test' WHERE product_id = $1 RETURNING now()::text AS at", [products[0]])
  await waitFor(async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'listings-reconcile' AND state = 'completed' AND created_on > $1", [at]))[0]!.n >= 1, 90_000, 'the next scheduled run')
  await new Promise((resolve) => setTimeout(resolve, 5000))
  // The schedule ticks once a minute: each tick makes one job, whichever instance sees it first. A job is
  // created when the tick's hand-off is processed, which can fall a second into the next minute, so jobs
  // are counted against the ticks of the whole run rather than grouped by the minute of their creation.
  const [run = { jobs: 0, ticks: 0 }] = await db.query<{ jobs: number, ticks: number }>(`
    SELECT (SELECT count(*)::int FROM pgboss.job WHERE name = 'listings-reconcile') AS jobs,
           (extract(epoch FROM date_trunc('minute', now()) - date_trunc('minute', $1::timestamptz)) / 60)::int + 1 AS ticks`, [started])
  t.ok(run.jobs >= 1 && run.jobs <= run.ticks, `one run per tick across two instances: ${run.jobs} jobs for ${run.ticks} ticks`)
  const removals = (await follow(one, partner)).changes.filter((c) => c.kind === 'remove')
  t.same(removals.map((c) => [c.productId, c.reason]), [[products[0], 'revoked']], 'removed once')
})
