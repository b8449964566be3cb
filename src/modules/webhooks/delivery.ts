import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type PgBoss from 'pg-boss'
import type { Db } from '../../db/client.ts'
import { postJson } from './post.ts'
import { openSecret } from './secrets.ts'
import { legacySignatureHeader, signatureHeader } from './signature.ts'
import { targetProblem } from './targets.ts'
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from './tables.ts'

export const DELIVER_QUEUE = 'webhook-deliver'

export interface DeliveryConfig { allowInsecureTargets: boolean, timeoutMs: number, retryDelaySeconds: number, retryLimit: number, disableAfterHours: number, secretKey?: Buffer }

/** Queue options: exponential backoff from `retryDelaySeconds`; with the defaults (10 s, 15 retries) at least 45 hours. */
export const deliverQueueOptions = (c: DeliveryConfig) => ({ name: DELIVER_QUEUE, retryLimit: c.retryLimit, retryDelay: c.retryDelaySeconds, retryBackoff: true, expireInSeconds: Math.ceil(c.timeoutMs / 1000) + 30, retentionDays: 7 })

/**
 * The relay: hands deliveries written by transactions (the outbox) to the job queue. The job's id is the
 * delivery's id and pg-boss inserts jobs with ON CONFLICT DO NOTHING, so instances relaying side by side,
 * or a relay that stopped between queueing and marking, never queue a delivery twice.
 */
export async function relayDeliveries (db: Db, boss: PgBoss): Promise<number> {
  const rows = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries)
    .where(sql`${webhookDeliveries.jobId} IS NULL AND ${webhookDeliveries.status} = 'pending'`)
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id)).limit(100)
  if (!rows.length) return 0
  for (const row of rows) await boss.send(DELIVER_QUEUE, { deliveryId: row.id }, { id: row.id })
  await db.update(webhookDeliveries).set({ jobId: sql`${webhookDeliveries.id}` }).where(inArray(webhookDeliveries.id, rows.map((r) => r.id)))
  return rows.length
}

export interface Attempt { retryCount: number, retryLimit: number }

/**
 * One attempt of a delivery (a pg-boss job). The claim (pending → delivering) makes a duplicate job a
 * no-op. A failure is recorded and thrown, so pg-boss retries it later, until the retries run out or
 * the endpoint has failed for `disableAfterHours`, which disables it.
 */
export async function deliver (db: Db, deliveryId: string, attempt: Attempt, c: DeliveryConfig): Promise<string> {
  // A delivery left `delivering` by a process that died mid-attempt is claimed again once that attempt has timed out.
  const stale = sql`${webhookDeliveries.status} = 'delivering' AND ${webhookDeliveries.claimedAt} < now() - make_interval(secs => ${Math.ceil(c.timeoutMs / 1000) + 30})`
  const [claimed] = await db.update(webhookDeliveries).set({ status: 'delivering', claimedAt: sql`now()`, attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(and(eq(webhookDeliveries.id, deliveryId), sql`(${webhookDeliveries.status} = 'pending' OR ${stale})`)).returning({ attempts: webhookDeliveries.attempts, eventId: webhookDeliveries.eventId, endpointId: webhookDeliveries.endpointId })
  if (!claimed) return 'not pending'
  const [target] = await db.select({ endpoint: webhookEndpoints, payload: webhookEvents.payload, now: sql<string>`now()` })
    .from(webhookEndpoints).innerJoin(webhookEvents, eq(webhookEvents.id, claimed.eventId)).where(eq(webhookEndpoints.id, claimed.endpointId))
  const endpoint = target!.endpoint
  const finish = (status: 'succeeded' | 'failed' | 'skipped') => db.update(webhookDeliveries).set({ status, completedAt: sql`now()` }).where(eq(webhookDeliveries.id, deliveryId))
  if (endpoint.status !== 'enabled') {
    await finish('skipped')
    return 'endpoint disabled'
  }

  const body = JSON.stringify(target!.payload)
  const timestamp = Math.floor(Date.now() / 1000)
  const secrets = [endpoint.secret, ...(endpoint.previousSecret && endpoint.previousSecretUntil && Date.parse(endpoint.previousSecretUntil) > Date.now() ? [endpoint.previousSecret] : [])]
    .map((stored) => openSecret(stored, c.secretKey))
  const started = performance.now()
  let statusCode: number | null = null
  let error: string | null = (await targetProblem(endpoint.url, c.allowInsecureTargets))?.en ?? null
  if (!error) {
    try {
      const legacy: Record<string, string> = endpoint.legacyHeaders
        ? { 'ocop-webhook-id': claimed.eventId, 'ocop-webhook-timestamp': String(timestamp), 'ocop-webhook-signature': legacySignatureHeader(secrets, timestamp, body) }
        : {}
      statusCode = await postJson(endpoint.url, {
        'content-type': 'application/json',
        'user-agent': 'ocop-api-webhooks/1',
        'webhook-id': claimed.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, claimed.eventId, timestamp, body),
        ...legacy
      }, body, { timeoutMs: c.timeoutMs, allowInsecure: c.allowInsecureTargets })
      if (statusCode < 200 || statusCode > 299) error = `answered ${statusCode}`
    } catch (err) {
      error = ['TimeoutError', 'AbortError'].includes((err as Error).name) ? `no answer within ${c.timeoutMs} ms` : `${(err as Error).message}${(err as { cause?: Error }).cause ? `: ${(err as { cause: Error }).cause.message}` : ''}`
    }
  }
  await db.insert(webhookAttempts).values({ deliveryId, attempt: claimed.attempts, statusCode, durationMs: Math.round(performance.now() - started), error })
  if (!error) {
    await finish('succeeded')
    await db.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id))
    return 'delivered'
  }
  // Failing since the first failure after the last success; long enough, and the endpoint is disabled.
  const [failing] = await db.update(webhookEndpoints).set({ failingSince: sql`COALESCE(${webhookEndpoints.failingSince}, now())` })
    .where(eq(webhookEndpoints.id, endpoint.id)).returning({ hours: sql<number>`extract(epoch FROM now() - ${webhookEndpoints.failingSince}) / 3600`.mapWith(Number) })
  if (failing && failing.hours >= c.disableAfterHours) {
    await db.update(webhookEndpoints).set({ status: 'disabled', disabledReason: `every delivery failed for ${c.disableAfterHours} hours (last: ${error})`, updatedAt: sql`now()` })
      .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, 'enabled')))
    await finish('failed')
    return 'endpoint disabled after failing'
  }
  if (attempt.retryCount >= attempt.retryLimit) {
    await finish('failed')
    return 'retries exhausted'
  }
  await db.update(webhookDeliveries).set({ status: 'pending' }).where(eq(webhookDeliveries.id, deliveryId))
  throw new Error(`delivery ${deliveryId} failed: ${error}`)
}
