import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

t.test('a body over the limit is a 413 problem and writes nothing', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { BODY_LIMIT_BYTES: '2048' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...admin, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(5000), role: 'partner' }) })
  t.equal(res.statusCode, 413)
  t.match(res.json(), { type: '/problems/payload-too-large', status: 413 })
  t.same(await db.query("SELECT count(*)::int AS n FROM api_keys WHERE role = 'partner'"), [{ n: 0 }])
})

t.test('strings are bounded: an overlong name is refused naming the field', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload: { name: 'x'.repeat(201), role: 'partner' } })
  t.equal(res.statusCode, 400)
  t.match(res.json().errors, [{ in: 'body', pointer: '/name', detail: /200/ }])
})

t.test('the request timeout is set (Fastify has none by default)', async (t) => {
  const { app } = await buildTestApp(t, { env: { REQUEST_TIMEOUT_MS: '12345' } })
  t.equal((app.initialConfig as { requestTimeout?: number }).requestTimeout, 12345)
})

t.test('JSON nested deeper than JSON_MAX_DEPTH is a 400 naming the limit, before any work, whatever the key', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const before = await db.query('SELECT count(*)::int AS n FROM producers')
  const nested = (depth: number, open: string, close: string, inner: string) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`
  for (const [label, payload] of [
    ['8,000 nested objects', nested(8000, '{"a":', '}', '1')],
    ['5,000 nested arrays', nested(5000, '[', ']', '')],
    ['65 levels in a field', `{"name":"HTX","extra":${nested(64, '[', ']', '')}}`]
  ] as [string, string][]) {
    const res = await app.inject({ method: 'POST', url: '/v1/producers', headers: { ...admin, 'content-type': 'application/json' }, payload })
    t.equal(res.statusCode, 400, label)
    t.match(res.json(), { type: '/problems/validation-error', detail: /sâu quá 64 cấp \(JSON_MAX_DEPTH\)/, errors: [{ in: 'body', pointer: '' }] }, label)
  }
  const deepButAllowed = await app.inject({ method: 'POST', url: '/v1/producers', headers: { ...admin, 'content-type': 'application/json' }, payload: `{"name":"HTX","extra":${nested(63, '[', ']', '')}}` })
  t.equal(deepButAllowed.statusCode, 400, '64 levels are parsed, then validated')
  t.ok(deepButAllowed.json().errors.some((e: { pointer: string }) => e.pointer === '/extra'), 'and refused for the unknown field, not the depth')
  t.notMatch(deepButAllowed.body, /deeper than/)
  t.equal((await app.inject({ method: 'POST', url: '/v1/producers', headers: { 'content-type': 'application/json' }, payload: nested(8000, '[', ']', '') })).statusCode, 401, 'without a key: 401, nothing parsed')
  const strings = await app.inject({ method: 'POST', url: '/v1/producers', headers: { ...admin, 'content-type': 'application/json' }, payload: JSON.stringify({ name: '{'.repeat(500) + '[['.repeat(500) }) })
  t.equal(strings.statusCode, 400)
  t.notMatch(strings.body, /deeper than/, 'brackets inside strings do not count')
  t.same(await db.query('SELECT count(*)::int AS n FROM producers'), before, 'nothing saved')
})
