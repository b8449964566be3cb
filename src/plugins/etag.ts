import { hash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { preconditionFailed } from '../lib/problem.ts'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { addVary } from '../lib/vary.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Answers carry a strong ETag of their body; GET honours If-None-Match. On a create, the 201's body
     * is the new record as its GET gives it, so the tag is the one an update's If-Match expects.
     */
    etag?: boolean
    /**
     * How long caches may keep this GET's answer to anonymous readers and partners (public reads get a
     * class by default: `catalogue`); `none` for answers that must never be stored (counted ones).
     */
    cache?: CacheClass
  }
}

/** Freshness by how fast a kind of answer changes: reference data rarely, the catalogue any minute. */
const FRESHNESS = {
  reference: 'max-age=3600, stale-while-revalidate=86400',
  statistics: 'max-age=300, stale-while-revalidate=900',
  catalogue: 'max-age=60, stale-while-revalidate=300'
} as const
export type CacheClass = keyof typeof FRESHNESS | 'none'

/** A GET's cache class: as declared, else `catalogue` for public and partner reads, `none` for staff-only ones. */
export const cacheClassOf = (route: RouteOptions): CacheClass =>
  route.config?.cache ?? (['public', 'partner:sync'].includes(route.config?.permission ?? '') ? 'catalogue' : 'none')

const STAFF = new Set(['operator', 'council', 'admin'])

// Callback-style hooks (no promise per answer): these run on every GET.
type OnSendDone = (err: Error | null, payload: unknown) => void

/**
 * Cache-Control of a GET answer (200 or 304): `public` for public reads by anonymous readers and
 * partners (they see the same records), `private` for partner-only reads, and `no-store` for staff (their
 * answers hold unpublished records of their units), for errors and for what must not be stored. A value
 * the route set itself (a counted verification, a QR image) is kept. Varies on Authorization.
 */
function cacheControl (cacheClass: CacheClass, permission: string | undefined) {
  const stored = cacheClass === 'none' ? undefined : `${permission === 'public' ? 'public' : 'private'}, ${FRESHNESS[cacheClass]}`
  return (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: OnSendDone) => {
    if (reply.hasHeader('cache-control')) return done(null, payload)
    const ok = reply.statusCode === 200 || reply.statusCode === 304
    if (!ok || !stored || STAFF.has(req.principal?.role ?? 'anonymous')) {
      reply.header('cache-control', 'no-store')
      return done(null, payload)
    }
    reply.header('cache-control', stored)
    addVary(reply, 'Authorization')
    done(null, payload)
  }
}

/** A strong entity tag: the hash of the exact bytes sent, so it changes whenever anything shown changes (one-shot: no Hash object per answer). */
export const etagOf = (body: string | Buffer) => `"${hash('sha256', body, 'base64url').slice(0, 27)}"`

const tags = (header: string) => header.split(',').map((t) => t.trim()).filter(Boolean)
const weak = (tag: string) => tag.replace(/^W\//, '')

/**
 * For updates and deletes: a check to run on the current version, inside the transaction that changes it.
 * It serialises the current version as this route's 200 answer (the same schema as the GET), so the
 * tag compared is the one the client was given. A stale tag is a 412 and nothing is changed.
 */
export function ifMatch (req: FastifyRequest, reply: FastifyReply, representation?: object): (current: unknown) => void {
  const header = req.headers['if-match']
  return (current) => {
    if (header === undefined) return
    // A route that answers with something else (DELETE: 204) names the schema its GET answers with.
    const serialize = representation ? reply.compileSerializationSchema(representation as Record<string, unknown>) : reply.getSerializationFunction('200', 'application/json')
    const tag = etagOf(serialize ? serialize(current as Record<string, unknown>) : JSON.stringify(current))
    if (!tags(header).some((t) => t === '*' || t === tag)) {
      throw preconditionFailed()
    }
  }
}

/** Whether a GET's `If-None-Match` names this tag, by the weak comparison RFC 9110 §13.1.2 asks for: the client's copy is current. */
export function noneMatch (req: FastifyRequest, tag: string): boolean {
  const header = req.headers['if-none-match']
  return (req.method === 'GET' || req.method === 'HEAD') && !!header && tags(header).some((t) => t === '*' || weak(t) === weak(tag))
}

/** Answers longer than this (in UTF-16 units) are encoded once (etagOnSend). */
const ENCODE_ONCE_OVER = 1024

/**
 * A GET's answer of more than 1 KB (a page of a list) is encoded to UTF-8 once, here: the tag is the
 * hash of those bytes and they are what is sent. Hashing the string would encode it, Fastify would scan
 * it again for Content-Length and Node would encode it a second time to write it (a page of Vietnamese
 * names is a two-byte string, with no fast path for any of the three). A short answer (one product)
 * stays a string: Node then writes the header block and the body in one piece, where a Buffer is a
 * second chunk of the same write, which cost a point read more than the encoding saved. Other methods
 * hand the string on: an idempotent write keeps it to replay.
 */
function etagOnSend (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: OnSendDone) {
  if ((reply.statusCode !== 200 && reply.statusCode !== 201) || typeof payload !== 'string') return done(null, payload)
  const body = req.method === 'GET' && payload.length > ENCODE_ONCE_OVER ? Buffer.from(payload) : payload
  const tag = etagOf(body)
  reply.header('etag', tag)
  if (noneMatch(req, tag)) {
    reply.code(304)
    // HEAD hands the body on to Fastify's HEAD hook, which measures it (a 304 may say the 200's length) and drops it.
    return done(null, req.method === 'HEAD' ? body : null)
  }
  done(null, body)
}

/** Strong ETags and If-None-Match on single records and on every cacheable GET; Cache-Control on every GET. */
export default fp(async function etagPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const get = [route.method].flat().some((m) => m === 'GET' || m === 'HEAD')
    const cacheClass = get ? cacheClassOf(route) : 'none'
    if (route.config?.etag || cacheClass !== 'none') appendRouteHook(route, 'onSend', etagOnSend)
    if (get) appendRouteHook(route, 'onSend', cacheControl(cacheClass, route.config?.permission))
  })
}, { name: 'etag' })
