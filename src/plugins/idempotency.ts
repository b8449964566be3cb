import { createHash } from 'node:crypto'
import { and, eq, lt, or, sql } from 'drizzle-orm'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Db } from '../db/client.ts'
import { holdTransaction, type HeldTransaction } from '../db/held-transaction.ts'
import type { Text } from '../lib/i18n.ts'
import { ProblemError, badRequest, headerField } from '../lib/problem.ts'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { IdempotencyHeaders } from '../lib/schema.ts'
import { idempotencyKeys } from './idempotency.tables.ts'

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { client: string, key: string, held: HeldTransaction }
    /**
     * The database a handler works on: for a POST with an Idempotency-Key, one transaction that also
     * stores the answer, so the write and its answer are committed together or not at all.
     */
    db: Db
  }
}

export interface IdempotencyOptions {
  /** Tests only: runs after the write and its answer are committed, before the answer leaves (a crash there). */
  afterCommit?: (req: FastifyRequest) => void | Promise<void>
}

const KEY = /^[\x21-\x7e]{1,255}$/
const REPLAYED_HEADERS = ['content-type', 'location', 'etag']

const inProgress = () => new ProblemError(409, 'idempotency-in-progress', {
  vi: 'Một yêu cầu với Idempotency-Key này vẫn đang được xử lý; hãy thử lại sau giây lát',
  en: 'A request with this Idempotency-Key is still being handled; retry shortly'
}, { headers: { 'retry-after': '1' } })
const reused = () => new ProblemError(422, 'idempotency-key-reused', {
  vi: 'Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới',
  en: 'This Idempotency-Key was used with a different request; use a new key for a new request'
}, { errors: [keyField({ vi: 'đã dùng với nội dung hoặc URL khác', en: 'was used with a different request body or URL' })] })
const keyField = (detail: Text) => headerField('idempotency-key', detail)
const VISIBLE_ASCII = { vi: 'phải gồm 1 đến 255 ký tự ASCII nhìn thấy được', en: 'must be 1 to 255 visible ASCII characters' }

const requestHash = (req: FastifyRequest) =>
  createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex')

/**
 * POSTs with an `Idempotency-Key` run once per (client, key): a retry with the same body gets the
 * first answer again (marked `Idempotency-Replayed: true`), a different body is a 422, and a retry
 * while the first is still running is a 409. Answers are kept in PostgreSQL, so every instance sees them.
 *
 * The claim is committed on its own (so a concurrent retry sees it); the handler then works in a
 * transaction held for the request (`req.db`), and a success is stored in that same transaction before
 * it commits. A crash after the commit leaves the answer to replay; a crash before leaves nothing done.
 */
export default fp(async function idempotencyPlugin (app: FastifyInstance, options: IdempotencyOptions) {
  const ttlMs = app.config.idempotencyTtlHours * 3600_000
  // A request whose instance died leaves a 'running' row: after this long another attempt may take over.
  const lockMs = app.config.requestTimeoutMs + 5000

  // Every POST documents (and validates) the header and gets the hooks below; other routes pay nothing.
  app.addHook('onRoute', (route) => {
    if (route.method !== 'POST') return
    appendRouteHook(route, 'preHandler', claimOrReplay)
    appendRouteHook(route, 'onSend', storeAnswer)
    // onSend ends every held transaction; should a response end without it, the transaction is given back.
    appendRouteHook(route, 'onResponse', giveBack)
    if (!route.schema) return
    const headers = route.schema.headers as { properties?: Record<string, unknown> } | undefined
    route.schema.headers = headers
      ? { ...headers, properties: { ...headers.properties, ...IdempotencyHeaders.properties } }
      : IdempotencyHeaders
  })
  app.decorateRequest('db', { getter (this: FastifyRequest) { return this.idempotency?.held.tx ?? app.db } })
  async function giveBack (req: FastifyRequest) {
    if (req.idempotency?.held.open) await req.idempotency.held.rollback()
  }

  async function claimOrReplay (req: FastifyRequest, reply: FastifyReply) {
    const key = req.headers['idempotency-key']
    if (key === undefined) return
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw badRequest({ vi: `Idempotency-Key ${VISIBLE_ASCII.vi}`, en: `Idempotency-Key ${VISIBLE_ASCII.en}` }, [keyField(VISIBLE_ASCII)])
    }
    const client = req.principal.keyId ? `key:${req.principal.keyId}` : `ip:${req.ip}`
    const hash = requestHash(req)
    const now = app.clock.now()
    const nowIso = now.toISOString()
    const fresh = { requestHash: hash, state: 'running' as const, status: null, headers: null, body: null, lockedUntil: new Date(now.getTime() + lockMs).toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() }
    const [claimed] = await app.db.insert(idempotencyKeys).values({ client, key, ...fresh })
      .onConflictDoUpdate({
        target: [idempotencyKeys.client, idempotencyKeys.key],
        set: fresh,
        setWhere: or(lt(idempotencyKeys.expiresAt, nowIso), and(eq(idempotencyKeys.state, 'running'), lt(idempotencyKeys.lockedUntil, nowIso), eq(idempotencyKeys.requestHash, hash)))
      })
      .returning({ key: idempotencyKeys.key })
    if (claimed) {
      try {
        req.idempotency = { client, key, held: await holdTransaction(app.db) }
      } catch (err) {
        await forget(client, key)
        throw err
      }
      return
    }
    const [existing] = await app.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.client, client), eq(idempotencyKeys.key, key)))
    if (!existing || existing.state === 'running') {
      if (existing && existing.requestHash !== hash) throw reused()
      throw inProgress()
    }
    if (existing.requestHash !== hash) throw reused()
    for (const [name, value] of Object.entries(existing.headers ?? {})) reply.header(name, value)
    reply.header('idempotency-replayed', 'true')
    return reply.code(existing.status!).send(existing.body)
  }

  // A claim whose request did nothing: a retry may run at once. A claim already done stays (its commit
  // may have reached the database even when its acknowledgement did not).
  async function forget (client: string, key: string) {
    await app.db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.client, client), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'running')))
      .catch((err: unknown) => app.log.warn({ err }, 'idempotency claim not released; it expires on its own'))
  }

  async function storeAnswer (req: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const claim = req.idempotency
    if (!claim) return payload
    req.idempotency = undefined
    const { held } = claim
    const where = and(eq(idempotencyKeys.client, claim.client), eq(idempotencyKeys.key, claim.key))
    const answer = () => {
      const headers: Record<string, string> = {}
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name)
        if (value !== undefined) headers[name] = String(value)
      }
      return { state: 'done' as const, status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : null }
    }
    if (reply.statusCode >= 400) {
      // A refusal changed nothing (and may have left the transaction unusable): roll back, then keep a
      // client error to replay; after a server error nothing the client can rely on was done, so a retry runs again.
      await held.rollback()
      if (reply.statusCode >= 500) await forget(claim.client, claim.key)
      else await app.db.update(idempotencyKeys).set(answer()).where(where)
      return payload
    }
    try {
      if (!held.open) throw new Error('the request\'s transaction ended before its answer')
      await held.tx.update(idempotencyKeys).set(answer()).where(where)
      await held.commit()
    } catch (err) {
      await held.rollback()
      await forget(claim.client, claim.key)
      throw err
    }
    await options.afterCommit?.(req)
    return payload
  }

  // Expired answers are purged hourly; a purge that fails is retried at the next tick.
  const purge = setInterval(() => {
    app.db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`)).catch((err: unknown) => app.log.warn({ err }, 'idempotency purge failed'))
  }, 3600_000)
  purge.unref()
  app.addHook('onClose', async () => { clearInterval(purge) })
}, { name: 'idempotency', dependencies: ['authenticate'] })
