import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { onPostgres } from '../../helpers/db.ts'
import { makeProduct, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { follow, project } from './helpers.ts'

t.test('POST /v1/listings/reconcile: an operator makes the listings catch up', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const listed = await makeProduct(db, { status: 'active' })
  await makeRecognition(db, listed.id)
  const other = await makeProduct(db, { status: 'active' })
  await makeRecognition(db, other.id)
  await project(app)
  const start = (await follow(app, partner)).cursor

  // A restore lost one listing and left another stale, and nothing queued them for the projector.
  await db.query('DELETE FROM listings WHERE product_id = $1', [listed.id])
  await db.query("UPDATE listings SET body = jsonb_set(body, '{nameVi}', '\"cũ\"') WHERE product_id = $1", [other.id])
  t.equal((await app.inject({ method: 'POST', url: '/v1/listings/reconcile', headers: partner })).statusCode, 403, 'admins only')
  const run = await app.inject({ method: 'POST', url: '/v1/listings/reconcile', headers: admin })
  t.equal(run.statusCode, 200)
  const result = run.json()
  t.match(result, { checked: 2, changed: 2, byReason: { listed: 1, updated: 1 } })
  const feed = (await follow(app, partner, start)).changes
  t.same(feed.map((c) => [c.seq, c.productId, c.reason]).sort(), [[result.firstSeq, listed.id, 'listed'], [result.lastSeq, other.id, 'updated']].sort(), 'its changes are in the feed, between firstSeq and lastSeq')
  t.equal((await app.inject({ url: `/v1/listings/${other.id}`, headers: partner })).json().nameVi, other.nameVi)

  const again = await app.inject({ method: 'POST', url: '/v1/listings/reconcile', headers: admin })
  t.match(again.json(), { checked: 2, changed: 0, byReason: {}, firstSeq: null, lastSeq: null }, 'idempotent')
  const audit = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'listings' AND action = 'reconcile'")
  t.equal(audit[0]!.n, 2, 'each run is in the audit log')
})

t.test('one reconcile at a time across instances (PostgreSQL)', { skip: !onPostgres && 'needs concurrent connections' }, async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  // Another instance's run holds the reconcile lock.
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  let held!: () => void
  const holding = new Promise<void>((resolve) => { held = resolve })
  const running = db.db.transaction(async (tx) => {
    await tx.execute(`SELECT pg_advisory_xact_lock(${0x0c0b_1158})` as never)
    held()
    await gate
  })
  await holding
  const busy = await app.inject({ method: 'POST', url: '/v1/listings/reconcile', headers: admin })
  t.equal(busy.statusCode, 409)
  t.match(busy.json(), { type: '/problems/reconcile-in-progress' })
  t.equal(busy.headers['retry-after'], '30')
  release()
  await running
  t.equal((await app.inject({ method: 'POST', url: '/v1/listings/reconcile', headers: admin })).statusCode, 200, 'and runs once the other is done')
})
