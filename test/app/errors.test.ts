import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'

t.test('an unknown route answers 404 as problem+json', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json(), { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No route GET /v1/nothing-here', instance: '/v1/nothing-here?x=1' })
  t.equal(res.json().requestId, res.headers['x-request-id'])
})

t.test('a validation error names every offending field with a JSON pointer', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/admin-units?level=province&validOn=2024-13-45&colour=red' })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const body = res.json()
  t.equal(body.type, '/problems/validation-error')
  t.same(body.errors.map((e: { in: string, pointer: string }) => `${e.in}${e.pointer}`).sort(), ['query/colour', 'query/level', 'query/validOn'])
  t.match(body.errors.find((e: { pointer: string }) => e.pointer === '/level').detail, /district, commune/)
})

t.test('a thrown error answers 500 without internals and is logged with the request id', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs })
  app.get('/boom', { config: { permission: 'public' } }, async () => { throw new Error('SELECT secret_column FROM keys WHERE password = 1') })
  const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'trace-42' } })
  t.equal(res.statusCode, 500)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.headers['x-request-id'], 'trace-42')
  const body = res.json()
  t.match(body, { type: '/problems/internal-error', status: 500, requestId: 'trace-42' })
  t.notMatch(res.body, /secret_column|SELECT|at .*\.ts/)
  const logged = logs.find((l) => l.msg === 'unhandled error')
  t.ok(logged, 'the error is logged')
  t.equal(logged?.requestId ?? logged?.reqId, 'trace-42')
  t.match((logged?.err as { message: string }).message, /secret_column/)
})

t.test('a malformed request id from a client is replaced by a generated one', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id\nwith newline' } })
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('the authorization header is redacted from the logs', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs })
  app.get('/log-headers', { config: { permission: 'public' } }, async (req) => { req.log.info({ headers: req.headers }, 'headers'); return {} })
  await app.inject({ method: 'GET', url: '/log-headers', headers: { 'x-api-key': 'ocop_secret_value' } })
  await app.inject({ method: 'GET', url: '/log-headers', headers: { authorization: 'Bearer ocop_other_secret' } })
  t.notMatch(JSON.stringify(logs), /ocop_secret_value|ocop_other_secret/)
  t.match(JSON.stringify(logs), /\[redacted\]/)
})

t.test('malformed JSON is a 400 problem and an unsupported media type a 415 problem', async (t) => {
  const { app } = await buildTestApp(t)
  app.post('/echo', { config: { permission: 'public' } }, async (req) => req.body ?? {})
  const bad = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' })
  t.equal(bad.statusCode, 400)
  t.match(bad.headers['content-type'], /^application\/problem\+json/)
  const media = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/csv' }, payload: 'a,b' })
  t.equal(media.statusCode, 415)
  t.match(media.json(), { status: 415, type: '/problems/unsupported-media-type' })
})

t.test('responses carry security headers and CORS headers', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: { origin: 'https://portal.hanoi.example' } })
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.match(res.headers['content-security-policy'], /default-src 'self'/)
  t.equal(res.headers['access-control-allow-origin'], '*')
})

t.test('CORS origins are configurable', async (t) => {
  const { app } = await buildTestApp(t, { env: { CORS_ORIGINS: 'https://ocop.hanoi.gov.vn' } })
  const allowed = await app.inject({ method: 'OPTIONS', url: '/v1/admin-units', headers: { origin: 'https://ocop.hanoi.gov.vn', 'access-control-request-method': 'GET' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://ocop.hanoi.gov.vn')
  const other = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'])
})
