import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeRecognition, makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { startReceiver } from '../../helpers/receiver.ts'
import { waitFor } from '../../helpers/wait.ts'
import { webhookBodyChecker } from '../../helpers/contract.ts'
import { allListings, follow, project, projecting, replay, runReconcile } from './helpers.ts'

t.test("a product's whole life in the feed, the listings and its eligibility", async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock, env: { JOBS_ENABLED: 'true', JOB_POLLING_SECONDS: '0.5', LISTINGS_RECONCILE_CRON: '0 0 1 1 *', WEBHOOK_ALLOW_INSECURE_TARGETS: 'true' } })
  const inject = projecting(app)
  await app.ready()
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const receiver = await startReceiver(t)
  const hook = await inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.upserted', 'listing.removed', 'certificate.expiring'] } })
  t.equal(hook.statusCode, 201)
  const product = await makeProduct(db, { status: 'active', nameVi: 'Gốm men lam' })
  const eligibility = async (at: string) => (await inject({ url: `/v1/products/${product.id}/eligibility?at=${at}` })).json()
  const decide = async (decisionDate: string, certificateNumber: string) => {
    const evaluation = await makeEvaluation(db, { productId: product.id, sheet: FULL_MARKS })
    const res = await inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/decide`, headers: admin, payload: { decisionNumber: 'QĐ', decisionDate, certificateNumber } })
    t.equal(res.statusCode, 200, 'decided')
    return res.json().recognition.id as string
  }

  t.match(await eligibility('2026-11-23'), { eligible: false, reason: 'never-recognised' })
  // 1. Recognised (4 stars, city council, 2026-11-20): listed.
  await decide('2026-11-20', 'HN-LIFE-1')
  const listed = await inject({ url: `/v1/listings/${product.id}`, headers: partner })
  t.equal(listed.statusCode, 200)
  t.match(listed.json(), { productId: product.id, nameVi: 'Gốm men lam', star: 4, certificateNumber: 'HN-LIFE-1', issuedOn: '2026-11-20', expiresOn: '2029-11-20', venues: [] })
  t.match(await eligibility('2026-11-23'), { eligible: true, star: 4, certificateNumber: 'HN-LIFE-1', validUntil: '2029-11-20', reason: null })
  t.match(await eligibility('2026-11-19'), { eligible: false, reason: 'not-yet-recognised' })

  // 2. Updated: a new name, and a venue starts carrying it.
  await inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: admin, payload: { nameVi: 'Bình gốm men lam' } })
  await inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: admin, payload: { nameVi: 'Bình gốm men lam' } })
  const venue = await makeVenue(db, { name: 'Điểm bán Bát Tràng' })
  await inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [product.id] } })

  // 3. 45 days before the last valid day (EXPIRY_NOTICE_LEAD_DAYS) the job sends the notice, once; at
  // midnight in Hanoi after the last valid day (2029-11-20) it removes the listing, once.
  clock.set('2029-10-05T03:00:00Z')
  t.same(await runReconcile(app), { today: '2029-10-05', changes: 0, notices: 0 }, '46 days before, no notice yet')
  clock.set('2029-10-06T03:00:00Z')
  t.same(await runReconcile(app), { today: '2029-10-06', changes: 0, notices: 1 }, '45 days before: the notice')
  t.same(await runReconcile(app), { today: '2029-10-06', changes: 0, notices: 0 }, 'sent once')
  clock.set('2029-11-20T16:59:00Z')
  t.same(await runReconcile(app), { today: '2029-11-20', changes: 0, notices: 0 }, 'the evening of the last valid day, nothing expires')
  t.equal((await inject({ url: `/v1/listings/${product.id}`, headers: partner })).statusCode, 200, 'still listed on its last valid day')
  clock.set('2029-11-20T17:00:00Z')
  t.same(await runReconcile(app), { today: '2029-11-21', changes: 1, notices: 0 }, 'removed at midnight, the day after expiresOn')
  t.same(await runReconcile(app), { today: '2029-11-21', changes: 0, notices: 0 }, 'a second run changes nothing')
  t.equal((await inject({ url: `/v1/listings/${product.id}`, headers: partner })).statusCode, 404)
  t.match(await eligibility('2029-11-21'), { eligible: false, reason: 'expired', since: '2029-11-21', certificateNumber: 'HN-LIFE-1' })
  t.match(await eligibility('2029-11-20'), { eligible: true, validUntil: '2029-11-20' })

  // 4. Re-recognised; 5. revoked.
  clock.set('2029-12-02T03:00:00Z')
  const second = await decide('2029-12-01', 'HN-LIFE-2')
  t.match((await inject({ url: `/v1/listings/${product.id}`, headers: partner })).json(), { certificateNumber: 'HN-LIFE-2', venues: [{ id: venue.id, name: 'Điểm bán Bát Tràng' }] })
  const revoked = await inject({ method: 'POST', url: `/v1/recognitions/${second}/revoke`, headers: admin, payload: { decisionReference: 'QĐ-thu-hồi', revokedOn: '2029-12-02', reason: 'Vi phạm chất lượng' } })
  t.equal(revoked.statusCode, 200)
  t.match(await eligibility('2029-12-02'), { eligible: false, reason: 'revoked', since: '2029-12-02' })

  const { changes } = await follow(app, partner)
  const mine = changes.filter((c) => c.productId === product.id)
  t.same(mine.map((c) => `${c.kind} ${c.reason}`), ['upsert listed', 'upsert updated', 'upsert updated', 'remove expired', 'upsert listed', 'remove revoked'],
    'recognised, renamed (the identical second PATCH adds nothing), carried by a venue, expired, re-recognised, revoked')
  t.match(mine[1]!.listing, { nameVi: 'Bình gốm men lam', venues: [] })
  t.match(mine[2]!.listing, { venues: [{ id: venue.id }] })
  t.equal(mine[3]!.listing, null, 'a removal is a tombstone')
  t.ok(mine.every((c, i) => i === 0 || c.seq > mine[i - 1]!.seq), 'in feed order')
  t.same(replay(changes), await allListings(app, partner), 'the feed replayed equals the listings')

  // The webhook saw the same life: one delivery per feed entry (same event ids), plus the expiry notice.
  await waitFor(() => receiver.received.length === mine.length + 1, 20_000, 'every delivery')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const events = receiver.received.map((r) => r.json)
  t.equal(events.length, mine.length + 1, 'nothing delivered twice')
  const listingEvents = events.filter((e) => e.type !== 'certificate.expiring').sort((a, b) => Number(a.data.seq) - Number(b.data.seq))
  t.same(listingEvents.map((e) => `${e.type} ${e.data.reason}`), mine.map((c) => `listing.${c.kind === 'upsert' ? 'upserted' : 'removed'} ${c.reason}`))
  t.same(listingEvents.map((e) => e.id), mine.map((c) => c.eventId), 'event ids are the feed entries\' ids')
  t.match(events.filter((e) => e.type === 'certificate.expiring'), [{ data: { productId: product.id, expiresOn: '2029-11-20', listing: { certificateNumber: 'HN-LIFE-1' } } }])
  const check = await webhookBodyChecker()
  t.same(events.flatMap((e) => check(e).map((error) => `${e.type}: ${error}`)), [], 'every body is as the contract\'s webhooks section says')
})

t.test('the feed and listings need a partner, operator or admin key; a bad cursor is a 400', async (t) => {
  const { app, db } = await buildTestApp(t)
  const inject = projecting(app)
  t.equal((await inject({ url: '/v1/listings/changes' })).statusCode, 401)
  const council = bearer((await makeKey(db, 'council')).token)
  t.equal((await inject({ url: '/v1/listings', headers: council })).statusCode, 403)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const bad = await inject({ url: '/v1/listings/changes?after=bm9wZQ', headers: partner })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().errors[0].pointer, '/after')
  const empty = await inject({ url: '/v1/listings/changes', headers: partner })
  t.same(empty.json(), { items: [], nextCursor: 'WzBd' }, 'an empty feed gives a cursor to poll with')
  // A position is a whole number from 0: a fraction or a null used to reach SQL (a 400 naming nothing) or start over.
  for (const value of ['[1.5]', '[null]', '[-1]', '["7"]']) {
    const res = await inject({ url: `/v1/listings/changes?after=${Buffer.from(value).toString('base64url')}`, headers: partner })
    t.equal(res.statusCode, 400, value)
    t.same(res.json().errors, [{ in: 'query', pointer: '/after', detail: 'không phải là con trỏ do danh sách này cấp' }], value)
  }
  // A cursor past the latest position (kept from before a restore, or made by hand) once gave empty pages
  // for ever, hiding every change up to it: now a 400 saying where to start again.
  await makeRecognition(db, (await makeProduct(db, { status: 'active' })).id)
  await project(app)
  const page = await inject({ url: '/v1/listings/changes', headers: partner })
  t.equal(page.json().items.length, 1)
  const head = page.json().nextCursor as string
  t.same((await inject({ url: `/v1/listings/changes?after=${head}`, headers: partner })).json(), { items: [], nextCursor: head }, 'the head itself is a cursor to poll with')
  for (const url of [`/v1/listings/changes?after=${Buffer.from('[2]').toString('base64url')}`, `/v1/listings/changes?after=${Buffer.from('[2]').toString('base64url')}&wait=1`]) {
    const ahead = await inject({ url, headers: { ...partner, 'accept-language': 'en' } })
    t.equal(ahead.statusCode, 400, url)
    t.match(ahead.headers['content-type'], /^application\/problem\+json/)
    t.same(ahead.json().errors, [{ in: 'query', pointer: '/after', detail: "is past the feed's latest position (1)" }])
    t.match(ahead.json().detail, /sync again from GET \/v1\/listings\/export/)
  }
  t.equal((await inject({ url: '/v1/products/00000000-0000-4000-8000-000000000000/eligibility' })).statusCode, 404)
})

t.test('a revocation dated ahead removes the listing on its date, through the scheduled job', async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock, env: { JOBS_ENABLED: 'true', JOB_POLLING_SECONDS: '0.5', LISTINGS_RECONCILE_CRON: '0 0 1 1 *' } })
  const inject = projecting(app)
  await app.ready()
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partner = bearer((await makeKey(db, 'partner')).token)
  const product = await makeProduct(db, { status: 'active' })
  const recognition = await makeRecognition(db, product.id)
  const res = await inject({ method: 'POST', url: `/v1/recognitions/${recognition}/revoke`, headers: admin, payload: { decisionReference: 'QĐ-thu-hồi', revokedOn: '2026-12-01', reason: 'Vi phạm' } })
  t.equal(res.statusCode, 200)
  t.equal((await inject({ url: `/v1/listings/${product.id}`, headers: partner })).statusCode, 200, 'still listed before the revocation date')
  t.match((await inject({ url: `/v1/products/${product.id}` })).json().rating, { star: 4 }, 'and still rated')
  t.match((await inject({ url: `/v1/products/${product.id}/eligibility?at=2026-11-23` })).json(), { eligible: true, validUntil: '2026-11-30' })
  clock.set('2026-11-30T17:00:00Z')
  t.match(await runReconcile(app), { today: '2026-12-01', changes: 1 })
  t.equal((await inject({ url: `/v1/listings/${product.id}`, headers: partner })).statusCode, 404)
  t.equal((await inject({ url: `/v1/products/${product.id}` })).json().rating, null, 'the rating went with it')
  const { changes } = await follow(app, partner)
  t.same(changes.map((c) => `${c.kind} ${c.reason}`), ['upsert listed', 'remove revoked'])
})
