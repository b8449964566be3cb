import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeRecognisedProducts, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { allListings, follow, project, projecting, replay } from './helpers.ts'
import { componentChecker } from '../../helpers/contract.ts'

t.test('export then feed: the snapshot and the changes after its cursor leave no gap', async (t) => {
  const { app, db } = await buildTestApp(t)
  const inject = projecting(app)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const ids = await makeRecognisedProducts(db, 12)
  // Writes before, during and after the export.
  await inject({ method: 'PATCH', url: `/v1/products/${ids[0]}`, headers: admin, payload: { nameVi: 'Trước khi xuất' } })
  const [exported] = await Promise.all([
    inject({ url: '/v1/listings/export', headers: partner }),
    inject({ method: 'PATCH', url: `/v1/products/${ids[1]}`, headers: admin, payload: { nameVi: 'Trong khi xuất' } }),
    inject({ method: 'POST', url: `/v1/products/${ids[2]}/archive`, headers: admin })
  ])
  await inject({ method: 'PATCH', url: `/v1/products/${ids[3]}`, headers: admin, payload: { nameVi: 'Sau khi xuất' } })

  t.equal(exported.statusCode, 200)
  t.equal(exported.headers['content-type'], 'application/x-ndjson; charset=utf-8')
  const lines = exported.body.trimEnd().split('\n').map((l) => JSON.parse(l))
  const end = lines.at(-1)
  t.match(end, { type: 'end', count: lines.length - 1 })
  t.ok(lines.slice(0, -1).every((l) => l.type === 'listing' && typeof l.listing.productId === 'string'))
  const listingLine = await componentChecker('ExportListingLine')
  const endLine = await componentChecker('ExportEndLine')
  t.same(lines.slice(0, -1).flatMap(listingLine), [], 'each listing line is the contract\'s ExportListingLine')
  t.same(endLine(end), [], 'the last line is its ExportEndLine')
  const snapshot = new Map(lines.slice(0, -1).map((l) => [l.listing.productId, l.listing]))
  const { changes } = await follow(app, partner, end.nextCursor)
  t.same(replay(changes, snapshot), await allListings(app, partner), 'snapshot + feed after its cursor = the listings now')
  t.ok(changes.some((c) => c.productId === ids[3]), 'the change after the export is in the feed')
})

t.test('a line is the listing exactly, whatever its name holds (quotes, backslashes, tabs, RTL overrides)', async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const name = 'Gốm "Bát Tràng" \\ C:\\lò\\ \t‮ngược‬ 🏺 \'x\''
  const product = await makeProduct(db, { status: 'active', nameVi: name })
  await makeRecognition(db, product.id)
  await project(app)
  const exported = await app.inject({ url: '/v1/listings/export', headers: partner })
  t.equal(exported.statusCode, 200)
  const [line, end] = exported.body.trimEnd().split('\n').map((l) => JSON.parse(l))
  t.equal(line.listing.nameVi, name)
  t.same(line.listing, (await app.inject({ url: `/v1/listings/${product.id}`, headers: partner })).json(), 'the line holds what GET /v1/listings/{id} answers')
  t.match(end, { type: 'end', count: 1 })
})

t.test('a reader that goes away mid-export gives its connection back, and the next export is whole (PostgreSQL)', { skip: !process.env.DATABASE_URL && 'COPY streaming is PostgreSQL only' }, async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const producer = await makeProduct(db, { status: 'active' })
  // Enough listings that the stream outlasts the first chunk.
  await db.query(`WITH made AS (INSERT INTO products (producer_id, name_vi) SELECT $1, 'Sản phẩm ' || n FROM generate_series(1, 3000) n RETURNING id, name_vi, producer_id)
    INSERT INTO listings (product_id, body, recognition_id, star, expires_on, producer_id, admin_unit_list, admin_unit_code, province_code, name)
    SELECT id, json_build_object('productId', id, 'nameVi', name_vi, 'padding', repeat('x', 2000)), gen_random_uuid(), 4, '2030-01-01', producer_id, 'QD19-2025', '00004', '01', name_vi FROM made`, [producer.producerId])
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const controller = new AbortController()
  const res = await fetch(`${address}/v1/listings/export`, { headers: partner, signal: controller.signal })
  const reader = res.body!.getReader()
  await reader.read()
  controller.abort()
  await reader.read().catch(() => {})
  const copying = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY (SELECT export_line%' AND pid <> pg_backend_pid()"))[0]!.n
  for (let i = 0; i < 50 && await copying() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(await copying(), 0, 'the COPY ended with its reader')
  t.equal(db.pool!.waitingCount, 0)
  const whole = await app.inject({ url: '/v1/listings/export', headers: partner })
  t.match(whole.body.trimEnd().split('\n').at(-1), /"count":3000,/)
})
