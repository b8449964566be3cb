import t from 'tap'
import type { Role } from '../../src/lib/permissions.ts'
import { buildTestApp } from '../helpers/app.ts'
import type { DbHandle } from '../../src/db/client.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeProducer, makeRecognition, makeVillage } from '../helpers/factories.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'

// Every write route, who may call it, and a valid request for it (its fixture made fresh for each call).
// A write route missing here fails the test. Fixtures live in Gia Lâm (018); `operator-elsewhere` is an
// operator limited to Ứng Hòa (281): it may not write there (403), and another unit's draft is a 404.
type Caller = Role | 'anonymous' | 'revoked' | 'expired' | 'malformed' | 'operator-elsewhere'
interface Case { allowed: Caller[], request: (db: DbHandle) => Promise<{ url: string, payload?: Record<string, unknown> }>, success: number, elsewhere?: number }
const key = async (db: DbHandle) => (await makeKey(db, 'partner', { name: 'matrix target' })).id
const CATALOGUE: Caller[] = ['operator', 'admin']
const WRITES: Record<string, Case> = {
  'POST /v1/api-keys': { allowed: ['admin'], success: 201, request: async () => ({ url: '/v1/api-keys', payload: { name: 'matrix', role: 'partner' } }) },
  'PATCH /v1/api-keys/:id': { allowed: ['admin'], success: 200, request: async (db) => ({ url: `/v1/api-keys/${await key(db)}`, payload: { name: 'renamed by the matrix' } }) },
  'POST /v1/api-keys/:id/revoke': { allowed: ['admin'], success: 200, request: async (db) => ({ url: `/v1/api-keys/${await key(db)}/revoke` }) },
  'POST /v1/api-keys/:id/rotate': { allowed: ['admin'], success: 201, request: async (db) => ({ url: `/v1/api-keys/${await key(db)}/rotate` }) },
  'POST /v1/craft-villages': { allowed: CATALOGUE, success: 201, request: async () => ({ url: '/v1/craft-villages', payload: { name: `Làng ${Math.random()}`, adminUnitCode: '018', trade: 'Gốm' } }) },
  'PATCH /v1/craft-villages/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/craft-villages/${(await makeVillage(db)).id}`, payload: { recognised: true } }) },
  'POST /v1/producers': { allowed: CATALOGUE, success: 201, request: async () => ({ url: '/v1/producers', payload: { name: 'HTX ma trận', type: 'cooperative', address: 'Gia Lâm', adminUnitCode: '018', registeredOn: '2024-05-01' } }) },
  'PATCH /v1/producers/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/producers/${(await makeProducer(db)).id}`, payload: { representative: 'Trần Thị Bình' } }) },
  'DELETE /v1/producers/:id': { allowed: CATALOGUE, success: 204, request: async (db) => ({ url: `/v1/producers/${(await makeProducer(db)).id}` }) },
  'POST /v1/products': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: '/v1/products', payload: { producerId: (await makeProducer(db)).id, nameVi: 'Chén gốm', group148: '4.1' } }) },
  'PATCH /v1/products/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db, { status: 'active' })).id}`, payload: { priceVnd: 120000 } }) },
  'POST /v1/products/:id/archive': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db, { status: 'active' })).id}/archive` }) },
  'POST /v1/criteria-sets': { allowed: ['admin'], success: 201, request: async () => ({ url: '/v1/criteria-sets', payload: criteriaSet(`M-${Math.floor(Math.random() * 1e9)}`) }) },
  'POST /v1/evaluations': { allowed: ['operator', 'council', 'admin'], success: 201, request: async (db) => ({ url: '/v1/evaluations', payload: { productId: (await makeProduct(db, { status: 'active' })).id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 1 } } }) },
  'POST /v1/evaluations/:id/submit': { allowed: ['operator', 'council', 'admin'], success: 200, elsewhere: 404, request: async (db) => ({ url: `/v1/evaluations/${(await makeEvaluation(db)).id}/submit` }) },
  'POST /v1/evaluations/:id/score-sheets': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/evaluations/${(await makeEvaluation(db, { submit: true })).id}/score-sheets`, payload: { memberName: `Thành viên ${Math.random()}`, points: FULL_MARKS } }) },
  'POST /v1/evaluations/:id/decide': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/evaluations/${(await makeEvaluation(db, { submit: true, sheet: FULL_MARKS })).id}/decide`, payload: { decisionNumber: 'QĐ-1', decisionDate: '2026-11-20', certificateNumber: `HN-${Math.random()}` } }) },
  'POST /v1/recognitions/:id/revoke': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/recognitions/${await makeRecognition(db)}/revoke`, payload: { decisionReference: 'QĐ-thu-hồi', revokedOn: '2026-12-01', reason: 'test' } }) },
  'POST /v1/recognitions/:id/notice': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/recognitions/${await makeRecognition(db)}/notice`, payload: { sentOn: '2029-02-01' } }) },
  'DELETE /v1/products/:id': { allowed: CATALOGUE, success: 204, elsewhere: 404, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db)).id}` }) }
}
function criteriaSet (key: string) {
  const criterion = (code: string, maxPoints: number) => ({ code, titleVi: code, titleEn: code, maxPoints, mandatoryFor: null })
  return {
    key,
    titleVi: 'Thẻ điểm',
    titleEn: 'Score card',
    decision: 'test',
    appliesFrom: '2026-01-01',
    taxonomy: 'QD148-2023',
    parts: [
      { part: 'A', titleVi: 'A', titleEn: 'A', maxPoints: 40, criteria: [criterion('A1', 40)] },
      { part: 'B', titleVi: 'B', titleEn: 'B', maxPoints: 25, criteria: [criterion('B1', 25)] },
      { part: 'C', titleVi: 'C', titleEn: 'C', maxPoints: 35, criteria: [criterion('C1', 20), criterion('C2', 15)] }
    ]
  }
}
const CALLERS: Caller[] = ['anonymous', 'malformed', 'revoked', 'expired', 'partner', 'operator', 'operator-elsewhere', 'council', 'admin']

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
    'operator-elsewhere': (await makeKey(db, 'operator', { adminUnits: ['281'] })).token,
    council: (await makeKey(db, 'council', { councilLevel: 'city' })).token,
    admin: (await makeKey(db, 'admin')).token
  }
  await db.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'revoked admin'")
  await db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE name = 'expired admin'")

  for (const [route, spec] of Object.entries(WRITES)) {
    const [method] = route.split(' ') as ['POST' | 'PATCH' | 'DELETE']
    for (const caller of CALLERS) {
      const { url, payload } = await spec.request(db)
      const token = tokens[caller]
      const before = await dbFingerprint(db)
      const res = await app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} })
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
