import t from 'tap'
import { normalizeStrings, type TextIssue } from '../../src/lib/text.ts'
import { buildTestApp } from '../helpers/app.ts'

t.test('an unknown route answers 404 as problem+json', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json(), { type: '/problems/not-found', title: 'Không tìm thấy', status: 404, detail: 'Không có đường dẫn GET /v1/nothing-here', instance: '/v1/nothing-here?x=1' })
  t.equal(res.json().requestId, res.headers['x-request-id'])
})

t.test('a method the path does not take answers 405 with Allow, and changes nothing', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { makeProduct } = await import('../helpers/factories.ts')
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = bearer((await makeKey(db, 'admin')).token)
  const product = await makeProduct(db, { status: 'active' })
  const before = await db.query('SELECT name_vi, updated_at FROM products WHERE id = $1', [product.id])
  const res = await app.inject({ method: 'PUT', url: `/v1/products/${product.id}?x=1`, headers: { ...admin, 'content-type': 'application/json' }, payload: { nameVi: 'Tên mới' } })
  t.equal(res.statusCode, 405)
  t.equal(res.headers.allow, 'GET, HEAD, PATCH, DELETE')
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json(), { type: '/problems/method-not-allowed', title: 'Phương thức không được hỗ trợ', status: 405, instance: `/v1/products/${product.id}?x=1` })
  t.equal(res.json().detail, `/v1/products/${product.id} không nhận PUT; các phương thức được hỗ trợ: GET, HEAD, PATCH, DELETE`)
  t.same(await db.query('SELECT name_vi, updated_at FROM products WHERE id = $1', [product.id]), before, 'nothing changed')
  const english = await app.inject({ method: 'DELETE', url: '/v1/statistics/products', headers: { 'accept-language': 'en' } })
  t.equal(english.statusCode, 405)
  t.equal(english.headers.allow, 'GET, HEAD')
  t.equal(english.json().detail, '/v1/statistics/products does not take DELETE; it takes GET, HEAD')
  t.equal((await app.inject({ method: 'PUT', url: '/v1/nothing-here' })).statusCode, 404, 'a path no route takes is still 404')
  t.equal((await app.inject({ method: 'GET', url: `/v1/products/${product.id}` })).statusCode, 200)
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

t.test('one plain message per field: no restated anyOf branch, and bad ids and dates name their field', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = bearer((await makeKey(db, 'admin')).token)
  // A nullable field given a value too short: Ajv reports three errors for it (the string branch, the null
  // branch and the anyOf), the caller gets one.
  const res = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { name: 'HTX Gốm Bát Tràng', type: 'cooperative', address: 'Bát Tràng', adminUnitCode: '018', registeredOn: '2019-01-01', taxCode: '123' } })
  t.equal(res.statusCode, 400)
  t.same(res.json().errors, [{ in: 'body', pointer: '/taxCode', detail: 'phải có ít nhất 10 ký tự' }])
  t.equal(res.json().detail, 'body/taxCode phải có ít nhất 10 ký tự')
  const query = await app.inject({ method: 'GET', url: '/v1/products?producer=42&updatedSince=yesterday&limit=0', headers: { ...admin, 'accept-language': 'en' } })
  t.same(query.json().errors, [
    { in: 'query', pointer: '/producer', detail: 'must be an id (a UUID, like 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c)' },
    { in: 'query', pointer: '/updatedSince', detail: 'must be a date and time with its offset, like 2026-11-23T09:00:00+07:00' },
    { in: 'query', pointer: '/limit', detail: 'must be at least 1' }
  ])
  const path = await app.inject({ method: 'GET', url: '/v1/products/42', headers: { ...admin, 'accept-language': 'en' } })
  t.same(path.json().errors, [{ in: 'path', pointer: '/id', detail: 'must be an id (a UUID, like 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c)' }])
  // Year 0000 is a date in RFC 3339 but not in PostgreSQL: it reached SQL and came back naming no field.
  const yearZero: [string, string][] = [['/v1/statistics/products?on=0000-01-01', 'on'], ['/v1/products?updatedSince=0000-12-31T23:00:00Z', 'updatedSince'], ['/v1/admin-units?validOn=0000-06-01', 'validOn']]
  for (const [url, field] of yearZero) {
    const res = await app.inject({ method: 'GET', url, headers: { ...admin, 'accept-language': 'en' } })
    t.equal(res.statusCode, 400, url)
    t.same(res.json().errors?.map((e: { pointer: string }) => e.pointer), [`/${field}`], url)
  }
  const body = await app.inject({ method: 'POST', url: '/v1/producers', headers: admin, payload: { name: 'HTX Gốm Bát Tràng', type: 'cooperative', address: 'Bát Tràng', adminUnitCode: '018', registeredOn: '0000-02-29' } })
  t.same(body.json().errors, [{ in: 'body', pointer: '/registeredOn', detail: 'phải là một ngày dạng YYYY-MM-DD' }])
  t.equal((await app.inject({ method: 'GET', url: '/v1/statistics/products?on=0001-01-01', headers: admin })).statusCode, 200, 'year 1 is a date')
})

t.test('a query parameter sent twice says so, and a value of the wrong format shows the field\'s example', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = bearer((await makeKey(db, 'admin')).token)
  // `?star=3&star=4` reaches the schema as a list; "must be a whole number" sent the caller looking at the digits.
  const twice = await app.inject({ method: 'GET', url: '/v1/products?star=3&star=4&limit=5', headers: { ...admin, 'accept-language': 'en' } })
  t.equal(twice.statusCode, 400)
  t.same(twice.json().errors, [{ in: 'query', pointer: '/star', detail: 'takes one value but was given more than once' }])
  const vi = await app.inject({ method: 'GET', url: '/v1/products?star=3&star=4', headers: admin })
  t.equal(vi.json().detail, 'query/star chỉ nhận một giá trị nhưng được gửi nhiều lần')
  t.equal((await app.inject({ method: 'GET', url: '/v1/products?star=4', headers: admin })).statusCode, 200, 'once is fine')
  t.same((await app.inject({ method: 'GET', url: '/v1/products?star=x', headers: { ...admin, 'accept-language': 'en' } })).json().errors,
    [{ in: 'query', pointer: '/star', detail: 'must be a whole number' }], 'a single bad value keeps its own message')
  // A body field given a list is not "sent twice": only the query string repeats names.
  const list = await app.inject({ method: 'POST', url: '/v1/producers', headers: { ...admin, 'accept-language': 'en' }, payload: { name: ['a', 'b'], type: 'cooperative', address: 'Bát Tràng', adminUnitCode: '018', registeredOn: '2019-01-01' } })
  t.same(list.json().errors, [{ in: 'body', pointer: '/name', detail: 'must be text' }])

  // A pattern's regular expression means nothing to an operator: the field's example shows the format.
  const before = await db.query('SELECT count(*)::int AS n FROM venues')
  const venue = await app.inject({ method: 'POST', url: '/v1/venues', headers: admin, payload: { name: 'Điểm bán', type: 'point_of_sale', address: 'Bát Tràng', adminUnitCode: '18', openingHours: { mon: [{ opens: '8h', closes: '17:30' }] } } })
  t.equal(venue.statusCode, 400)
  const named = (pointer: string) => venue.json().errors.find((e: { pointer: string }) => e.pointer === pointer)
  t.same(named('/adminUnitCode'), { in: 'body', pointer: '/adminUnitCode', detail: 'sai định dạng, ví dụ đúng: 018' })
  t.same(named('/openingHours/mon/0/opens'), { in: 'body', pointer: '/openingHours/mon/0/opens', detail: 'sai định dạng, ví dụ đúng: 08:00' })
  t.same(await db.query('SELECT count(*)::int AS n FROM venues'), before, 'nothing saved')
  const token = await app.inject({ method: 'GET', url: '/v1/labels/HN1-abc', headers: { accept: 'application/json', 'accept-language': 'en' } })
  t.same(token.json().errors, [{ in: 'path', pointer: '/token', detail: 'has the wrong format; for example: HN000000001-7QK2M9XW4P' }])
})

t.test('a number given as Infinity or 1e309 is a 400 naming it, not a value past its maximum that reaches SQL', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { makeProduct } = await import('../helpers/factories.ts')
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = bearer((await makeKey(db, 'admin')).token)
  // Ajv coerces these strings to Infinity and then skips minimum and maximum for them.
  const infinite: [string, string][] = [['limit=Infinity', 'limit'], ['limit=1e309', 'limit'], ['star=-Infinity', 'star']]
  for (const [query, name] of infinite) {
    const res = await app.inject({ method: 'GET', url: `/v1/products?${query}`, headers: { ...admin, 'accept-language': 'en' } })
    t.equal(res.statusCode, 400, query)
    t.same(res.json().errors, [{ in: 'query', pointer: `/${name}`, detail: 'must be a finite number' }], query)
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/products?q=Infinity', headers: admin })).statusCode, 200, 'a text parameter may say Infinity')
  const product = await makeProduct(db, { status: 'active' })
  const before = await db.query('SELECT price_vnd, updated_at FROM products WHERE id = $1', [product.id])
  const res = await app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: admin, payload: { priceVnd: 'Infinity' } })
  t.equal(res.statusCode, 400)
  t.same(res.json().errors, [{ in: 'body', pointer: '/priceVnd', detail: 'phải là một số hữu hạn' }])
  t.same(await db.query('SELECT price_vnd, updated_at FROM products WHERE id = $1', [product.id]), before, 'nothing changed')
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

t.test('a control character in a query string or a body field is a 400 naming it, and saves nothing', async (t) => {
  const { app, db } = await buildTestApp(t)
  const query = await app.inject({ method: 'GET', url: '/v1/products?q=b%C3%A1t%00tr%C3%A0ng', headers: { 'accept-language': 'en' } })

  t.equal(query.statusCode, 400)
  t.match(query.headers['content-type'], /^application\/problem\+json/)
  t.same(query.json().errors, [{ in: 'query', pointer: '/q', detail: 'must not contain control characters (U+0000 to U+001F other than tab and line breaks, or U+007F)' }])
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = bearer((await makeKey(db, 'admin')).token)
  const body = await app.inject({ method: 'POST', url: '/v1/craft-villages', headers: admin, payload: { name: 'Làng gốm\u0007 Bát Tràng', adminUnitCode: '018', trade: 'G\u0000m' } })
  t.equal(body.statusCode, 400)
  t.same(body.json().errors.map((e: { in: string, pointer: string }) => `${e.in}${e.pointer}`), ['body/name', 'body/trade'])
  t.equal((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM craft_villages WHERE name LIKE 'Làng gốm%'"))[0]!.n, 0, 'nothing saved')
  const refused: TextIssue[] = []
  normalizeStrings({ a: [{ 'b/c~': 'x\u001b' }, 'fine\n', 'Nón lá 🎋'], d: '\u007f', e: ['\ud800', 'a\udc00b', '🎋'.slice(0, 1) + 'x'] }, refused)
  t.same(refused, [
    { pointer: '/a/0/b~1c~0', kind: 'control' }, { pointer: '/d', kind: 'control' },
    { pointer: '/e/0', kind: 'unpaired-surrogate' }, { pointer: '/e/1', kind: 'unpaired-surrogate' }, { pointer: '/e/2', kind: 'unpaired-surrogate' }
  ], 'nested fields named by JSON pointer; a whole pair (an emoji) is text')
  const lines = await app.inject({ method: 'GET', url: '/v1/products?q=b%C3%A1t%09tr%C3%A0ng' })
  t.equal(lines.statusCode, 200, 'a tab is not a control character to refuse')
})

t.test('half of a UTF-16 surrogate pair in a body field is a 400 naming it, not a stored U+FFFD', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = { ...bearer((await makeKey(db, 'admin')).token), 'content-type': 'application/json', 'accept-language': 'en' }
  // JSON escapes can carry a lone surrogate, which UTF-8 cannot: until 2026-12-02 it was saved as "\ufffd".
  const res = await app.inject({ method: 'POST', url: '/v1/craft-villages', headers: admin, payload: '{"name":"L\\ud800ng","adminUnitCode":"018","trade":"G\\udc00m"}' })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.same(res.json().errors, [
    { in: 'body', pointer: '/name', detail: 'is not valid Unicode text: it holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF) alone' },
    { in: 'body', pointer: '/trade', detail: 'is not valid Unicode text: it holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF) alone' }
  ])
  t.equal((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM craft_villages WHERE trade LIKE 'G%m'"))[0]!.n, 0, 'nothing saved')
  const pair = await app.inject({ method: 'POST', url: '/v1/craft-villages', headers: admin, payload: '{"name":"L\\ud83c\\udf8bng","adminUnitCode":"018","trade":"Gốm"}' })
  t.equal(pair.statusCode, 201, 'a whole pair (an emoji) is text')
  t.equal(pair.json().name, 'L🎋ng')
})

t.test('a query parameter that is not percent-encoded UTF-8 is a 400 naming it, not a literal search', async (t) => {
  const { app } = await buildTestApp(t)
  const ask = (query: string) => app.inject({ method: 'GET', url: `/v1/products?${query}`, headers: { 'accept-language': 'en' } })
  // "Bát" in Windows-1258 (the byte E1), a stray %, and an unfinished escape: until 2026-12-02 each was
  // kept as it came, so q=B%E1t searched for the letters "B%E1t" and answered an empty page.
  for (const [query, names] of [['q=B%E1t', ['/q']], ['q=100%&limit=5', ['/q']], ['limit=5&q=b%C3', ['/q']], ['q%E1=x', ['/q%E1']], ['q=%E1&adminUnit=%FF', ['/q', '/adminUnit']]] as const) {
    const res = await ask(query)
    t.equal(res.statusCode, 400, query)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.same(res.json().errors.filter((e: { detail: string }) => e.detail.startsWith('is not valid percent-encoded UTF-8')).map((e: { pointer: string }) => e.pointer), names, `${query} names ${names.join(', ')}`)
  }
  t.equal((await ask('q=B%C3%A1t%20Tr%C3%A0ng&limit=5')).statusCode, 200, 'UTF-8 percent-encoded')
  t.equal((await ask('q=100%25')).statusCode, 200, 'a literal % as %25')
  t.equal((await ask('q=b%E1%BA%A1n')).statusCode, 200, 'a three-byte character (ạ)')
})

t.test('a JSON body that is not UTF-8 is refused, not saved with U+FFFD in place of each letter', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { bearer, makeKey } = await import('../helpers/keys.ts')
  const admin = { ...bearer((await makeKey(db, 'admin')).token), 'accept-language': 'en' }
  // "Bát Tràng" and "Gốm" as Windows-1258 writes them (á = E1, à = E0, ô = F4): until 2026-12-02 saved as "B\ufffdt Tr\ufffdng".
  const legacy = Buffer.from('{"name":"B\xe1t Tr\xe0ng","adminUnitCode":"018","trade":"G\xf4m"}', 'latin1')
  const villages = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM craft_villages WHERE trade LIKE 'G%m'"))[0]!.n
  const bytes = await app.inject({ method: 'POST', url: '/v1/craft-villages', headers: { ...admin, 'content-type': 'application/json' }, payload: legacy })
  t.equal(bytes.statusCode, 400)
  t.match(bytes.headers['content-type'], /^application\/problem\+json/)
  t.same(bytes.json().errors, [{ in: 'body', pointer: '', detail: 'is not UTF-8' }])
  const declared = await app.inject({ method: 'POST', url: '/v1/craft-villages', headers: { ...admin, 'content-type': 'application/json; charset=windows-1258' }, payload: legacy })
  t.equal(declared.statusCode, 415)
  t.match(declared.json(), { type: '/problems/unsupported-media-type', detail: 'JSON must be UTF-8, not windows-1258', errors: [{ in: 'header', pointer: '/content-type' }] })
  t.equal(await villages(), 0, 'nothing saved')
  const utf8 = Buffer.from('{"name":"Kim Lan","adminUnitCode":"018","trade":"Gốm"}')
  const bom = await app.inject({ method: 'POST', url: '/v1/craft-villages', headers: { ...admin, 'content-type': 'application/json; charset="UTF-8"' }, payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]) })
  t.equal(bom.statusCode, 201, 'UTF-8, declared, with a byte order mark')
  t.equal(bom.json().trade, 'Gốm')
})

t.test('router errors are problems: a path parameter over the length limit (414), a malformed path (400)', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: `/v1/products/${'9'.repeat(500)}` })
  t.equal(res.statusCode, 414)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.match(res.json(), { type: '/problems/uri-too-long', status: 414, instance: `/v1/products/${'9'.repeat(500)}` })
  t.ok(res.json().requestId)
  const malformed = await app.inject({ method: 'GET', url: '/v1/products/%E0%A4%A' })
  t.equal(malformed.statusCode, 400, 'a path that is not valid percent-encoding')
  t.match(malformed.headers['content-type'], /^application\/problem\+json/)
  t.match(malformed.json(), { type: '/problems/bad-request', status: 400 })
})

t.test('a request the HTTP parser refuses is answered as a problem too, and the connection closed', async (t) => {
  const { app } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as import('node:net').AddressInfo
  const { connect } = await import('node:net')
  const raw = (request: string) => new Promise<string>((resolve, reject) => {
    let answer = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    socket.setEncoding('utf8').on('data', (chunk) => { answer += chunk }).on('end', () => resolve(answer)).on('error', reject)
  })
  for (const request of ['POST /v1/imports HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 'GET /v1/products HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n']) {
    const answer = await raw(request)
    t.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/, JSON.stringify(request))
    t.match(answer, /\r\nContent-Type: application\/problem\+json; charset=utf-8\r\n/)
    t.match(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)), { type: '/problems/bad-request', status: 400, title: 'Yêu cầu không hợp lệ' })
  }
  // Node counts the request line and the headers against one 16 KB limit: an address over it is a 414
  // naming the address, headers over it a 431.
  const longAddress = await raw(`GET /v1/products?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
  t.match(longAddress, /^HTTP\/1\.1 414 URI Too Long\r\n/)
  t.match(JSON.parse(longAddress.slice(longAddress.indexOf('\r\n\r\n') + 4)), { type: '/problems/uri-too-long', status: 414, detail: 'Địa chỉ yêu cầu (đường dẫn và tham số) quá dài: địa chỉ và các header cộng lại tối đa 16 KB' })
  const bigHeader = await raw(`GET /v1/products HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`)
  t.match(bigHeader, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
  t.match(JSON.parse(bigHeader.slice(bigHeader.indexOf('\r\n\r\n') + 4)), { status: 431, detail: 'Các header của yêu cầu quá lớn' })
})
