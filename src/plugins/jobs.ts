import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import PgBoss from 'pg-boss'
import { createDb, type DbHandle } from '../db/client.ts'
import { hanoiDate } from '../lib/clock.ts'
import { startProjector } from '../modules/listings/projector.ts'
import { reconcileListings } from '../modules/listings/reconcile.ts'
import { deliver, DELIVER_QUEUE, deliverQueueOptions, relayDeliveries } from '../modules/webhooks/delivery.ts'
import { recordExpiryNotices } from '../modules/webhooks/notices.ts'
import { PRUNE_QUEUE, pruneWebhookLog } from '../modules/webhooks/retention.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The job queue (pg-boss, in PostgreSQL), or null when JOBS_ENABLED is false. */
    boss: PgBoss | null
  }
}

export const RECONCILE_QUEUE = 'listings-reconcile'

/**
 * Creates a queue, or brings its options up to date. Instances starting together can deadlock inside
 * pg-boss's create_queue (40P01): such an attempt is retried after a short random pause.
 */
async function ensureQueue (boss: PgBoss, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(options.name)) return await boss.updateQueue(options.name, options)
      return await boss.createQueue(options.name, options)
    } catch (err) {
      if (attempt >= 5 || !['40P01', '23505'].includes((err as { code?: string }).code ?? '')) throw err
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200))
    }
  }
}

/**
 * pg-boss keeps the queues in the database (schema `pgboss`), so every instance shares them: a scheduled
 * job is created once per tick whatever the number of instances, and each job is fetched by one worker
 * (SELECT … FOR UPDATE SKIP LOCKED). Starts when the app is ready, stops (draining its workers) on close.
 */
export default fp(async function jobsPlugin (app: FastifyInstance) {
  const { config } = app
  if (!config.jobs.enabled) {
    app.decorate('boss', null)
    return
  }
  // How often each instance looks for due schedules; one instance wins each look (a lock in pgboss).
  const cronSeconds = Math.min(30, Math.max(1, Math.round(config.jobs.pollingSeconds * 2)))
  const timing = { cronMonitorIntervalSeconds: cronSeconds, cronWorkerIntervalSeconds: cronSeconds }
  // pg-boss runs its SQL through the service's own pool (or PGlite): one set of connections to manage.
  const boss = new PgBoss({ db: { executeSql: app.dbHandle.executeSql as (text: string, values: unknown[]) => Promise<{ rows: never[] }> }, ...timing })
  boss.on('error', (err) => app.log.error({ err }, 'job queue error'))
  app.decorate('boss', boss)

  app.addHook('onReady', async () => {
    await boss.start()
    await ensureQueue(boss, { name: RECONCILE_QUEUE, retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 })
    await boss.schedule(RECONCILE_QUEUE, config.jobs.reconcileCron, {}, { tz: 'Asia/Ho_Chi_Minh' })
    await boss.work(RECONCILE_QUEUE, { pollingIntervalSeconds: config.jobs.pollingSeconds }, async ([job]) => {
      const today = hanoiDate(app.clock.now())
      const changes = await reconcileListings(app.db, today)
      const notices = await recordExpiryNotices(app.db, today, config.timeline.noticeLeadDays)
      app.log.info({ job: job?.id, today, changes: changes.length, notices }, 'listings reconciled')
      return { today, changes: changes.length, notices }
    })
    // The webhook delivery log is kept WEBHOOK_LOG_RETENTION_DAYS; pruned every night at 03:30 in Hanoi.
    await ensureQueue(boss, { name: PRUNE_QUEUE, retryLimit: 3, retryDelay: 300, expireInSeconds: 30 * 60 })
    await boss.schedule(PRUNE_QUEUE, '30 3 * * *', {}, { tz: 'Asia/Ho_Chi_Minh' })
    await boss.work(PRUNE_QUEUE, { pollingIntervalSeconds: config.jobs.pollingSeconds }, async ([job]) => {
      const pruned = await pruneWebhookLog(app.db, config.webhooks.logRetentionDays)
      app.log.info({ job: job?.id, ...pruned }, 'webhook log pruned')
      return pruned
    })
    await ensureQueue(boss, deliverQueueOptions(config.webhooks))
    await boss.work(DELIVER_QUEUE, { pollingIntervalSeconds: config.jobs.pollingSeconds, includeMetadata: true }, async ([job]) => {
      const { deliveryId } = job!.data as { deliveryId: string }
      return { outcome: await deliver(app.db, deliveryId, job!, config.webhooks) }
    })
    // The outbox relay: every instance runs it; SKIP LOCKED shares the rows out.
    let relaying = false
    relay = setInterval(() => {
      if (relaying) return
      relaying = true
      relayDeliveries(app.db, boss)
        .catch((err) => app.log.error({ err }, 'webhook relay failed'))
        .finally(() => { relaying = false })
    }, config.jobs.pollingSeconds * 1000)
    // The listing projector: every instance runs it; the feed lock lets one project at a time. On
    // PostgreSQL it has a connection of its own, so it never waits behind a queue of requests.
    if (app.dbHandle.kind === 'postgres' && config.databaseUrl) {
      projectorDb = await createDb({ databaseUrl: config.databaseUrl, poolMax: 1, connectTimeoutMs: config.db.connectTimeoutMs, statementTimeoutMs: config.db.statementTimeoutMs, onPoolError: (err) => app.log.warn({ err }, 'projector connection lost') })
    }
    projector = startProjector(projectorDb?.db ?? app.db, () => hanoiDate(app.clock.now()), config.jobs.projectorIntervalMs, (err) => app.log.warn({ err }, 'listing projection failed; retrying'))
  })
  let relay: NodeJS.Timeout | undefined
  let projector: { stop: () => Promise<void> } | undefined
  let projectorDb: DbHandle | undefined
  app.addHook('onClose', async () => {
    clearInterval(relay)
    await projector?.stop()
    await projectorDb?.close()
    // Well within close-with-grace's 10 s: workers get 4 s to finish the job in hand.
    await boss.stop({ graceful: true, wait: true, timeout: 4000 })
  })
})
