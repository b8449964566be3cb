import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, makeKey } from '../helpers/keys.ts'
import { createTestDb } from '../helpers/db.ts'

const redisUrl = process.env.REDIS_TEST_URL

t.test('anonymous clients get their budget per IP, then 429 with Retry-After and RateLimit headers', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_ANONYMOUS: '3' } })
  for (let i = 0; i < 3; i++) {
    const ok = await app.inject({ method: 'GET', url: '/v1/admin-units' })
    t.equal(ok.statusCode, 200)
    t.equal(ok.headers['ratelimit-limit'], '3')
    t.equal(ok.headers['ratelimit-remaining'], String(2 - i))
  }
  const refused = await app.inject({ method: 'GET', url: '/v1/admin-units' })
  t.equal(refused.statusCode, 429)
  t.match(refused.headers['content-type'], /problem\+json/)
  t.match(refused.json(), { type: '/problems/rate-limited', status: 429, title: 'Quá nhiều yêu cầu', detail: /^Đã vượt giới hạn 3 yêu cầu mỗi phút; hãy thử lại sau \d+ giây$/ })
  const english = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: { 'accept-language': 'en' } })
  t.match(english.json(), { title: 'Too many requests', detail: /^Rate limit of 3 requests per minute exceeded; retry after \d+ s$/ })
  t.ok(Number(refused.headers['retry-after']) > 0)
  t.equal(refused.headers['ratelimit-remaining'], '0')
  t.ok(refused.headers['ratelimit-reset'])
  const other = await app.inject({ method: 'GET', url: '/v1/admin-units', remoteAddress: '10.1.2.3' })
  t.equal(other.statusCode, 200, 'another IP has its own budget')
})

t.test('requests to unknown paths and with the wrong method spend the same budget', async (t) => {
  const { app } = await buildTestApp(t, { env: { RATE_LIMIT_ANONYMOUS: '3' } })
  const unknown = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.headers['ratelimit-remaining'], '2')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/admin-units' })).statusCode, 405)
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units' })).statusCode, 200)
  for (const [method, url] of [['GET', '/v1/nothing-here'], ['PUT', '/v1/admin-units'], ['GET', '/v1/admin-units']] as const) {
    const refused = await app.inject({ method, url })
    t.equal(refused.statusCode, 429, `${method} ${url} once the budget is spent`)
    t.match(refused.json(), { type: '/problems/rate-limited' })
  }
})

t.test('keys have their own budget, set by role', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db, env: { RATE_LIMIT_ANONYMOUS: '1', RATE_LIMIT_PARTNER: '2', RATE_LIMIT_STAFF: '4' } })
  const partner = bearer((await makeKey(db, 'partner')).token)
  const operator = bearer((await makeKey(db, 'operator')).token)
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: partner })).headers['ratelimit-limit'], '2')
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: operator })).headers['ratelimit-limit'], '4')
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: partner })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: partner })).statusCode, 429)
  t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: operator })).statusCode, 200, 'one key spending its budget leaves another alone')
})

t.test('with REDIS_URL the budget is shared by every instance', { skip: !redisUrl && 'needs Redis (REDIS_TEST_URL)' }, async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const { token } = await makeKey(db, 'partner')
  // A window of its own for this run, so earlier runs' counters do not interfere.
  const env = { REDIS_URL: redisUrl!, RATE_LIMIT_PARTNER: '3', RATE_LIMIT_WINDOW_MS: String(60000 + Math.floor(Math.random() * 1000)) }
  const one = (await buildTestApp(t, { db, env })).app
  const two = (await buildTestApp(t, { db, env })).app
  const statuses = []
  for (const app of [one, two, one, two]) statuses.push((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: bearer(token) })).statusCode)
  t.same(statuses, [200, 200, 200, 429])
})
