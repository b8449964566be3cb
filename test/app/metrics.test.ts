import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { makeProduct, makeRecognition } from '../helpers/factories.ts'
import { bearer, makeKey } from '../helpers/keys.ts'
import { project } from '../helpers/projector.ts'

t.test('Prometheus metrics: requests by route, process vitals and OCOP gauges, for admins', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const product = await makeProduct(db, { status: 'active' })
  await makeRecognition(db, product.id)
  await project(app)
  await app.inject({ method: 'GET', url: `/v1/products/${product.id}` })
  await app.inject({ method: 'GET', url: '/v1/products/00000000-0000-4000-8000-000000000000' })
  await app.inject({ method: 'GET', url: '/v1/no-such-route' })

  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/metrics', headers: bearer((await makeKey(db, 'partner')).token) })).statusCode, 403)
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: admin })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const value = (line: RegExp) => Number(res.body.split('\n').find((l) => line.test(l))?.split(' ').pop())
  t.equal(value(/^http_request_duration_seconds_count\{method="GET",route="\/v1\/products\/:id",status_code="200"\}/), 1, 'the read, by route template')
  t.equal(value(/^http_request_duration_seconds_count\{method="GET",route="\/v1\/products\/:id",status_code="404"\}/), 1, 'the miss')
  t.match(res.body, /^process_resident_memory_bytes \d+/m, 'process vitals')
  const [listings] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings')
  t.equal(value(/^ocop_listings /), listings!.n)
  t.equal(listings!.n, 1)
  const [feed] = await db.query<{ seq: number }>('SELECT max(seq)::int AS seq FROM listing_changes')
  t.equal(value(/^ocop_listing_feed_position /), feed!.seq)
  t.equal(value(/^ocop_webhook_backlog_age_seconds /), 0, 'no deliveries waiting')
  t.notMatch(res.body, /route="\/metrics"/, 'scrapes are not counted')
  // A URL no route answers is not counted: a scanner cannot grow the label set.
  t.notMatch(res.body, /no-such-route/, 'the unknown URL has no series')
  t.equal(res.body.split('\n').filter((l) => /^http_request_duration_seconds_count\{.*status_code="404"/.test(l)).length, 1, 'the one 404 counted is the product miss')

  const other = await buildTestApp(t)
  const second = await other.app.inject({ method: 'GET', url: '/metrics', headers: bearer((await makeKey(other.db, 'admin')).token) })
  t.equal(second.statusCode, 200, 'a second app in the same process has its own registry')
  t.notMatch(second.body, /route="\/v1\/products\/:id"/, 'and its own counts')
})
