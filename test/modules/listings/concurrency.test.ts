import t from 'tap'
import { syncListings } from '../../../src/modules/listings/sync.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { onPostgres } from '../../helpers/db.ts'
import { makeProduct, makeProducer, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { waitFor } from '../../helpers/wait.ts'
import { allListings, follow, replay, type Change } from './helpers.ts'

t.test('the feed is complete under concurrent writers', async (t) => {
  // The follower polls as fast as it can: the partner rate limit is not under test here.
  const { app, db } = await buildTestApp(t, { env: { DB_POOL_MAX: '12', RATE_LIMIT_PARTNER: '1000000' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const producers = await Promise.all([1, 2, 3].map(() => makeProducer(db)))
  const products: { id: string, recognition: string }[] = []
  for (let i = 0; i < 24; i++) {
    const product = await makeProduct(db, { status: 'active', producerId: producers[i % 3]!.id })
    products.push({ id: product.id, recognition: await makeRecognition(db, product.id) })
  }

  // A partner follows the feed while the writers run.
  const state = { writing: true }
  const followed: Change[] = []
  const follower = (async () => {
    let cursor: string | undefined
    while (state.writing) {
      const step = await follow(app, partner, cursor)
      followed.push(...step.changes)
      cursor = step.cursor
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    followed.push(...(await follow(app, partner, cursor)).changes)
  })()

  let op = 0
  const statuses: number[] = []
  const worker = async (w: number) => {
    for (let i = 0; i < 15; i++) {
      const n = ++op
      const product = products[(w * 7 + i * 5) % products.length]!
      const request = n % 23 === 0
        ? { method: 'POST' as const, url: `/v1/recognitions/${product.recognition}/revoke`, payload: { decisionReference: `QĐ-${n}`, revokedOn: '2026-11-23', reason: 'test' } }
        : n % 17 === 0
          ? { method: 'POST' as const, url: `/v1/products/${product.id}/archive` }
          : n % 5 === 0
            ? { method: 'PATCH' as const, url: `/v1/producers/${producers[n % 3]!.id}`, payload: { name: `Hợp tác xã ${n}` } }
            : { method: 'PATCH' as const, url: `/v1/products/${product.id}`, payload: { nameVi: `Sản phẩm ${n}`, priceVnd: n * 1000 } }
      const res = await app.inject({ ...request, headers: admin })
      statuses.push(res.statusCode)
    }
  }
  await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))
  state.writing = false
  await follower

  t.ok(statuses.every((s) => s === 200 || s === 409), `writes answered 200 (or 409 for a second revocation/archive): ${[...new Set(statuses)].join(', ')}`)
  const { changes } = await follow(app, partner)
  t.ok(changes.length > 40, `${changes.length} changes`)
  t.ok(changes.every((c, i) => i === 0 || c.seq > changes[i - 1]!.seq), 'strictly increasing positions')
  const listed = await allListings(app, partner)
  t.same(replay(changes), listed, 'the whole feed replayed equals the listings')
  t.same(replay(followed), listed, 'so does the feed followed while writers were committing')
  t.same(followed.map((c) => c.seq), changes.map((c) => c.seq), 'the follower saw every change once, in order')
})

t.test('a change that commits later is never skipped by a reader (PostgreSQL)', { skip: !onPostgres && 'needs concurrent connections' }, async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const first = await makeProduct(db, { status: 'active' })
  const second = await makeProduct(db, { status: 'active' })
  await makeRecognition(db, first.id)
  await makeRecognition(db, second.id)
  const start = (await follow(app, partner)).cursor

  // T1 writes its feed entry and waits before committing; T2 starts after it and wants to write too.
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  let t1Wrote!: () => void
  const wrote = new Promise<void>((resolve) => { t1Wrote = resolve })
  const t1 = db.db.transaction(async (tx) => {
    await tx.execute(`UPDATE products SET name_vi = 'Đổi tên một' WHERE id = '${first.id}'` as never)
    await syncListings(tx, [first.id], '2026-11-23')
    t1Wrote()
    await gate
  })
  await wrote
  const t2 = db.db.transaction(async (tx) => {
    await tx.execute(`UPDATE products SET name_vi = 'Đổi tên hai' WHERE id = '${second.id}'` as never)
    await syncListings(tx, [second.id], '2026-11-23')
  })
  const waiting = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0]!.n
  await waitFor(async () => await waiting() > 0, 10_000, 'T2 to ask for the feed lock')
  t.equal(await waiting(), 1, 'T2 waits for the feed lock held by T1')
  t.same((await follow(app, partner, start)).changes, [], 'nothing is visible before T1 commits')
  release()
  await Promise.all([t1, t2])
  const after = (await follow(app, partner, start)).changes
  t.same(after.map((c) => c.productId), [first.id, second.id], 'T1 then T2: positions follow commit order')
})
