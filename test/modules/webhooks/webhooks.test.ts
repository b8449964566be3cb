import { randomBytes } from 'node:crypto'
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { startReceiver, verificationError, verifyLegacySignature } from '../../helpers/receiver.ts'
import { waitFor } from '../../helpers/wait.ts'
import { webhookBodyChecker } from '../../helpers/contract.ts'

const JOBS = { JOBS_ENABLED: 'true', JOB_POLLING_SECONDS: '0.5', LISTINGS_RECONCILE_CRON: '0 0 1 1 *', WEBHOOK_ALLOW_INSECURE_TARGETS: 'true', WEBHOOK_RETRY_DELAY_SECONDS: '1' }

t.test('registration: https on public addresses only, secret shown once, each partner sees its own', async (t) => {
  const { app, db } = await buildTestApp(t)
  const partner = bearer((await makeKey(db, 'partner', { name: 'Sàn A' })).token)
  const other = bearer((await makeKey(db, 'partner', { name: 'Sàn B' })).token)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_endpoints'))[0]!.n
  const refused: [string, string][] = [
    ['http://93.184.216.34/hooks', 'must be an https URL'],
    ['https://127.0.0.1/hooks', 'resolves to 127.0.0.1 (loopback); only public addresses receive webhooks'],
    ['https://10.1.2.3/hooks', 'resolves to 10.1.2.3 (private); only public addresses receive webhooks'],
    ['https://192.168.1.10/hooks', 'resolves to 192.168.1.10 (private); only public addresses receive webhooks'],
    ['https://169.254.169.254/latest', 'resolves to 169.254.169.254 (linkLocal); only public addresses receive webhooks'],
    ['https://[::1]/hooks', 'resolves to ::1 (loopback); only public addresses receive webhooks'],
    ['https://[::ffff:10.0.0.1]/hooks', 'resolves to ::ffff:a00:1, which carries 10.0.0.1 (private); only public addresses receive webhooks'],
    // IPv4 inside IPv6: IPv4-compatible, 6to4, NAT64 (well-known and local-use), Teredo (client inverted).
    ['https://[::127.0.0.1]:8443/h', 'resolves to ::7f00:1, which carries 127.0.0.1 (loopback)'],
    ['https://[2002:7f00:1::1]/h', 'carries 127.0.0.1 (loopback)'],
    ['https://[64:ff9b::a9fe:a9fe]/h', 'carries 169.254.169.254 (linkLocal)'],
    ['https://[64:ff9b:1::808:808]/h', '(local-use NAT64)'],
    ['https://[2001:0:808:808::80ff:fffe]/h', 'carries 127.0.0.1 (loopback)'],
    ['https://[2001:0:a00:1::1]/h', 'carries 10.0.0.1 (private)'],
    // Decimal, octal and hexadecimal spellings of 127.0.0.1; CGNAT, multicast, unspecified, unique local.
    ['https://2130706433/h', 'resolves to 127.0.0.1 (loopback)'],
    ['https://0177.0.0.1/h', 'resolves to 127.0.0.1 (loopback)'],
    ['https://0x7f.1/h', 'resolves to 127.0.0.1 (loopback)'],
    ['https://100.64.1.1/h', '(carrierGradeNat)'],
    ['https://224.0.0.1/h', '(multicast)'],
    ['https://0.0.0.0/h', '(unspecified)'],
    ['https://[fc00::1]/h', '(uniqueLocal)'],
    ['https://localhost/hooks', 'resolves to'],
    ['https://user:pass@93.184.216.34/', 'must not carry credentials']
  ]
  for (const [url, detail] of refused) {
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...partner, 'accept-language': 'en' }, payload: { url, eventTypes: ['listing.removed'] } })
    t.equal(res.statusCode, 422, url)
    t.match(res.json().errors, [{ pointer: '/url', detail }], url)
  }
  t.equal(await count(), 0, 'nothing saved')
  t.equal((await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: 'https://93.184.216.34/', eventTypes: ['listing.deleted'] } })).statusCode, 400)

  const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: 'https://93.184.216.34/hooks', eventTypes: ['listing.upserted', 'listing.removed'] } })
  t.equal(created.statusCode, 201)
  const body = created.json()
  t.match(body, { url: 'https://93.184.216.34/hooks', status: 'enabled', secret: /^whsec_[A-Za-z0-9+/]{43}=$/ })
  const read = await app.inject({ url: `/v1/webhooks/${body.id}`, headers: partner })
  t.notOk('secret' in read.json(), 'the secret is not shown again')
  t.equal((await app.inject({ url: `/v1/webhooks/${body.id}`, headers: other })).statusCode, 404, "another partner's endpoint does not exist for it")
  t.equal((await app.inject({ url: `/v1/webhooks/${body.id}`, headers: admin })).statusCode, 200)
  t.same((await app.inject({ url: '/v1/webhooks', headers: other })).json().items, [])
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/webhooks/${body.id}`, headers: other, payload: { description: 'x' } })).statusCode, 404)
  const patched = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${body.id}`, headers: partner, payload: { url: 'https://10.0.0.1/' } })
  t.equal(patched.statusCode, 422)
  const rotated = await app.inject({ method: 'POST', url: `/v1/webhooks/${body.id}/rotate-secret`, headers: partner })
  t.not(rotated.json().secret, body.secret)
  const [row] = await db.query<{ previous_secret: string }>('SELECT previous_secret FROM webhook_endpoints WHERE id = $1', [body.id])
  t.equal(row?.previous_secret, body.secret, 'the previous secret keeps signing for a day')
})

t.test('signed deliveries, retried until the receiver accepts, with their log; redelivery', async (t) => {
  const { app, db } = await buildTestApp(t, { env: JOBS })
  await app.ready()
  const partner = bearer((await makeKey(db, 'partner')).token)
  const receiver = await startReceiver(t, (n) => n <= 2 ? 500 : 200)
  const created = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.upserted'] } })).json()
  const product = await makeProduct(db, { status: 'active' })
  await makeRecognition(db, product.id)

  const deliveries = async () => (await app.inject({ url: `/v1/webhooks/${created.id}/deliveries`, headers: partner })).json().items
  await waitFor(async () => (await deliveries())[0]?.status === 'succeeded', 30_000, 'the delivery to succeed')
  const [delivery] = await deliveries()
  t.same(delivery.attempts.map((a: { statusCode: number }) => a.statusCode), [500, 500, 200], 'two failures, then accepted')
  t.ok(delivery.attempts.every((a: { durationMs: number }) => a.durationMs >= 0))
  t.ok(Date.parse(delivery.attempts[2].at) - Date.parse(delivery.attempts[1].at) >= 1000, 'retried after a delay')
  t.equal(receiver.received.length, 3)
  const last = receiver.received[2]!
  t.equal(last.headers['webhook-id'], delivery.eventId)
  t.notOk(last.headers['ocop-webhook-signature'], 'an endpoint registered now gets the Standard Webhooks headers only')
  t.match(last.json, { id: delivery.eventId, type: 'listing.upserted', data: { productId: product.id, reason: 'listed', listing: { productId: product.id, star: 4 } } })
  t.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a Standard Webhooks secret')
  t.match(last.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/)
  t.equal(verificationError(created.secret, last.headers, last.body), null, 'the standardwebhooks package verifies it')
  t.match(verificationError(created.secret, last.headers, last.body.replace('listed', 'lister')), /No matching signature found/, 'a changed body does not verify')
  const old = String(Math.floor(Date.now() / 1000) - 600)
  t.match(verificationError(created.secret, { ...last.headers, 'webhook-timestamp': old }, last.body), /Message timestamp too old/, 'nor a replay with an old timestamp')
  t.ok(Math.abs(Number(last.headers['webhook-timestamp']) - Date.now() / 1000) < 60)
  t.ok(receiver.received.every((r) => verificationError(created.secret, r.headers, r.body) === null), 'every delivery verifies')
  const [feed] = (await app.inject({ url: '/v1/listings/changes', headers: partner })).json().items
  t.equal(feed.eventId, delivery.eventId, 'the event id is the feed entry\'s')

  const again = await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/deliveries/${delivery.id}/redeliver`, headers: partner })
  t.equal(again.statusCode, 202)
  await waitFor(() => receiver.received.length === 4, 20_000, 'the redelivery')
  t.equal(receiver.received[3]!.headers['webhook-id'], delivery.eventId, 'the same event id again')

  const rotated = (await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/rotate-secret`, headers: partner })).json()
  await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/deliveries/${delivery.id}/redeliver`, headers: partner })
  await waitFor(() => receiver.received.length === 5, 20_000, 'a delivery after rotation')
  const signed = receiver.received[4]!
  t.equal(String(signed.headers['webhook-signature']).split(' ').length, 2, 'two signatures during the grace day')
  t.equal(verificationError(rotated.secret, signed.headers, signed.body), null, 'the new secret verifies')
  t.equal(verificationError(created.secret, signed.headers, signed.body), null, 'so does the previous one')
})

t.test('an endpoint that keeps failing is disabled, and its owner re-enables it', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { ...JOBS, WEBHOOK_DISABLE_AFTER_HOURS: '0.0005' } })
  await app.ready()
  const partner = bearer((await makeKey(db, 'partner')).token)
  const receiver = await startReceiver(t, () => 503)
  const created = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.upserted'] } })).json()
  await makeRecognition(db)
  const read = async () => (await app.inject({ url: `/v1/webhooks/${created.id}`, headers: partner })).json()
  await waitFor(async () => (await read()).status === 'disabled', 30_000, 'the endpoint to be disabled')
  const disabled = await read()
  t.match(disabled.disabledReason, /every delivery failed for 0.0005 hours \(last: answered 503\)/)
  t.ok(receiver.received.length >= 2, `${receiver.received.length} attempts before`)
  const [delivery] = (await app.inject({ url: `/v1/webhooks/${created.id}/deliveries`, headers: partner })).json().items
  t.equal(delivery.status, 'failed')
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/deliveries/${delivery.id}/redeliver`, headers: partner })).statusCode, 409, 'no redelivery to a disabled endpoint')
  const enabled = await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/enable`, headers: partner })
  t.equal(enabled.statusCode, 200)
  t.match(enabled.json(), { status: 'enabled', disabledReason: null, failingSince: null })
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/enable`, headers: partner })).statusCode, 409)
})

t.test('with WEBHOOK_SECRET_KEY the secrets are encrypted at rest, and deliveries still sign with them', async (t) => {
  const key = Buffer.alloc(32, 7).toString('base64')
  const { app, db } = await buildTestApp(t, { env: { ...JOBS, WEBHOOK_SECRET_KEY: key } })
  await app.ready()
  const partner = bearer((await makeKey(db, 'partner')).token)
  const receiver = await startReceiver(t)
  const created = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.upserted'] } })).json()
  const [row] = await db.query<{ secret: string }>('SELECT secret FROM webhook_endpoints WHERE id = $1', [created.id])
  t.match(row?.secret, /^enc:v1:/)
  t.notOk(row?.secret.includes(created.secret.slice(6)), 'the secret is not in the database')
  await makeRecognition(db)
  await waitFor(() => receiver.received.length === 1, 20_000, 'the delivery')
  t.equal(verificationError(created.secret, receiver.received[0]!.headers, receiver.received[0]!.body), null, 'signed with the decrypted secret')
})

t.test('a ping reaches the endpoint alone, signed, and shows in its log', async (t) => {
  const { app, db } = await buildTestApp(t, { env: JOBS })
  await app.ready()
  const partner = bearer((await makeKey(db, 'partner')).token)
  const other = bearer((await makeKey(db, 'partner', { name: 'Sàn khác' })).token)
  const receiver = await startReceiver(t)
  const created = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.removed'] } })).json()
  const bystander = await startReceiver(t)
  await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: bystander.url, eventTypes: ['listing.removed'] } })

  const ping = await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/ping`, headers: partner })
  t.equal(ping.statusCode, 202)
  t.match(ping.json(), { eventType: 'webhook.ping', status: 'pending', attempts: [], redeliveryOf: null })
  await waitFor(() => receiver.received.length === 1, 20_000, 'the ping')
  const [received] = receiver.received
  t.match(received!.json, { id: ping.json().eventId, type: 'webhook.ping', data: { webhookId: created.id } })
  t.equal(verificationError(created.secret, received!.headers, received!.body), null, 'signed with the endpoint\'s secret')
  const check = await webhookBodyChecker()
  t.same(check(received!.json), [], 'as the contract\'s webhooks section says')
  t.same(check({ ...received!.json, data: { webhookId: 'not-a-uuid', message: 'x' } }), ['/data/webhookId must match format "uuid"'], 'and the check can fail')
  await waitFor(async () => (await app.inject({ url: `/v1/webhooks/${created.id}/deliveries`, headers: partner })).json().items[0]?.status === 'succeeded', 10_000, 'the log')
  t.equal(bystander.received.length, 0, 'the other endpoint is not pinged')
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/ping`, headers: other })).statusCode, 404, 'another partner\'s endpoint')
  await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/disable`, headers: partner })
  const refused = await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/ping`, headers: partner })
  t.equal(refused.statusCode, 409, 'a disabled endpoint')
  t.equal((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_events WHERE type = 'webhook.ping'"))[0]!.n, 1, 'the refused ping recorded nothing')
})

t.test('an endpoint registered before Standard Webhooks keeps its secret and its headers until it rotates', async (t) => {
  const { app, db } = await buildTestApp(t, { env: JOBS })
  await app.ready()
  const partner = bearer((await makeKey(db, 'partner')).token)
  const receiver = await startReceiver(t)
  const created = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: partner, payload: { url: receiver.url, eventTypes: ['listing.removed'] } })).json()
  // As migration 0022 finds it: a secret of the old form (whsec_ and base64url), the legacy headers on.
  const oldSecret = `whsec_${randomBytes(32).toString('base64url')}`
  await db.query('UPDATE webhook_endpoints SET secret = $2, legacy_headers = true WHERE id = $1', [created.id, oldSecret])
  const ping = async (n: number) => {
    await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/ping`, headers: partner })
    await waitFor(() => receiver.received.length === n, 20_000, `ping ${n}`)
    return receiver.received[n - 1]!
  }
  const first = await ping(1)
  t.ok(await verifyLegacySignature(oldSecret, first.headers, first.body), 'the verifier it had keeps working (OCOP-Webhook-Signature)')
  t.equal(first.headers['ocop-webhook-id'], first.headers['webhook-id'])
  const standard = `whsec_${Buffer.from(oldSecret.slice(6), 'base64url').toString('base64')}`
  t.equal(verificationError(standard, first.headers, first.body), null, 'its secret in standard base64 verifies with standardwebhooks: the same key')
  const rotated = (await app.inject({ method: 'POST', url: `/v1/webhooks/${created.id}/rotate-secret`, headers: partner })).json()
  const second = await ping(2)
  t.notOk(second.headers['ocop-webhook-signature'], 'after a rotation, Standard Webhooks only')
  t.equal(verificationError(rotated.secret, second.headers, second.body), null)
  t.equal(verificationError(standard, second.headers, second.body), null, 'the previous secret signs for the overlap day')
})
