import t from 'tap'
import { PRUNE_QUEUE, pruneWebhookLog } from '../../../src/modules/webhooks/retention.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeKey } from '../../helpers/keys.ts'

t.test('the delivery log is kept for the retention period; unfinished deliveries whatever their age', async (t) => {
  const { db } = await buildTestApp(t)
  const owner = await makeKey(db, 'partner')
  const [endpoint] = await db.query<{ id: string }>("INSERT INTO webhook_endpoints (owner_key_id, url, event_types, secret) VALUES ($1, 'https://93.184.216.34/hooks', '{listing.removed}', 'whsec_x') RETURNING id", [owner.id])
  /** An event of `days` ago with one delivery in `status` and `attempts` attempts; returns the event id. */
  async function logged (days: number, status: string, attempts: number) {
    const [event] = await db.query<{ id: string }>("INSERT INTO webhook_events (id, type, payload, created_at) VALUES (gen_random_uuid(), 'listing.removed', '{}', now() - make_interval(days => $1)) RETURNING id", [days])
    const [delivery] = await db.query<{ id: string }>('INSERT INTO webhook_deliveries (event_id, endpoint_id, status, created_at) VALUES ($1, $2, $3, now() - make_interval(days => $4)) RETURNING id', [event!.id, endpoint!.id, status, days])
    for (let i = 1; i <= attempts; i++) await db.query('INSERT INTO webhook_attempts (delivery_id, attempt, status_code, duration_ms) VALUES ($1, $2, 500, 12)', [delivery!.id, i])
    return event!.id
  }
  const kept = [await logged(29, 'succeeded', 1), await logged(45, 'pending', 3), await logged(60, 'delivering', 1)]
  for (const [days, status, attempts] of [[31, 'succeeded', 2], [90, 'failed', 16], [40, 'skipped', 0]] as const) await logged(days, status, attempts)
  // An old event redelivered recently stays, with its recent delivery; its old delivery goes.
  const redelivered = await logged(50, 'succeeded', 1)
  await db.query("INSERT INTO webhook_deliveries (event_id, endpoint_id, status) VALUES ($1, $2, 'succeeded')", [redelivered, endpoint!.id])

  const result = await pruneWebhookLog(db.db, 30, 2)
  t.same(result, { deliveries: 4, attempts: 19, events: 3 }, 'in batches of two')
  const events = (await db.query<{ id: string }>('SELECT id FROM webhook_events')).map((e) => e.id).sort()
  t.same(events, [...kept, redelivered].sort())
  t.same(await db.query('SELECT count(*)::int AS n FROM webhook_attempts'), [{ n: 5 }], 'the attempts of kept deliveries stay')
  t.same(await pruneWebhookLog(db.db, 30), { deliveries: 0, attempts: 0, events: 0 }, 'nothing more the second time')
})

t.test('the pruning is scheduled nightly in Hanoi time', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { JOBS_ENABLED: 'true', JOB_POLLING_SECONDS: '0.5' } })
  await app.ready()
  const [schedule] = await db.query<{ cron: string, timezone: string }>('SELECT cron, timezone FROM pgboss.schedule WHERE name = $1', [PRUNE_QUEUE])
  t.same(schedule, { cron: '30 3 * * *', timezone: 'Asia/Ho_Chi_Minh' })
})
