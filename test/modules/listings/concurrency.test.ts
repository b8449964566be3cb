import t from 'tap'
import { drainOutbox, startProjector, takeFeedLock } from '../../../src/modules/listings/projector.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { onPostgres } from '../../helpers/db.ts'
import { makeProduct, makeProducer, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { waitFor } from '../../helpers/wait.ts'
import { allListings, follow, replay, type Change } from './helpers.ts'

const TODAY = '2026-11-23'
const WRITERS = onPostgres ? 32 : 8

t.test(`the feed is complete, once and in order, under ${WRITERS} concurrent writers and two projectors`, async (t) => {
  // The follower polls as fast as it can: the partner rate limit is not under test here.
  const { app, db } = await buildTestApp(t, { env: { DB_POOL_MAX: '40', RATE_LIMIT_PARTNER: '1000000' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const producers = await Promise.all([1, 2, 3].map(() => makeProducer(db)))
  const products: { id: string, recognition: string }[] = []
  for (let i = 0; i < 48; i++) {
    const product = await makeProduct(db, { status: 'active', producerId: producers[i % 3]!.id })
    products.push({ id: product.id, recognition: await makeRecognition(db, product.id) })
  }
  await drainOutbox(db.db, TODAY, { wait: true })
  const start = (await follow(app, partner)).cursor

  // Two instances' projectors, each draining every 20 ms: the feed lock lets one project at a time.
  const projectors = [1, 2].map(() => startProjector(db.db, () => TODAY, 20, (err) => t.fail(String(err))))
  t.teardown(() => Promise.all(projectors.map((p) => p.stop())))

  // A partner follows the feed while the writers run.
  const state = { writing: true }
  const followed: Change[] = []
  const follower = (async () => {
    let cursor = start
    while (state.writing) {
      const step = await follow(app, partner, cursor, false)
      followed.push(...step.changes)
      cursor = step.cursor
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await waitFor(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listing_outbox'))[0]!.n === 0, 30_000, 'the outbox to drain')
    await Promise.all(projectors.map((p) => p.stop()))
    followed.push(...(await follow(app, partner, cursor, false)).changes)
  })()

  let op = 0
  const statuses: number[] = []
  const worker = async (w: number) => {
    for (let i = 0; i < 10; i++) {
      const n = ++op
      const product = products[(w * 7 + i * 5) % products.length]!
      const request = n % 23 === 0
        ? { method: 'POST' as const, url: `/v1/recognitions/${product.recognition}/revoke`, payload: { decisionReference: `QĐ-${n}`, revokedOn: TODAY, reason: 'test' } }
        : n % 17 === 0
          ? { method: 'POST' as const, url: `/v1/products/${product.id}/archive` }
          : n % 5 === 0
            ? { method: 'PATCH' as const, url: `/v1/producers/${producers[n % 3]!.id}`, payload: { name: `Hợp tác xã ${n}` } }
            : { method: 'PATCH' as const, url: `/v1/products/${product.id}`, payload: { nameVi: `Sản phẩm ${n}`, priceVnd: n * 1000 } }
      const res = await app.inject({ ...request, headers: admin })
      statuses.push(res.statusCode)
    }
  }
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => worker(w)))
  state.writing = false
  await follower

  t.ok(statuses.every((s) => s === 200 || s === 409), `writes answered 200 (or 409 for a second revocation/archive): ${[...new Set(statuses)].join(', ')}`)
  const { changes } = await follow(app, partner, start)
  t.ok(changes.length > WRITERS, `${changes.length} changes from ${statuses.length} writes`)
  t.ok(changes.every((c, i) => i === 0 || c.seq > changes[i - 1]!.seq), 'strictly increasing positions')
  t.same(followed.map((c) => c.seq), changes.map((c) => c.seq), 'the follower saw every change once, in order')
  const listed = await allListings(app, partner)
  const before = replay((await follow(app, partner)).changes.filter((c) => c.seq <= changes[0]!.seq - 1))
  t.same(replay(followed, before), listed, 'the feed followed while writers committed ends at the listings')
  // The listings are what the timeline says now: a full recompute finds nothing to change.
  const reconcile = await app.inject({ method: 'POST', url: '/v1/listings/reconcile', headers: admin })
  t.equal(reconcile.statusCode, 200)
  t.match(reconcile.json(), { checked: 48, changed: 0, firstSeq: null })
})

t.test('writers never wait for the feed; a change that commits later is never skipped (PostgreSQL)', { skip: !onPostgres && 'needs concurrent connections' }, async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const first = await makeProduct(db, { status: 'active' })
  const second = await makeProduct(db, { status: 'active' })
  await makeRecognition(db, first.id)
  await makeRecognition(db, second.id)
  await drainOutbox(db.db, TODAY, { wait: true })
  const start = (await follow(app, partner)).cursor

  // A projection holds the feed lock: a write does not wait for it.
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  let locked!: () => void
  const holding = new Promise<void>((resolve) => { locked = resolve })
  const projection = db.db.transaction(async (tx) => {
    await takeFeedLock(tx, true)
    locked()
    await gate
  })
  await holding
  const patched = await app.inject({ method: 'PATCH', url: `/v1/products/${first.id}`, headers: admin, payload: { nameVi: 'Đổi tên một' } })
  t.equal(patched.statusCode, 200, 'the write committed while the feed was locked')
  t.same(await drainOutbox(db.db, TODAY), [], 'another projector finds the feed taken and leaves')
  release()
  await projection

  // A write still open when the projector runs is projected once it commits, after the earlier one.
  let commit!: () => void
  const open = new Promise<void>((resolve) => { commit = resolve })
  let wrote!: () => void
  const written = new Promise<void>((resolve) => { wrote = resolve })
  const writer = db.db.transaction(async (tx) => {
    await tx.execute(`UPDATE products SET name_vi = 'Đổi tên hai' WHERE id = '${second.id}'` as never)
    wrote()
    await open
  })
  await written
  const projected = await drainOutbox(db.db, TODAY)
  t.same(projected.map((c) => c.productId), [first.id], 'the committed write is projected; the open one is not visible yet')
  commit()
  await writer
  t.same((await drainOutbox(db.db, TODAY)).map((c) => c.productId), [second.id], 'and is projected once it commits')
  const feed = (await follow(app, partner, start)).changes
  t.same(feed.map((c) => [c.productId, c.listing?.nameVi]), [[first.id, 'Đổi tên một'], [second.id, 'Đổi tên hai']], 'in commit order, each once')
})
