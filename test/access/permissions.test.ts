import t from 'tap'
import { PERMISSIONS } from '../../src/lib/permissions.ts'
import { buildTestApp } from '../helpers/app.ts'

t.test('every registered route declares a known permission', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  t.ok(app.routePermissions.length > 10)
  for (const route of app.routePermissions) {
    t.ok(route.permission && route.permission in PERMISSIONS, `${route.method} ${route.url} declares ${route.permission ?? 'nothing'}`)
  }
})

t.test('a route without a permission is refused, not exposed', async (t) => {
  const { app } = await buildTestApp(t)
  app.get('/v1/forgotten', async () => ({ secret: true }))
  const res = await app.inject({ method: 'GET', url: '/v1/forgotten' })
  t.equal(res.statusCode, 403)
  t.notMatch(res.body, /secret/)
})

t.test('Swagger UI and the CORS preflight need no key', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/docs/' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode, 200)
  const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/api-keys', headers: { origin: 'https://portal.example', 'access-control-request-method': 'POST' } })
  t.equal(preflight.statusCode, 204)
})
