import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { createTestDb, type TestDb } from '../../helpers/db.ts'
import { insertRecognition, makeProduct } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { waitFor } from '../../helpers/wait.ts'
import { fixedClock } from '../../../src/lib/clock.ts'

// The in-memory read cache of public catalogue reads (src/db/read-cache.ts): what a reader sees must be
// what the database holds, whoever wrote it and however; only the database's work is saved.
/**
 * A database whose notifications reach this instance 300 ms late, as from another instance over a busy
 * network; the news of a lost LISTEN connection comes as late, so that the order stays the same.
 */
function lateNotifications (db: TestDb): TestDb {
  const late = (event?: () => void) => () => setTimeout(() => event?.(), 300)
  return { ...db, listen: (channel, onNotify, onLost) => db.listen(channel, late(onNotify), late(onLost)) }
}

t.test('the read cache of public catalogue reads', async (t) => {
  const clock = fixedClock('2026-05-31T03:00:00Z')
  const db = await createTestDb()
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db: lateNotifications(db), clock, env: { READ_CACHE_MB: '16' } })
  await app.ready()
  const admin = bearer((await makeKey(db, 'admin')).token)
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
  const counts = () => ({ hits: app.readCache.counts.hits, misses: app.readCache.counts.misses })
  const product = await makeProduct(db, { status: 'active', priceVnd: 150_000 })
  await insertRecognition(db, product.id, { star: 4, issuedOn: '2023-06-01', expiresOn: '2026-06-01' })
  // Notifications arrive in commit order: once one sent now is heard, every write before it was.
  const settled = async () => {
    const heard = app.readCache.counts.notifications
    await db.query('NOTIFY catalogue_changes')
    await waitFor(() => app.readCache.counts.notifications > heard, 5000, 'the writes to be heard')
  }
  await settled()

  t.test('a repeated read is answered from memory, with the same bytes and ETag, and counted in /metrics', async (t) => {
    await settled()
    const before = counts()
    const first = await get(`/v1/products/${product.id}`)
    const again = await get(`/v1/products/${product.id}`)
    t.equal(first.statusCode, 200)
    t.equal(again.body, first.body)
    t.equal(again.headers.etag, first.headers.etag)
    t.same(counts(), { ...before, misses: before.misses + 1, hits: before.hits + 1 })
    const metrics = (await get('/metrics', admin)).body
    t.match(metrics, new RegExp(`ocop_read_cache_requests_total\\{outcome="hit"\\} ${app.readCache.counts.hits}\\n`))
    t.match(metrics, /ocop_read_cache_entries [1-9]/)
  })

  t.test('a write through the API is read back at once, before its notification arrives', async (t) => {
    const etag = String((await get(`/v1/products/${product.id}`)).headers.etag)
    const patched = await app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: { ...admin, 'if-match': etag }, payload: { priceVnd: 175_000 } })
    t.equal(patched.statusCode, 200)
    t.equal((await get(`/v1/products/${product.id}`)).json().priceVnd, 175_000, 'the point read')
    t.ok((await get('/v1/products?limit=100')).json().items.some((p: { id: string, priceVnd: number }) => p.id === product.id && p.priceVnd === 175_000), 'the list')
  })

  t.test('a change made in SQL, by another process or an operator, is heard and read', async (t) => {
    t.equal((await get(`/v1/products/${product.id}`)).json().nameVi, product.nameVi)
    await db.query("UPDATE products SET name_vi = 'Gốm Bát Tràng men rạn' WHERE id = $1", [product.id])
    await waitFor(async () => (await get(`/v1/products/${product.id}`)).json().nameVi === 'Gốm Bát Tràng men rạn', 2000, 'the new name')
  })

  t.test('an answer is kept for the day it was read on: the certificate lapses with the date', async (t) => {
    t.equal((await get(`/v1/products/${product.id}`)).json().rating?.star, 4, 'in force on 31 May')
    t.equal((await get(`/v1/products/${product.id}`)).json().rating?.star, 4, 'again, from memory')
    clock.set('2026-06-30T03:00:00Z')
    t.equal((await get(`/v1/products/${product.id}`)).json().rating, null, 'lapsed by 30 June')
    t.equal((await get('/v1/products?star=4&limit=100')).json().items.length, 0, 'and out of the four-star list')
    t.equal((await get(`/v1/products/${product.id}?asOf=2026-05-31`)).json().rating?.star, 4, 'asOf still reads the day asked for')
    clock.set('2026-05-31T03:00:00Z')
  })

  t.test('who may see a record is decided on every read, not remembered', async (t) => {
    const draft = await makeProduct(db)
    await settled()
    t.equal((await get(`/v1/products/${draft.id}`, admin)).statusCode, 200, 'the operator reads the draft')
    const anonymous = await get(`/v1/products/${draft.id}`)
    t.equal(anonymous.statusCode, 404, 'the public does not, after the operator')
    t.match(anonymous.headers['content-type'], /^application\/problem\+json/)
    const before = counts()
    const staff = (await get('/v1/products?limit=100', admin)).json().items.map((p: { id: string }) => p.id)
    t.ok(staff.includes(draft.id), 'the operator\'s list holds the draft')
    t.same(counts(), before, 'a page with unpublished records is not offered to the cache')
    const page = (await get('/v1/products?limit=100')).json().items.map((p: { id: string }) => p.id)
    t.notOk(page.includes(draft.id), 'the public list does not')
  })

  t.test('a CSV download reads the database and is not kept', async (t) => {
    const before = counts()
    const csv = await get('/v1/products', { accept: 'text/csv' })
    t.equal(csv.statusCode, 200)
    t.match(csv.headers['content-type'], /^text\/csv/)
    t.match(csv.body, product.id)
    t.same(counts(), before, 'neither a hit nor a miss')
  })

  t.test('a lost LISTEN connection: nothing is served from memory until it is back', { skip: !db.pool && 'PostgreSQL only' }, async (t) => {
    await get(`/v1/products/${product.id}`)
    const [killed] = await db.query<{ n: number }>("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'ocop-api-listen' AND datname = current_database() AND query LIKE '%catalogue_changes%'")
    t.equal(killed!.n, 1, 'the listening connection is terminated')
    await waitFor(() => !app.readCache.active, 5000, 'the cache to notice')
    const before = counts()
    await db.query("UPDATE products SET name_vi = 'Lụa Vạn Phúc' WHERE id = $1", [product.id])
    t.equal((await get(`/v1/products/${product.id}`)).json().nameVi, 'Lụa Vạn Phúc', 'read from the database at once')
    t.same(counts(), before, 'neither a hit nor a miss: the cache is out of the way')
    await waitFor(() => app.readCache.active, 15_000, 'the LISTEN to be back')
    await get(`/v1/products/${product.id}`)
    await get(`/v1/products/${product.id}`)
    t.equal(counts().hits, before.hits + 1, 'kept again once listening')
  })
})

t.test('READ_CACHE_MB=0 turns the cache off', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { READ_CACHE_MB: '0' } })
  await app.ready()
  const product = await makeProduct(db, { status: 'active' })
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: `/v1/products/${product.id}` })).statusCode, 200)
  t.same(app.readCache.counts, { hits: 0, misses: 0, notifications: 0 }, 'nothing offered, nothing heard: it does not listen')
  t.equal(app.readCache.active, false)
})
