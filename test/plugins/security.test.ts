import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'

const csp = (header: unknown) => Object.fromEntries(String(header).split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]))

t.test('the CSP upgrades insecure requests only where the request came over https', async (t) => {
  const { app } = await buildTestApp(t, { env: { TRUST_PROXY: 'true' } })
  for (const url of ['/v1/admin-units', '/docs/', '/docs/static/index.html']) {
    const plain = await app.inject({ method: 'GET', url, headers: { host: 'ocop.test:3000' } })
    t.ok(plain.statusCode < 400, `${url} answers`)
    t.notOk('upgrade-insecure-requests' in csp(plain.headers['content-security-policy']), `${url} over http by a host name: no upgrade, or every asset would go to https`)
    const proxied = await app.inject({ method: 'GET', url, headers: { host: 'ocop.example.gov.vn', 'x-forwarded-proto': 'https' } })
    t.ok('upgrade-insecure-requests' in csp(proxied.headers['content-security-policy']), `${url} behind TRUST_PROXY over https: upgrade`)
    t.notOk(plain.headers['cross-origin-opener-policy'], 'Cross-Origin-Opener-Policy only where browsers heed it')
    t.equal(proxied.headers['cross-origin-opener-policy'], 'same-origin')
  }
  const docs = csp((await app.inject({ method: 'GET', url: '/docs/static/index.html' })).headers['content-security-policy'])
  t.same(docs['script-src'], ["'self'"], 'Swagger UI: its scripts are files of this origin')
  t.same(docs['style-src'], ["'self'", "'unsafe-inline'"], 'its styles are files, and the ones it applies as it renders')
  t.same(docs['frame-ancestors'], ["'none'"])
})

t.test('without TRUST_PROXY a forwarded protocol is not believed', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: { 'x-forwarded-proto': 'https' } })
  t.notOk('upgrade-insecure-requests' in csp(res.headers['content-security-policy']))
})

t.test('every answer carries the security headers: a read, a 401, a 404, an unknown route, a validation error', async (t) => {
  const { app } = await buildTestApp(t)
  const expected = {
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'cross-origin',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0'
  }
  const answers = [
    ['GET', '/v1/admin-units', 200],
    ['GET', '/v1/api-keys', 401],
    ['GET', '/v1/products/00000000-0000-4000-8000-000000000000', 404],
    ['GET', '/v1/no-such-route', 404],
    ['GET', '/v1/products?limit=0', 400]
  ] as const
  for (const [method, url, status] of answers) {
    const res = await app.inject({ method, url })
    t.equal(res.statusCode, status, `${url} answers ${status}`)
    t.match(res.headers, expected, `${url}: the security headers`)
    t.notOk(res.headers['x-powered-by'], 'nothing says what the server runs')
    t.notOk(res.headers['origin-agent-cluster'], 'no Origin-Agent-Cluster hint')
  }
})
