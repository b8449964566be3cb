import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

type Directives = Record<string, string[]>

const policy = (directives: Directives) => Object.entries(directives).map(([name, values]) => [name, ...values].join(' ')).join('; ')

// Helmet's defaults, without upgrade-insecure-requests (added per request, below).
const API: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'connect-src': ["'self'"]
}

/**
 * The Content-Security-Policy of a response. Swagger UI at /docs gets swagger-ui's own static policy: its
 * scripts are files (any inline one it ships is allowed by its hash), but it applies inline styles as it
 * renders, so styles may be inline there, as helmet's default allows everywhere. Either policy asks
 * browsers to upgrade insecure requests only where this request came over https (directly, or behind
 * TRUST_PROXY with X-Forwarded-Proto: https): over plain http, by a host name other than localhost,
 * that directive would send every asset of /docs to an https port that does not answer.
 */
export function contentSecurityPolicies (swaggerHashes: { script: string[] }): (req: FastifyRequest) => string {
  const docs = policy({ ...API, 'script-src': ["'self'", ...swaggerHashes.script], 'style-src': ["'self'", "'unsafe-inline'"] })
  const api = policy(API)
  const upgrade = '; upgrade-insecure-requests'
  // Four fixed strings, built once: the choice per answer is two comparisons.
  const chosen = { api: [api, api + upgrade], docs: [docs, docs + upgrade] }
  return (req) => chosen[req.url === '/docs' || req.url.startsWith('/docs/') ? 'docs' : 'api'][req.protocol === 'https' ? 1 : 0]!
}

/**
 * The headers helmet sets with these options, recorded once: they do not depend on the request. Helmet
 * stays the source of their names and values; @fastify/helmet built helmet's middleware again on every
 * request, a few microseconds of each point read (npm run bench -- profile).
 */
export function helmetHeaders (options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: unknown) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] }
  }
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {})
  return headers
}

/**
 * Security headers (helmet), the CSP (above), and CORS. Cross-Origin-Opener-Policy goes out over https
 * only: browsers ignore it on a plain-http origin other than localhost, and say so in the console. The
 * Origin-Agent-Cluster hint is off: a browser that had already met the site warns that it cannot honour it.
 * They are set as each request arrives, so a route may still set one of its own.
 */
export default fp(async function securityPlugin (app: FastifyInstance, opts: { origins: '*' | string[] }) {
  const secure = helmetHeaders({ contentSecurityPolicy: false, originAgentCluster: false, crossOriginResourcePolicy: { policy: 'cross-origin' } })
  const { 'cross-origin-opener-policy': _coop, ...plain } = secure
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(req.protocol === 'https' ? secure : plain)
    done()
  })
  let cspFor: ((req: FastifyRequest) => string) | undefined
  app.addHook('onSend', (req, reply, payload, done) => {
    // Built at the first answer, once swagger-ui (registered after this plugin) has declared its hashes.
    cspFor ??= contentSecurityPolicies((app as unknown as { swaggerCSP?: { script: string[] } }).swaggerCSP ?? { script: [] })
    // A route that answers with a page of its own (the label page) sets a stricter policy; it is kept.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', cspFor(req))
    done(null, payload)
  })
  await app.register(cors, {
    origin: opts.origins === '*' ? '*' : opts.origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'if-none-match', 'x-request-id'],
    exposedHeaders: ['etag', 'link', 'location', 'retry-after', 'x-request-id', 'idempotency-replayed', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
    maxAge: 600
  })
}, { name: 'security' })
