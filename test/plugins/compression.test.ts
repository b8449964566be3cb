import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib'
import t from 'tap'
import { generateContract } from '../../src/cli/openapi.ts'
import { buildTestApp } from '../helpers/app.ts'
import { makeRecognisedProducts } from '../helpers/factories.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'
import { project } from '../modules/listings/helpers.ts'

const DECODE = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync } as const
const vary = (header: unknown) => String(header ?? '').toLowerCase().split(/\s*,\s*/)

t.test('answers of 1 KB and more are coded as the client allows, with the ETag of the uncoded body', async (t) => {
  const { app } = await buildTestApp(t)
  const url = '/v1/admin-units'
  const plain = await app.inject({ url })
  t.equal(plain.statusCode, 200)
  t.ok(plain.rawPayload.length > 1024, 'a page of units is over the threshold')
  t.notOk(plain.headers['content-encoding'], 'no Accept-Encoding: sent as it is')
  for (const [coding, decode] of Object.entries(DECODE)) {
    const coded = await app.inject({ url, headers: { 'accept-encoding': coding } })
    t.equal(coded.statusCode, 200)
    t.equal(coded.headers['content-encoding'], coding, `${coding} when asked for`)
    t.ok(vary(coded.headers.vary).includes('accept-encoding'), 'shared caches keep each coding apart')
    t.ok(coded.rawPayload.length < plain.rawPayload.length / 3, `${coding}: ${plain.rawPayload.length} bytes in ${coded.rawPayload.length}`)
    t.same(decode(coded.rawPayload), plain.rawPayload, `${coding} decodes to the same bytes`)
    t.equal(coded.headers.etag, plain.headers.etag, 'the same ETag: it tags the body, whichever coding carries it')
    t.equal(coded.headers['content-type'], plain.headers['content-type'])
  }
  t.equal((await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } })).headers['content-encoding'], 'br', 'a browser gets brotli')
  t.equal((await app.inject({ url, headers: { 'accept-encoding': 'br;q=0.1, gzip' } })).headers['content-encoding'], 'gzip', 'the client\'s preference counts')
  t.notOk((await app.inject({ url, headers: { 'accept-encoding': 'zstd, compress' } })).headers['content-encoding'], 'codings it does not know: sent as it is')
  const unchanged = await app.inject({ url, headers: { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag as string } })
  t.equal(unchanged.statusCode, 304, 'the uncoded answer\'s ETag revalidates a coded one')
  t.equal(unchanged.rawPayload.length, 0)
  const head = await app.inject({ method: 'HEAD', url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(head.statusCode, 200)
  t.equal(head.headers.etag, plain.headers.etag, 'HEAD keeps its GET\'s ETag')
})

t.test('a point read under 1 KB is sent as it is; CSV downloads and the export are coded', async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const ids = await makeRecognisedProducts(db, 8)
  await project(app)
  const one = await app.inject({ url: `/v1/products/${ids[0]}`, headers: { 'accept-encoding': 'gzip' } })
  t.equal(one.statusCode, 200)
  t.ok(one.rawPayload.length < 1024)
  t.notOk(one.headers['content-encoding'], 'too small to gain from coding')

  const csv = await app.inject({ url: '/v1/products', headers: { accept: 'text/csv' } })
  const csvCoded = await app.inject({ url: '/v1/products', headers: { accept: 'text/csv', 'accept-encoding': 'gzip' } })
  t.equal(csvCoded.headers['content-encoding'], 'gzip')
  t.equal(csvCoded.headers['content-disposition'], csv.headers['content-disposition'])
  t.equal(gunzipSync(csvCoded.rawPayload).toString(), csv.body, 'the same CSV')

  const exported = await app.inject({ url: '/v1/listings/export', headers: partner })
  const exportedCoded = await app.inject({ url: '/v1/listings/export', headers: { ...partner, 'accept-encoding': 'gzip' } })
  t.equal(exportedCoded.statusCode, 200)
  t.equal(exportedCoded.headers['content-encoding'], 'gzip', 'NDJSON is coded')
  t.notOk(exportedCoded.headers['content-length'], 'streamed: its length is not known in advance')
  const lines = gunzipSync(exportedCoded.rawPayload).toString().trimEnd().split('\n').map((l) => JSON.parse(l))
  t.same(lines, exported.body.trimEnd().split('\n').map((l) => JSON.parse(l)), 'the same listings and the same end line')
  t.match(lines.at(-1), { type: 'end', count: 8 })
})

t.test('Swagger UI\'s scripts are coded for the browser', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/docs/static/swagger-ui-bundle.js', headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-encoding'], 'br')
  t.match(brotliDecompressSync(res.rawPayload).toString().slice(0, 2000), /swagger|SwaggerUI/i)
})

t.test('request bodies may come coded; a coding it does not know or a body that does not decode changes nothing', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const json = { ...admin, 'content-type': 'application/json' }
  const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...json, 'content-encoding': 'gzip' }, payload: gzipSync(JSON.stringify({ name: 'Nén gzip', role: 'partner' })) })
  t.equal(created.statusCode, 201, 'a gzip body is read as its JSON')
  t.equal(created.json().apiKey.name, 'Nén gzip')
  const [row] = await db.query<{ name: string }>('SELECT name FROM api_keys WHERE id = $1', [created.json().apiKey.id])
  t.equal(row?.name, 'Nén gzip', 'and saved')

  const before = await dbFingerprint(db)
  const unknown = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...json, 'content-encoding': 'compress' }, payload: JSON.stringify({ name: 'x', role: 'partner' }) })
  t.equal(unknown.statusCode, 415)
  t.match(unknown.headers['content-type'], /^application\/problem\+json/)
  t.match(unknown.json(), { type: '/problems/unsupported-media-type', errors: [{ in: 'header', pointer: '/content-encoding' }] })
  t.match(unknown.json().detail, /br, gzip, deflate/, 'it says which codings it takes')
  const long = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...json, 'content-encoding': 'x'.repeat(5000) }, payload: '{}' })
  t.equal(long.statusCode, 415)
  t.ok(long.json().detail.length < 300, 'a long header is cut short in the detail')

  const broken = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...json, 'content-encoding': 'gzip' }, payload: JSON.stringify({ name: 'x', role: 'partner' }) })
  t.equal(broken.statusCode, 400)
  t.match(broken.headers['content-type'], /^application\/problem\+json/)
  t.match(broken.json(), { type: '/problems/bad-request', errors: [{ in: 'header', pointer: '/content-encoding' }] })
  t.match(broken.json().detail, /Content-Encoding gzip/)
  const english = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...json, 'content-encoding': 'gzip', 'accept-language': 'en' }, payload: 'not gzip' })
  t.equal(english.json().detail, 'The body could not be decoded as Content-Encoding gzip says')

  // 40 KB of gzip that inflates to 40 MB: refused as it inflates past BODY_LIMIT_BYTES.
  const bomb = gzipSync(Buffer.concat([Buffer.from('{"name":"'), Buffer.alloc(40_000_000, 'a'), Buffer.from('","role":"partner"}')]))
  t.ok(bomb.length < 100_000)
  const inflated = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...json, 'content-encoding': 'gzip' }, payload: bomb })
  t.equal(inflated.statusCode, 413)
  t.match(inflated.json(), { type: '/problems/payload-too-large' })
  t.same(await dbFingerprint(db), before, 'nothing was written by the refused requests')
})

t.test('every operation that reads a body documents 413 and 415, and answers 415 to a coding it does not take', async (t) => {
  const doc = JSON.parse(await generateContract()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }, responses: Record<string, unknown> }>> }
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  let operations = 0
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op.requestBody) continue
      operations++
      t.ok(op.responses['413'] && op.responses['415'], `${method.toUpperCase()} ${path} documents 413 and 415`)
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')
      const type = Object.keys(op.requestBody.content)[0]!
      const res = await app.inject({ method: method.toUpperCase() as 'POST', url, headers: { ...admin, 'content-type': type, 'content-encoding': 'compress' }, payload: '{}' })
      t.equal(res.statusCode, 415, `${method.toUpperCase()} ${path} answers 415`)
    }
  }
  t.ok(operations > 30, `${operations} operations read a body`)
})
