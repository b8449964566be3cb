import { randomUUID } from 'node:crypto'
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import type { Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit, type Tx } from '../audit/service.ts'
import type { DeliveryBody, WebhookBody, WebhookCreateBody, WebhookPatchBody } from './schemas.ts'
import { sealSecret } from './secrets.ts'
import { newSecret } from './signature.ts'
import { targetProblem } from './targets.ts'
import { PING, webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from './tables.ts'
import { isoInstantOrNull } from '../../lib/clock.ts'

const e = webhookEndpoints
const columns = {
  id: e.id,
  url: e.url,
  eventTypes: e.eventTypes,
  description: e.description,
  status: e.status,
  disabledReason: e.disabledReason,
  failingSince: e.failingSince,
  ownerKeyId: e.ownerKeyId,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt
}
const iso = isoInstantOrNull
const present = (row: { [K in keyof typeof columns]: typeof e.$inferSelect[K] }): WebhookBody =>
  ({ ...row, eventTypes: row.eventTypes as WebhookBody['eventTypes'], failingSince: iso(row.failingSince), createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt)! })

/** Partners see their own endpoints only; operators and admins see all. */
const ownedBy = (principal: Principal): SQL | undefined => principal.role === 'partner' ? eq(e.ownerKeyId, principal.keyId!) : undefined

async function load (tx: Tx, principal: Principal, id: string, lock = false): Promise<WebhookBody> {
  const query = tx.select(columns).from(e).where(and(eq(e.id, id), ownedBy(principal)))
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw notFound('webhook', id)
  return present(row)
}

export const getWebhook = (db: Db, principal: Principal, id: string) => load(db, principal, id)

async function requireTarget (url: string, allowInsecure: boolean): Promise<void> {
  const problem = await targetProblem(url, allowInsecure)
  if (problem) throw unprocessable({ vi: `${url} không nhận được webhook: ${problem.vi}`, en: `${url} cannot receive webhooks: it ${problem.en}` }, [bodyField('url', problem)])
}

export async function createWebhook (db: Db, actor: Principal, body: WebhookCreateBody, allowInsecure: boolean, secretKey?: Buffer) {
  await requireTarget(body.url, allowInsecure)
  const secret = newSecret()
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(e).values({ ...body, ownerKeyId: actor.keyId!, secret: sealSecret(secret, secretKey) }).returning({ id: e.id })
    const created = await load(tx, actor, row!.id)
    await recordAudit(tx, actor, { entity: 'webhook', entityId: created.id, action: 'create', changes: changesBetween(null, created, ['createdAt', 'updatedAt']) })
    return { ...created, secret }
  })
}

export async function listWebhooks (db: Db, principal: Principal, filter: { limit: number, cursor?: string }) {
  const after = decodeCursor(filter.cursor, ['timestamp', 'uuid'])
  const rows = await db.select(columns).from(e).where(and(ownedBy(principal), after ? sql`(${e.createdAt}, ${e.id}) > (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(e.createdAt, e.id).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.createdAt, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

/** Locks, checks, changes and audits an endpoint; returns it as it is now. */
async function change (db: Db, actor: Principal, id: string, action: string, apply: (current: WebhookBody, tx: Tx) => Promise<Partial<typeof e.$inferInsert>>) {
  return db.transaction(async (tx) => {
    const before = await load(tx, actor, id, true)
    const set = await apply(before, tx)
    await tx.update(e).set({ ...set, updatedAt: sql`now()` }).where(eq(e.id, id))
    const after = await load(tx, actor, id)
    await recordAudit(tx, actor, { entity: 'webhook', entityId: id, action, changes: changesBetween(before, after, ['updatedAt']) })
    return after
  })
}

export async function updateWebhook (db: Db, actor: Principal, id: string, patch: WebhookPatchBody, allowInsecure: boolean, precondition: (current: WebhookBody) => void) {
  if (patch.url) await requireTarget(patch.url, allowInsecure)
  return change(db, actor, id, 'update', async (current) => { precondition(current); return patch })
}

/** Re-enables an endpoint (after it was disabled for failing, or by its owner). */
export const enableWebhook = (db: Db, actor: Principal, id: string) => change(db, actor, id, 'enable', async (current) => {
  if (current.status === 'enabled') throw conflict({ vi: `webhook ${id} đã được bật`, en: `webhook ${id} is already enabled` })
  return { status: 'enabled', disabledReason: null, failingSince: null }
})

export const disableWebhook = (db: Db, actor: Principal, id: string) => change(db, actor, id, 'disable', async (current) => {
  if (current.status === 'disabled') throw conflict({ vi: `webhook ${id} đã bị tắt`, en: `webhook ${id} is already disabled` })
  return { status: 'disabled', disabledReason: `disabled by ${actor.keyName ?? 'its owner'}` }
})

/** A new secret, shown once; the previous one keeps signing (second signature) for 24 hours. */
export async function rotateSecret (db: Db, actor: Principal, id: string, secretKey?: Buffer) {
  const secret = newSecret()
  const webhook = await change(db, actor, id, 'rotate secret', async (_current, tx) => {
    const [row] = await tx.select({ secret: e.secret }).from(e).where(eq(e.id, id))
    // The new secret is a Standard Webhooks one: the legacy OCOP-Webhook-* headers stop with it.
    return { secret: sealSecret(secret, secretKey), previousSecret: row!.secret, previousSecretUntil: sql`now() + interval '24 hours'` as unknown as string, legacyHeaders: false }
  })
  return { ...webhook, secret }
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries (db: Db, principal: Principal, id: string, filter: { status?: DeliveryBody['status'], limit: number, cursor?: string }) {
  await load(db, principal, id)
  const d = webhookDeliveries
  const after = decodeCursor(filter.cursor, ['timestamp', 'uuid'])
  const rows = await db.select({ id: d.id, eventId: d.eventId, eventType: webhookEvents.type, status: d.status, redeliveryOf: d.redeliveryOf, createdAt: d.createdAt, completedAt: d.completedAt })
    .from(d).innerJoin(webhookEvents, eq(webhookEvents.id, d.eventId))
    .where(and(eq(d.endpointId, id), filter.status ? eq(d.status, filter.status) : undefined, after ? sql`(${d.createdAt}, ${d.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(desc(d.createdAt), desc(d.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.createdAt, r.id])
  const attempts = page.items.length
    ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, page.items.map((r) => r.id))).orderBy(webhookAttempts.attempt)
    : []
  const items: DeliveryBody[] = page.items.map((r) => ({
    ...r,
    createdAt: iso(r.createdAt)!,
    completedAt: iso(r.completedAt),
    attempts: attempts.filter((a) => a.deliveryId === r.id).map((a) => ({ attempt: a.attempt, at: iso(a.at)!, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error }))
  }))
  return { items, nextCursor: page.nextCursor }
}

/** An enabled endpoint the principal may use, or the reason it cannot receive now. */
async function enabled (db: Db, principal: Principal, id: string) {
  const webhook = await load(db, principal, id)
  if (webhook.status !== 'enabled') throw conflict({ vi: `webhook ${id} đang tắt: hãy bật trước`, en: `webhook ${id} is disabled: enable it first` })

  return webhook
}

/** A pending delivery of an event to an endpoint, as the log shows it; the relay queues it. */
async function queueDelivery (tx: Tx, eventId: string, endpointId: string, redeliveryOf: string | null): Promise<DeliveryBody> {
  const [created] = await tx.insert(webhookDeliveries).values({ eventId, endpointId, redeliveryOf }).returning()
  const [event] = await tx.select({ type: webhookEvents.type }).from(webhookEvents).where(eq(webhookEvents.id, eventId))
  return { id: created!.id, eventId, eventType: event!.type, status: created!.status, attempts: [], redeliveryOf, createdAt: iso(created!.createdAt)!, completedAt: null }
}

/** Queues the same event again for the endpoint: a new delivery, with the same event id. */
export async function redeliver (db: Db, actor: Principal, id: string, deliveryId: string): Promise<DeliveryBody> {
  await enabled(db, actor, id)
  const [original] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, id)))
  if (!original) throw notFound('delivery', deliveryId)
  return queueDelivery(db, original.eventId, id, deliveryId)
}

/**
 * A `webhook.ping` event for this endpoint alone, signed and delivered like any other: the partner
 * checks that its endpoint is reachable and verifies signatures before real events arrive.
 */
export async function pingWebhook (db: Db, actor: Principal, id: string): Promise<DeliveryBody> {
  await enabled(db, actor, id)
  return db.transaction(async (tx) => {
    const eventId = randomUUID()
    const createdAt = new Date().toISOString()
    const data = { webhookId: id, message: 'Ping from the OCOP API: this endpoint is reachable. Check the signature as for any other event.' }
    await tx.insert(webhookEvents).values({ id: eventId, type: PING, payload: { id: eventId, type: PING, createdAt, data } })
    return queueDelivery(tx, eventId, id, null)
  })
}
