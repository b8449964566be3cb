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
