import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { allListings, follow, projecting, replay } from './helpers.ts'
import { componentChecker } from '../../helpers/contract.ts'

t.test('export then feed: the snapshot and the changes after its cursor leave no gap', async (t) => {
  const { app, db } = await buildTestApp(t)
  const inject = projecting(app)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const ids: string[] = []
  for (let i = 0; i < 12; i++) {
    const product = await makeProduct(db, { status: 'active' })
    await makeRecognition(db, product.id)
    ids.push(product.id)
  }
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
