import t from 'tap'
import type { Role } from '../../src/lib/permissions.ts'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'

// Every write route, who may call it, and a valid request for it. A write route missing here fails the test.
type Caller = Role | 'anonymous' | 'revoked' | 'expired' | 'malformed'
interface Case { allowed: Role[], request: (target: string) => { url: string, payload?: Record<string, unknown> }, success: number }
const WRITES: Record<string, Case> = {
  'POST /v1/api-keys': { allowed: ['admin'], success: 201, request: () => ({ url: '/v1/api-keys', payload: { name: 'matrix', role: 'partner' } }) },
  'PATCH /v1/api-keys/:id': { allowed: ['admin'], success: 200, request: (id) => ({ url: `/v1/api-keys/${id}`, payload: { name: 'renamed by the matrix' } }) },
  'POST /v1/api-keys/:id/revoke': { allowed: ['admin'], success: 200, request: (id) => ({ url: `/v1/api-keys/${id}/revoke` }) },
  'POST /v1/api-keys/:id/rotate': { allowed: ['admin'], success: 201, request: (id) => ({ url: `/v1/api-keys/${id}/rotate` }) }
}
const CALLERS: Caller[] = ['anonymous', 'malformed', 'revoked', 'expired', 'partner', 'operator', 'council', 'admin']

t.test('authorization matrix: every write route with every kind of caller', async (t) => {
  const { app, db } = await buildTestApp(t)
  await app.ready()
  const writes = app.routePermissions.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method)).map((r) => `${r.method} ${r.url}`)
  t.same([...new Set(writes)].sort(), Object.keys(WRITES).sort(), 'the table lists every write route')

  const tokens: Record<Caller, string | undefined> = {
    anonymous: undefined,
    malformed: 'not-a-key',
    revoked: (await makeKey(db, 'admin', { name: 'revoked admin' })).token,
    expired: (await makeKey(db, 'admin', { name: 'expired admin' })).token,
    partner: (await makeKey(db, 'partner')).token,
    operator: (await makeKey(db, 'operator')).token,
    council: (await makeKey(db, 'council', { councilLevel: 'city' })).token,
    admin: (await makeKey(db, 'admin')).token
  }
  await db.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'revoked admin'")
  await db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE name = 'expired admin'")

  for (const [route, spec] of Object.entries(WRITES)) {
    const [method] = route.split(' ') as ['POST' | 'PATCH']
    for (const caller of CALLERS) {
      const target = (await makeKey(db, 'partner', { name: 'matrix target' })).id
      const { url, payload } = spec.request(target)
      const token = tokens[caller]
      const before = await dbFingerprint(db)
      const res = await app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} })
      const expected = spec.allowed.includes(caller as Role) ? spec.success : ['anonymous', 'malformed', 'revoked', 'expired'].includes(caller) ? 401 : 403
      t.equal(res.statusCode, expected, `${route} as ${caller}`)
      if (expected >= 400) {
        t.match(res.headers['content-type'], /problem\+json/)
        t.same(await dbFingerprint(db), before, `${route} as ${caller} changed nothing`)
      }
    }
  }
})

t.test('reads of keys and the audit log are for admins only', async (t) => {
  const { app, db } = await buildTestApp(t)
  for (const url of ['/v1/api-keys', '/v1/audit']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 401, `${url} anonymous`)
    for (const role of ['partner', 'operator', 'council'] as Role[]) {
      const { token } = await makeKey(db, role)
      t.equal((await app.inject({ method: 'GET', url, headers: bearer(token) })).statusCode, 403, `${url} as ${role}`)
    }
    const { token } = await makeKey(db, 'admin')
    t.equal((await app.inject({ method: 'GET', url, headers: bearer(token) })).statusCode, 200, `${url} as admin`)
  }
})
