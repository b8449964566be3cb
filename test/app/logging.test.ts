import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'

t.test('each request is one log line, written when it is answered, with method, URL, status and time', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs })
  const res = await app.inject({ method: 'GET', url: '/v1/product-groups?criteriaSet=QD148-2023', headers: { 'x-request-id': 'one-line' } })
  t.equal(res.statusCode, 200)
  const lines = logs.filter((l) => l.reqId === 'one-line')
  t.equal(lines.length, 1, 'one line for the request')
  t.match(lines[0], { level: 30, msg: 'request completed', req: { method: 'GET', url: '/v1/product-groups?criteriaSet=QD148-2023' }, res: { statusCode: 200 }, responseTime: Number })
  t.notOk('headers' in (lines[0]!.req as object), 'the request is logged without its headers')
})

t.test('at debug the arrival of a request is logged too', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs, env: { LOG_LEVEL: 'debug' } })
  await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'arrives' } })
  t.same(logs.filter((l) => l.reqId === 'arrives').map((l) => l.msg), ['incoming request', 'request completed'])
})

t.test('an error that carries request headers is logged without their credentials', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app } = await buildTestApp(t, { logs })
  app.get('/fails-with-headers', { config: { permission: 'public' } }, async () => {
    throw Object.assign(new Error('upstream refused'), { headers: { authorization: 'Bearer ocop_in_error', 'x-api-key': 'ocop_key_in_error', accept: 'application/json' } })
  })
  const res = await app.inject({ method: 'GET', url: '/fails-with-headers', headers: { 'x-request-id': 'err-headers' } })
  t.equal(res.statusCode, 500)
  const text = JSON.stringify(logs)
  t.notMatch(text, /ocop_in_error|ocop_key_in_error/)
  const logged = logs.find((l) => l.reqId === 'err-headers' && l.msg === 'unhandled error')
  t.match(logged, { err: { message: 'upstream refused', headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'application/json' } } })
})
