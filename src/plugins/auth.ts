import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { needsKey, roleMay, roleMayNot } from '../lib/permissions.ts'
import { anonymous, type Principal } from '../lib/principal.ts'
import type { Text } from '../lib/i18n.ts'
import { forbidden, ProblemError } from '../lib/problem.ts'
import { KEY_PATTERN } from '../modules/keys/rules.ts'
import { authenticateKey } from '../modules/keys/service.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal
    /** Why a presented key was refused; answered 401 once rate limiting has counted the request. */
    authError?: Text
  }
  interface FastifyInstance {
    /** Every route with the permission it declared (for the test that walks them). */
    routePermissions: { method: string, url: string, permission?: string }[]
  }
}

const KEY_REFUSALS: Record<'unknown' | 'revoked' | 'expired', Text> = {
  unknown: { vi: 'Khóa API không được biết đến', en: 'The API key is not known' },
  revoked: { vi: 'Khóa API đã bị thu hồi', en: 'The API key is revoked' },
  expired: { vi: 'Khóa API đã hết hạn', en: 'The API key is expired' }
}

/**
 * A 401 and its challenge (RFC 6750 §3): `error="invalid_token"` only when a key was sent and refused; a
 * request that sent none gets the bare challenge ("SHOULD NOT include an error code", §3.1).
 */
const unauthorized = (detail: Text, keySent: boolean) => new ProblemError(401, 'unauthorized', detail, {
  headers: { 'www-authenticate': keySent ? 'Bearer realm="ocop", error="invalid_token"' : 'Bearer realm="ocop"' }
})

async function authenticate (app: FastifyInstance, req: FastifyRequest): Promise<void> {
  req.principal = anonymous(req.id)
  const header = req.headers.authorization
  if (header === undefined) return
  const match = /^Bearer (\S+)$/i.exec(header)
  if (!match || !KEY_PATTERN.test(match[1]!)) {
    req.authError = { vi: 'Header Authorization phải có dạng `Bearer <khóa API>` với khóa do dịch vụ này cấp', en: 'The Authorization header must be `Bearer <API key>` with a key this service issued' }
    return
  }
  const result = await authenticateKey(app.db, match[1]!, app.clock.now())
  if (!result.ok) {
    req.authError = KEY_REFUSALS[result.reason]
    return
  }
  const { key } = result
  req.principal = { keyId: key.id, keyName: key.name, role: key.role, adminUnits: key.adminUnits, councilLevel: key.councilLevel, requestId: req.id }
}

/**
 * Authentication runs first (onRequest), so rate limiting can count per key; authorisation runs in
 * preParsing, after rate limiting and before the body is read or validated.
 */
export const authenticatePlugin = fp(async function authenticatePlugin (app: FastifyInstance) {
  app.decorateRequest('principal', null as unknown as Principal)
  app.decorate('routePermissions', [])
  app.addHook('onRoute', (route) => {
    // Swagger UI's pages and assets are public; OPTIONS * is the CORS preflight.
    if (route.url.startsWith('/docs') || route.method === 'OPTIONS') return
    const permission = route.config?.permission
    for (const method of [route.method].flat()) app.routePermissions.push({ method, url: route.url, permission })
  })
  // Without an Authorization header nothing is looked up: the common anonymous read stays synchronous.
  app.addHook('onRequest', (req, _reply, done) => {
    if (req.headers.authorization === undefined) {
      req.principal = anonymous(req.id)
      done()
      return
    }
    authenticate(app, req).then(() => done(), done)
  })
}, { name: 'authenticate' })

/** Why this request may not go on (401 or 403), or undefined when it may. */
function refusal (req: FastifyRequest): ProblemError | undefined {
  // Fastify builds routeOptions anew at each read: read once.
  const route = req.routeOptions
  if (route.url?.startsWith('/docs') || req.method === 'OPTIONS' || req.is404) return undefined
  if (req.authError) return unauthorized(req.authError, true)
  const permission = route.config.permission
  // A route without a permission is a bug: refuse rather than expose it (a test walks all routes).
  if (!permission) return forbidden({ vi: 'Thao tác này không khai báo quyền', en: 'This operation declares no permission' })
  if (roleMay(req.principal.role === 'anonymous' ? undefined : req.principal.role, permission)) return undefined
  if (req.principal.role === 'anonymous') return unauthorized(needsKey(permission), false)
  return forbidden(roleMayNot(req.principal.role, permission))
}

export const authorizePlugin = fp(async function authorizePlugin (app: FastifyInstance) {
  app.addHook('preParsing', (req, _reply, payload, done) => done(refusal(req), payload))
}, { name: 'authorize' })
