import t from 'tap'
import { createHash } from 'node:crypto'
import { buildTestApp } from '../helpers/app.ts'
import { makeProduct, makeRecognition } from '../helpers/factories.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

// HTTP caching of reads, by route class: what a browser, the portal's CDN and a partner's client see.
t.test('Cache-Control, ETag and Vary by route class and caller', async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const product = await makeProduct(db, { status: 'active' })
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
  const vary = (res: { headers: Record<string, unknown> }) => String(res.headers.vary ?? '').split(', ')

  t.test('public reads: shared caches may keep them, by how fast each changes', async (t) => {
    for (const [url, control] of [
      ['/v1/products', 'public, max-age=60, stale-while-revalidate=300'],
      [`/v1/products/${product.id}`, 'public, max-age=60, stale-while-revalidate=300'],
      ['/v1/producers', 'public, max-age=60, stale-while-revalidate=300'],
      ['/v1/venues', 'public, max-age=60, stale-while-revalidate=300'],
      ['/v1/statistics/products', 'public, max-age=300, stale-while-revalidate=900'],
      ['/v1/admin-units', 'public, max-age=3600, stale-while-revalidate=86400']
    ] as const) {
      for (const [who, headers] of [['anonymous', {}], ['partner', partner]] as const) {
        const res = await get(url, headers)
        t.equal(res.statusCode, 200, `${url} ${who}`)
        t.equal(res.headers['cache-control'], control, `${url} ${who}`)
        t.match(res.headers.etag, /^"[\w-]{27}"$/, `${url} has a strong ETag`)
        t.ok(vary(res).includes('Authorization'), `${url} varies on Authorization`)
      }
    }
    t.ok(vary(await get('/v1/products')).includes('Accept'), 'a list varies on Accept (JSON or CSV)')
  })

  t.test('If-None-Match answers 304 with no body and the same headers', async (t) => {
    const first = await get('/v1/products?limit=5')
    const again = await get('/v1/products?limit=5', { 'if-none-match': String(first.headers.etag) })
    t.equal(again.statusCode, 304)
    t.equal(again.body, '')
    t.equal(again.headers.etag, first.headers.etag)
    t.equal(again.headers['cache-control'], first.headers['cache-control'])
    await makeRecognition(db, product.id)
    await db.query("UPDATE products SET name_vi = 'Bình gốm men lam (mới)' WHERE id = $1", [product.id])
    t.equal((await get('/v1/products?limit=5', { 'if-none-match': String(first.headers.etag) })).statusCode, 200, 'a changed list is sent again')
  })

  t.test('the ETag is the hash of the bytes sent; HEAD answers with the same length and tag, and no body', async (t) => {
    for (let i = 0; i < 4; i++) await makeProduct(db, { status: 'active' })
    // A product (a short answer, sent as a string) and a page of five (over 1 KB, encoded once: etag.ts).
    for (const [url, short] of [[`/v1/products/${product.id}`, true], ['/v1/products?limit=5', false]] as const) {
      const res = await get(url)
      t.equal(res.statusCode, 200)
      t.equal(res.body.length <= 1024, short, `${url}: ${res.body.length} characters`)
      t.not(res.rawPayload.length, res.body.length, 'the answer holds Vietnamese letters: bytes and characters differ')
      t.equal(res.headers['content-length'], String(res.rawPayload.length), 'Content-Length counts bytes')
      t.equal(res.headers.etag, `"${createHash('sha256').update(res.rawPayload).digest('base64url').slice(0, 27)}"`)
      const body = JSON.parse(res.body) as { id?: string, items?: unknown[] }
      t.same(short ? body.id : body.items?.length, short ? product.id : 5, 'the product, or the page of five')
      const head = await app.inject({ method: 'HEAD', url })
      t.equal(head.statusCode, 200)
      t.equal(head.body, '')
      t.equal(head.headers['content-length'], res.headers['content-length'])
      t.equal(head.headers.etag, res.headers.etag)
      t.equal(head.headers['cache-control'], res.headers['cache-control'])
      t.same(vary(head), vary(res))
      const cached = await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': String(res.headers.etag) } })
      t.equal(cached.statusCode, 304)
      t.equal(cached.headers.etag, res.headers.etag)
      t.equal(cached.headers['content-length'], res.headers['content-length'], 'a 304 may give only the 200\'s length (RFC 9110 §8.6)')
    }
  })

  // A genuine label's verification (counted, so no-store) is checked in test/modules/labels/labels.test.ts.
  t.test('partner-only reads are private; staff reads are never stored', async (t) => {
    t.equal((await get('/v1/listings', partner)).headers['cache-control'], 'private, max-age=60, stale-while-revalidate=300')
    t.equal((await get('/v1/products', admin)).headers['cache-control'], 'no-store', 'a staff list holds unpublished records of its units')
    t.equal((await get(`/v1/products/${product.id}`, admin)).headers['cache-control'], 'no-store')
    t.equal((await get('/v1/api-keys', admin)).headers['cache-control'], 'no-store')
    t.equal((await get('/health/ready')).headers['cache-control'], 'no-store')
    t.equal((await get('/v1/products/8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c')).headers['cache-control'], 'no-store', 'an error is not kept')
  })
})
