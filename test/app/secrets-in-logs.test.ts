import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

t.test('no API key or webhook secret reaches a log line, wherever the request carries it', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app, db } = await buildTestApp(t, { logs, env: { LOG_LEVEL: 'trace', WEBHOOK_ALLOW_INSECURE_TARGETS: 'true' } })
  const admin = await makeKey(db, 'admin')
  const partner = await makeKey(db, 'partner')
  const secrets = [admin.token, partner.token]

  // Keys and secrets the service itself hands out, in response bodies.
  const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(admin.token), payload: { name: 'đối tác', role: 'partner' } })
  t.equal(created.statusCode, 201)
  secrets.push(created.json().key)
  const hook = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: bearer(partner.token), payload: { url: 'http://127.0.0.1:9/hook', eventTypes: ['listing.upserted'] } })
  t.equal(hook.statusCode, 201)
  secrets.push(hook.json().secret)

  // A key in every place a client might put it: headers, the query string under any name, the body.
  for (const key of secrets.slice(0, 3)) {
    await app.inject({ url: '/v1/products', headers: bearer(key) })
    await app.inject({ url: '/v1/products', headers: { 'x-api-key': key } })
    for (const name of ['api_key', 'key', 'token', 'access_token', 'Authorization', 'q']) {
      const res = await app.inject({ url: `/v1/products?${name}=${encodeURIComponent(key)}` })
      t.ok(res.statusCode < 500, `?${name}=`)
    }
    await app.inject({ method: 'POST', url: '/v1/producers', headers: bearer(admin.token), payload: { name: key, secret: key } })
  }
  await app.inject({ url: '/v1/products?x=1', headers: bearer(`${admin.token.slice(0, -4)}AAAA`) }) // an unknown key: 401
  await app.inject({ url: `/v1/listings/changes?after=${encodeURIComponent(hook.json().secret)}`, headers: bearer(partner.token) })

  t.ok(logs.length > 20, `${logs.length} log lines captured at trace level`)
  const text = JSON.stringify(logs)
  for (const secret of [...secrets, `${admin.token.slice(0, -4)}AAAA`]) t.notOk(text.includes(secret), `${secret.slice(0, 13)}… never logged`)
  t.match(text, /\[redacted\]/, 'what was removed says so')
  t.match(text, /"url":"\/v1\/products\?api_key=\[redacted\]"/, 'the URL is still logged, without the key')
})
