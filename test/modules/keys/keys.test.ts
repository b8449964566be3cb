import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('API keys', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await makeKey(db, 'admin', { name: 'Bootstrap admin' })
  const asAdmin = bearer(admin.token)

  t.test('an admin creates a key, shown once and stored only as a hash', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: asAdmin, payload: { name: 'Ứng Hòa operator', role: 'operator', adminUnits: ['281'] } })
    t.equal(res.statusCode, 201)
    const body = res.json()
    t.match(body.key, /^ocop_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/)
    t.equal(res.headers.location, `/v1/api-keys/${body.apiKey.id}`)
    t.match(body.apiKey, { name: 'Ứng Hòa operator', role: 'operator', adminUnits: ['281'], councilLevel: null, state: 'active', revokedAt: null })
    t.ok(body.key.startsWith(body.apiKey.prefix))
    const [row] = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [body.apiKey.id])
    t.notMatch(JSON.stringify(row), body.key, 'the secret is not stored')
    t.match(row?.hash, /^[0-9a-f]{64}$/)

    const list = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: asAdmin })
    t.equal(list.statusCode, 200)
    t.notMatch(list.body, body.key, 'a list never shows a secret')
    t.notMatch(list.body, /"hash"/)
    const one = await app.inject({ method: 'GET', url: `/v1/api-keys/${body.apiKey.id}`, headers: asAdmin })
    t.notMatch(one.body, body.key)

    const use = await app.inject({ method: 'GET', url: '/v1/admin-units/281', headers: bearer(body.key) })
    t.equal(use.statusCode, 200, 'the new key works at once')
  })

  t.test('a revoked key stops working; revoking twice is a conflict', async (t) => {
    const key = await makeKey(db, 'partner')
    const revoke = await app.inject({ method: 'POST', url: `/v1/api-keys/${key.id}/revoke`, headers: asAdmin })
    t.equal(revoke.statusCode, 200)
    t.match(revoke.json(), { state: 'revoked' })
    t.ok(revoke.json().revokedAt)
    const use = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: bearer(key.token) })
    t.equal(use.statusCode, 401)
    t.match(use.json(), { type: '/problems/unauthorized', detail: 'Khóa API đã bị thu hồi' })
    t.equal(use.headers['www-authenticate'], 'Bearer realm="ocop", error="invalid_token"', 'a key sent and refused: invalid_token')
    // RFC 6750 §3.1: a request that sent no key gets the challenge without an error code.
    const none = await app.inject({ method: 'GET', url: '/v1/api-keys' })
    t.equal(none.statusCode, 401)
    t.equal(none.headers['www-authenticate'], 'Bearer realm="ocop"', 'no key sent: the bare challenge')
    const again = await app.inject({ method: 'POST', url: `/v1/api-keys/${key.id}/revoke`, headers: asAdmin })
    t.equal(again.statusCode, 409)
  })

  t.test('rotation gives a new key while the old one works until revoked', async (t) => {
    const old = await makeKey(db, 'operator', { adminUnits: ['279'], name: 'Thường Tín operator' })
    const res = await app.inject({ method: 'POST', url: `/v1/api-keys/${old.id}/rotate`, headers: asAdmin })
    t.equal(res.statusCode, 201)
    const { key, apiKey } = res.json()
    t.match(apiKey, { name: 'Thường Tín operator', role: 'operator', adminUnits: ['279'], rotatedFrom: old.id })
    t.not(key, old.token)
    for (const token of [old.token, key]) t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: bearer(token) })).statusCode, 200)
    await app.inject({ method: 'POST', url: `/v1/api-keys/${old.id}/revoke`, headers: asAdmin })
    t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: bearer(old.token) })).statusCode, 401)
    t.equal((await app.inject({ method: 'GET', url: '/v1/admin-units', headers: bearer(key) })).statusCode, 200)
  })

  t.test('an expired key is refused', async (t) => {
    const key = await makeKey(db, 'partner', { expiresAt: new Date(Date.now() + 1000).toISOString() })
    await db.query("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1", [key.id])
    const res = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: bearer(key.token) })
    t.equal(res.statusCode, 401)
    t.match(res.json().detail, /hết hạn/)
    const listed = await app.inject({ method: 'GET', url: '/v1/api-keys?state=expired', headers: asAdmin })
    t.same(listed.json().items.map((k: { id: string }) => k.id), [key.id])
  })

  t.test('malformed and unknown keys are refused with 401', async (t) => {
    for (const authorization of ['Bearer nope', 'Basic abc', 'Bearer ocop_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await app.inject({ method: 'GET', url: '/v1/admin-units', headers: { authorization } })
      t.equal(res.statusCode, 401, authorization)
      t.match(res.headers['content-type'], /problem\+json/)
    }
  })

  t.test('scope rules: council keys need a level, only operators have units, units must exist', async (t) => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'c', role: 'council' }, '/councilLevel'],
      [{ name: 'p', role: 'partner', councilLevel: 'city' }, '/councilLevel'],
      [{ name: 'p', role: 'partner', adminUnits: ['279'] }, '/adminUnits'],
      [{ name: 'o', role: 'operator', adminUnits: ['279', '998'] }, '/adminUnits/1'],
      [{ name: 'o', role: 'operator', expiresAt: '2001-01-01T00:00:00Z' }, '/expiresAt']
    ]
    for (const [payload, pointer] of cases) {
      const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys')
      const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: asAdmin, payload })
      t.equal(res.statusCode, 422, JSON.stringify(payload))
      t.match(res.json().errors, [{ in: 'body', pointer }])
      t.same(await db.query('SELECT count(*)::int AS n FROM api_keys'), before, 'nothing written')
    }
  })

  t.test('unknown or computed fields in a body are refused, not dropped', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: asAdmin, payload: { name: 'x', role: 'partner', id: '00000000-0000-0000-0000-000000000000', state: 'active' } })
    t.equal(res.statusCode, 400)
    t.same(res.json().errors.map((e: { pointer: string }) => e.pointer).sort(), ['/id', '/state'])
  })

  t.test('lists are paginated with a cursor and a Link header', async (t) => {
    const seen = new Set<string>()
    let url: string | undefined = '/v1/api-keys?limit=2'
    let pages = 0
    while (url) {
      const res = await app.inject({ method: 'GET', url, headers: asAdmin })
      t.equal(res.statusCode, 200)
      const body = res.json() as { items: { id: string }[], nextCursor: string | null }
      t.ok(body.items.length <= 2)
      for (const item of body.items) { t.notOk(seen.has(item.id), 'no repeats'); seen.add(item.id) }
      const link = res.headers.link as string | undefined
      if (body.nextCursor) t.match(link, /^<\/v1\/api-keys\?limit=2&cursor=[^>]+>; rel="next"$/)
      else t.notOk(link)
      url = link ? /^<([^>]+)>/.exec(link)?.[1] : undefined
      pages++
    }
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys') as [{ n: number }]
    t.equal(seen.size, n, 'every key once')
    t.ok(pages > 1)
    const bad = await app.inject({ method: 'GET', url: '/v1/api-keys?cursor=garbage', headers: asAdmin })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().errors, [{ in: 'query', pointer: '/cursor' }])
    const big = await app.inject({ method: 'GET', url: '/v1/api-keys?limit=101', headers: asAdmin })
    t.equal(big.statusCode, 400)
  })

  t.test('ETag, If-None-Match and If-Match protect against lost updates', async (t) => {
    const key = await makeKey(db, 'operator', { name: 'Gia Lâm operator', adminUnits: ['018'] })
    const read = await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: asAdmin })
    const etag = read.headers.etag as string
    t.match(etag, /^"[A-Za-z0-9_-]{27}"$/)
    const cached = await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: { ...asAdmin, 'if-none-match': etag } })
    t.equal(cached.statusCode, 304)
    t.equal(cached.body, '')

    const first = await app.inject({ method: 'PATCH', url: `/v1/api-keys/${key.id}`, headers: { ...asAdmin, 'if-match': etag }, payload: { name: 'Gia Lâm operator (A)' } })
    t.equal(first.statusCode, 200)
    t.not(first.headers.etag, etag, 'the tag changes with the resource')
    const lost = await app.inject({ method: 'PATCH', url: `/v1/api-keys/${key.id}`, headers: { ...asAdmin, 'if-match': etag }, payload: { name: 'Gia Lâm operator (B)' } })
    t.equal(lost.statusCode, 412)
    t.match(lost.json(), { type: '/problems/precondition-failed' })
    const now = await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: asAdmin })
    t.equal(now.json().name, 'Gia Lâm operator (A)', 'the stale update changed nothing')
    t.equal(now.headers.etag, first.headers.etag, 'the PATCH answer carries the tag a GET gives')
    const stale = await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: { ...asAdmin, 'if-none-match': etag } })
    t.equal(stale.statusCode, 200)
  })

  t.test('two concurrent updates with the same tag: one wins, the other gets 412', async (t) => {
    const key = await makeKey(db, 'operator', { name: 'Ba Vì operator' })
    const etag = (await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: asAdmin })).headers.etag as string
    const results = await Promise.all(['X', 'Y'].map((suffix) => app.inject({ method: 'PATCH', url: `/v1/api-keys/${key.id}`, headers: { ...asAdmin, 'if-match': etag }, payload: { name: `Ba Vì operator ${suffix}` } })))
    t.same(results.map((r) => r.statusCode).sort(), [200, 412])
    const winner = results.find((r) => r.statusCode === 200)!.json().name
    t.equal((await app.inject({ method: 'GET', url: `/v1/api-keys/${key.id}`, headers: asAdmin })).json().name, winner)
  })
})
