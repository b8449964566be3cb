import { parse } from 'csv-parse/sync'
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { insertRecognition, makeProduct, makeProducer, makeRecognition, makeVenue } from '../helpers/factories.ts'
import { bearer, makeKey } from '../helpers/keys.ts'
import { project } from '../helpers/projector.ts'

const BOM = '\uFEFF'
const csv = { accept: 'text/csv' }
/** The file as a spreadsheet program reads it: the BOM, then rows of cells. */
const rowsOf = (body: string) => {
  t.ok(body.startsWith(BOM), 'starts with a UTF-8 byte order mark')
  return parse(body.slice(1), { relax_column_count: false }) as string[][]
}

t.test('a list as CSV: every matching row past the page cap, the list\'s filters, cells a spreadsheet reads as text', async (t) => {
  const { app, db } = await buildTestApp(t)
  const producer = await makeProducer(db, { adminUnitCode: '018' })
  const other = await makeProducer(db, { adminUnitCode: '004' })
  const tricky = await makeProduct(db, { producerId: producer.id, nameVi: '=HYPERLINK("http://evil.example"), "Gốm" Bát Tràng\nmen lam', imageUrls: ['https://img.example/a.jpg', 'https://img.example/b.jpg'] })
  await db.query("UPDATE products SET status = 'active' WHERE id = $1", [tricky.id])
  await insertRecognition(db, tricky.id, { star: 4, issuedOn: '2025-03-10', expiresOn: '2028-03-09' })
  // 1,204 more active products of the same producer (over one internal page of 1,000), and one elsewhere.
  await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
    SELECT $1, 'Sản phẩm ' || g, '1.3', 'active' FROM generate_series(1, 1204) g`, [producer.id])
  await makeProduct(db, { producerId: other.id })
  await db.query("UPDATE products SET status = 'active' WHERE producer_id = $1", [other.id])

  const res = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}`, headers: csv })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="products.csv"')
  t.match(res.headers.vary, /Accept/)
  const [header, ...rows] = rowsOf(res.body)
  const doc = app.swagger() as unknown as { paths: Record<string, { get: { responses: { 200: { content: Record<string, { schema: { description: string } }> } } } }> }
  const documented = [...doc.paths['/v1/products']!.get.responses[200].content['text/csv']!.schema.description.matchAll(/`([^`]+)`/g)].map((m) => m[1])
  t.same(header, documented, 'the columns the contract documents, in order')
  t.equal(rows.length, 1205, 'every product of the producer, not a page of 20 or 100')
  t.equal(new Set(rows.map((r) => r[0])).size, 1205, 'each once')
  const col = (name: string) => header!.indexOf(name)
  const row = rows.find((r) => r[0] === tricky.id)!
  t.equal(row[col('nameVi')], '\'=HYPERLINK("http://evil.example"), "Gốm" Bát Tràng\nmen lam', 'a formula is escaped; commas, quotes, line breaks and diacritics survive')
  t.equal(row[col('imageUrls')], 'https://img.example/a.jpg; https://img.example/b.jpg')
  t.equal(row[col('rating.star')], '4', 'nested fields have columns of their own')
  t.equal(row[col('rating.certificateExpiresOn')], '2028-03-09')
  t.equal(row[col('description')], '', 'null is an empty cell')
  t.equal(rows.filter((r) => r[col('rating.star')] === '').length, 1204)

  const json = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}` })
  t.equal(json.json().items.length, 20, 'JSON stays paged')
  t.match(json.headers['content-type'], /^application\/json/)
  const preferJson = await app.inject({ method: 'GET', url: '/v1/products?limit=1', headers: { accept: 'application/json, text/csv;q=0.5' } })
  t.match(preferJson.headers['content-type'], /^application\/json/, 'q-values decide')
  const searched = rowsOf((await app.inject({ method: 'GET', url: '/v1/products?q=bat%20trang', headers: csv })).body)
  t.same(searched.slice(1).map((r) => r[0]), [tricky.id], 'the search filter applies to the file')
})

t.test('a refused request is problem+json, not CSV', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/products?updatedSince=yesterday', headers: csv })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const cursor = await app.inject({ method: 'GET', url: '/v1/products?cursor=bm9wZQ', headers: csv })
  t.equal(cursor.statusCode, 400, 'a forged cursor is refused before anything is sent')
  t.match(cursor.json(), { errors: [{ pointer: '/cursor' }] })
})

t.test('statistics as CSV: the totals row, then one row per group', async (t) => {
  const { app, db } = await buildTestApp(t)
  const producer = await makeProducer(db, { adminUnitCode: '018' })
  const a = await makeProduct(db, { producerId: producer.id })
  const b = await makeProduct(db, { producerId: producer.id })
  await db.query("UPDATE products SET status = 'active' WHERE producer_id = $1", [producer.id])
  await insertRecognition(db, a.id, { star: 4, issuedOn: '2025-03-10', expiresOn: '2028-03-09' })
  await insertRecognition(db, b.id, { star: 3, issuedOn: '2025-03-10', expiresOn: '2028-03-09' })
  const res = await app.inject({ method: 'GET', url: '/v1/statistics/products?on=2026-01-01&by=adminUnit', headers: csv })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-disposition'], 'attachment; filename="statistics-products.csv"')
  t.same(rowsOf(res.body), [
    ['on', 'key', 'name', 'products', 'fiveStar', 'potentialFiveStar', 'fourStar', 'threeStar'],
    ['2026-01-01', 'total', 'Tổng cộng', '2', '0', '0', '1', '1'],
    ['2026-01-01', '018', 'Gia Lâm', '2', '0', '0', '1', '1']
  ])
  const venues = rowsOf((await app.inject({ method: 'GET', url: '/v1/statistics/venues?on=2026-01-01', headers: csv })).body)
  t.same(venues[0], ['on', 'key', 'name', 'open', 'byType.point_of_sale', 'byType.showroom', 'byType.design_centre', 'byType.craft_village_venue', 'byType.other'])
  t.same(venues[1], ['2026-01-01', 'total', 'Tổng cộng', '0', '0', '0', '0', '0', '0'])
})

t.test('every operation that documents CSV answers it with the documented columns', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const product = await makeProduct(db)
  const fair = (await app.inject({ method: 'POST', url: '/v1/fairs', headers: admin, payload: { name: 'Hội chợ OCOP Hà Nội 2020', kind: 'ocop_fair', organiser: 'Sở Công Thương Hà Nội', startsOn: '2020-12-25', endsOn: '2020-12-27', address: 'Cung Văn hóa Hữu nghị', adminUnitCode: '002' } })).json()
  const webhook = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: admin, payload: { url: 'https://93.184.216.34/hooks', eventTypes: ['listing.removed'] } })).json()
  const venue = await makeVenue(db)
  const ids: Record<string, string> = { '/v1/targets/{id}': '0c0b7a60-2020-4000-8000-000000000001', '/v1/venues/{id}': venue.id, '/v1/products/{id}': product.id, '/v1/fairs/{id}': fair.id, '/v1/webhooks/{id}': webhook.id, '/v1/producers/{id}': product.producerId }
  await app.ready()
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { operationId: string, responses: Record<string, { content?: Record<string, { schema: { description: string } }> }> }>> }
  let checked = 0
  for (const [path, operations] of Object.entries(doc.paths)) {
    const documented = operations.get?.responses['200']?.content?.['text/csv']
    // The label printer's file has a format of its own (test/modules/labels).
    if (!documented?.schema.description?.includes('Columns:')) continue
    const url = path.replace(/\{id\}/, () => ids[path.slice(0, path.indexOf('{id}') + 4)] ?? 'missing')
    const res = await app.inject({ method: 'GET', url, headers: { ...admin, ...csv } })
    if (!t.equal(res.statusCode, 200, `${operations.get!.operationId}: GET ${url}`, { body: res.body.slice(0, 300) })) continue
    t.same(rowsOf(res.body)[0], [...documented.schema.description.matchAll(/`([^`]+)`/g)].map((m) => m[1]), `${operations.get!.operationId} has its documented columns`)
    checked++
  }
  t.ok(checked >= 25, `${checked} operations answer CSV`)
})

t.test('the answer varies on Accept and Accept-Language, and keeps CORS\'s Origin', async (t) => {
  const { app } = await buildTestApp(t, { env: { CORS_ORIGINS: 'https://ocop.hanoi.gov.vn' } })
  const origin = { origin: 'https://ocop.hanoi.gov.vn' }
  const list = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: { ...origin, ...csv } })
  t.same(list.headers.vary?.toString().split(', ').sort(), ['Accept', 'Authorization', 'Origin'])
  const json = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: origin })
  t.same(json.headers.vary?.toString().split(', ').sort(), ['Accept', 'Authorization', 'Origin'])
  const problem = await app.inject({ method: 'GET', url: '/v1/products?limit=0', headers: origin })
  t.same(problem.headers.vary?.toString().split(', ').sort(), ['Accept-Language', 'Origin'])
})

t.test('the change feed as CSV: every change after the cursor, up to the latest', async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner')).token)
  for (let i = 0; i < 3; i++) await makeRecognition(db)
  await project(app)
  const all = rowsOf((await app.inject({ method: 'GET', url: '/v1/listings/changes?limit=1', headers: { ...partner, ...csv } })).body)
  t.equal(all.length, 4, 'a header and the three changes, whatever the limit')
  t.same(all[0]!.slice(0, 5), ['seq', 'eventId', 'productId', 'kind', 'reason'])
  const { nextCursor } = (await app.inject({ method: 'GET', url: '/v1/listings/changes?limit=1', headers: partner })).json()
  const rest = rowsOf((await app.inject({ method: 'GET', url: `/v1/listings/changes?after=${nextCursor}`, headers: { ...partner, ...csv } })).body)
  t.same(rest.slice(1).map((r) => r[0]), all.slice(2).map((r) => r[0]), 'from the cursor on')
})
