import t from 'tap'
import type { Role } from '../../src/lib/permissions.ts'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'
import { WRITES, type Caller } from '../helpers/writes.ts'

const CALLERS: Caller[] = ['anonymous', 'malformed', 'revoked', 'expired', 'partner', 'operator', 'operator-elsewhere', 'council', 'admin']

t.test('authorization matrix: every write route with every kind of caller', async (t) => {
  // Many anonymous calls from one address: lift the anonymous rate limit, which is not under test here.
  const { app, db } = await buildTestApp(t, { env: { RATE_LIMIT_ANONYMOUS: '100000' } })
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
    'operator-elsewhere': (await makeKey(db, 'operator', { adminUnits: ['281'] })).token,
    council: (await makeKey(db, 'council', { councilLevel: 'city' })).token,
    admin: (await makeKey(db, 'admin')).token
  }
  await db.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'revoked admin'")
  await db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE name = 'expired admin'")

  for (const [route, spec] of Object.entries(WRITES)) {
    const [method] = route.split(' ') as ['POST' | 'PATCH' | 'DELETE']
    for (const caller of CALLERS) {
      const { url, payload, headers } = await spec.request(db)
      const token = tokens[caller]
      const before = await dbFingerprint(db)
      const res = await app.inject({ method, url, payload, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } })
      const expected = spec.allowed.includes(caller)
        ? spec.success
        : ['anonymous', 'malformed', 'revoked', 'expired'].includes(caller) ? 401 : caller === 'operator-elsewhere' && spec.allowed.includes('operator') ? (spec.elsewhere ?? 403) : 403
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
