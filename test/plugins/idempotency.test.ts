import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'
import { WRITES } from '../helpers/writes.ts'

t.test('Idempotency-Key on POST', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const count = async (name: string) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE name = $1', [name]))[0]!.n

  t.test('a retry with the same key and body gets the first answer again, without a second row', async (t) => {
    const request = { method: 'POST' as const, url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'create-partner-1' }, payload: { name: 'Co.opmart', role: 'partner' } }
    const first = await app.inject(request)
    t.equal(first.statusCode, 201)
    t.notOk(first.headers['idempotency-replayed'])
    const again = await app.inject(request)
    t.equal(again.statusCode, 201)
    t.equal(again.headers['idempotency-replayed'], 'true')
    t.equal(again.body, first.body, 'the same body, secret included, to the same client')
    t.equal(again.headers.location, first.headers.location)
    t.match(again.headers['content-type'], /application\/json/)
    t.equal(await count('Co.opmart'), 1)
    const [stored] = await db.query<{ hours: number }>("SELECT extract(epoch FROM expires_at - now()) / 3600 AS hours FROM idempotency_keys WHERE key = 'create-partner-1'")
    t.ok(Number(stored?.hours) > 23.9, 'kept at least 24 hours')
  })

  t.test('the same key with another body is refused with 422 and does nothing', async (t) => {
    const headers = { ...admin, 'idempotency-key': 'create-partner-2' }
    t.equal((await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'Shopee', role: 'partner' } })).statusCode, 201)
    const other = await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'Lazada', role: 'partner' } })
    t.equal(other.statusCode, 422)
    t.match(other.json(), { type: '/problems/idempotency-key-reused', errors: [{ in: 'header', pointer: '/idempotency-key' }] })
    t.equal(await count('Lazada'), 0)
  })

  t.test('keys belong to a client: another key may use the same Idempotency-Key', async (t) => {
    const otherAdmin = bearer((await makeKey(db, 'admin')).token)
    const payload = { name: 'Tiki', role: 'partner' }
    const a = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'shared' }, payload })
    const b = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...otherAdmin, 'idempotency-key': 'shared' }, payload })
    t.equal(a.statusCode, 201)
    t.equal(b.statusCode, 201)
    t.notOk(b.headers['idempotency-replayed'])
    t.equal(await count('Tiki'), 2)
  })

  t.test('20 concurrent identical requests create one row; the others are told to wait or get the replay', async (t) => {
    const request = { method: 'POST' as const, url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'burst-1' }, payload: { name: 'WinMart', role: 'partner' } }
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject(request)))
    t.equal(await count('WinMart'), 1, 'one row, not twenty')
    const created = answers.filter((a) => a.statusCode === 201)
    t.ok(created.length >= 1)
    t.ok(answers.every((a) => a.statusCode === 201 || a.statusCode === 409), 'only 201 or 409')
    for (const busy of answers.filter((a) => a.statusCode === 409)) {
      t.match(busy.json(), { type: '/problems/idempotency-in-progress' })
      t.equal(busy.headers['retry-after'], '1')
    }
    const ids = new Set(created.map((a) => a.json().apiKey.id))
    t.equal(ids.size, 1, 'every 201 is the same creation')
    const later = await app.inject(request)
    t.equal(later.statusCode, 201)
    t.equal(later.json().apiKey.id, [...ids][0])
  })

  t.test('a domain refusal is replayed too; a malformed key is a 400', async (t) => {
    const headers = { ...admin, 'idempotency-key': 'bad-council' }
    const first = await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'c', role: 'council' } })
    t.equal(first.statusCode, 422)
    const again = await app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'c', role: 'council' } })
    t.equal(again.statusCode, 422)
    t.equal(again.headers['idempotency-replayed'], 'true')
    const bad = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'x'.repeat(300) }, payload: { name: 'y', role: 'partner' } })
    t.equal(bad.statusCode, 400)
    t.match(bad.json().errors, [{ in: 'header', pointer: '/idempotency-key' }])
    t.equal(await count('y'), 0)
  })

  t.test('a request that failed with a server error can be retried with the same key', async (t) => {
    await db.query("CREATE OR REPLACE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'Flaky' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$")
    await db.query('CREATE TRIGGER fail_once BEFORE INSERT ON api_keys FOR EACH ROW EXECUTE FUNCTION fail_once()')
    const request = { method: 'POST' as const, url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'flaky-1' }, payload: { name: 'Flaky', role: 'partner' } }
    t.equal((await app.inject(request)).statusCode, 500)
    await db.query('DROP TRIGGER fail_once ON api_keys')
    const retry = await app.inject(request)
    t.equal(retry.statusCode, 201)
    t.notOk(retry.headers['idempotency-replayed'])
    t.equal(await count('Flaky'), 1)
  })
})

t.test('the answer is committed with the write it describes', async (t) => {
  let crash = false
  const { app, db } = await buildTestApp(t, { idempotency: { afterCommit: () => { if (crash) { crash = false; throw new Error('the process died before answering') } } } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const count = async (name: string) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE name = $1', [name]))[0]!.n
  const stored = async (key: string) => (await db.query<{ state: string, status: number | null }>('SELECT state, status FROM idempotency_keys WHERE key = $1', [key]))[0]

  t.test('a crash after the commit: the retry replays the stored answer and writes nothing twice', async (t) => {
    const request = { method: 'POST' as const, url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'crash-after-commit' }, payload: { name: 'Bách hóa Xanh', role: 'partner' } }
    crash = true
    const lost = await app.inject(request)
    t.equal(lost.statusCode, 500, 'the client never saw the 201')
    t.equal(await count('Bách hóa Xanh'), 1, 'the write was committed')
    t.match(await stored('crash-after-commit'), { state: 'done', status: 201 }, 'and its answer with it')
    const retry = await app.inject(request)
    t.equal(retry.statusCode, 201)
    t.equal(retry.headers['idempotency-replayed'], 'true')
    t.equal(retry.json().apiKey.name, 'Bách hóa Xanh')
    t.match(retry.headers.location, `/v1/api-keys/${retry.json().apiKey.id}`)
    t.equal(await count('Bách hóa Xanh'), 1, 'not written twice')
  })

  t.test('a commit that fails saves neither the write nor the answer, and the retry runs once', async (t) => {
    // A deferred trigger fails at COMMIT, the way a serialization failure does.
    await db.query("CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'Deferred' THEN RAISE EXCEPTION 'could not serialize' USING ERRCODE = '40001'; END IF; RETURN NULL; END $$")
    await db.query('CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON api_keys DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit()')
    const request = { method: 'POST' as const, url: '/v1/api-keys', headers: { ...admin, 'idempotency-key': 'commit-fails' }, payload: { name: 'Deferred', role: 'partner' } }
    const failed = await app.inject(request)
    t.equal(failed.statusCode, 409)
    t.match(failed.json(), { type: '/problems/conflict', detail: /gửi lại yêu cầu/ })
    t.equal(await count('Deferred'), 0, 'nothing written')
    t.equal(await stored('commit-fails'), undefined, 'the claim is released at once')
    await db.query('DROP TRIGGER fail_at_commit ON api_keys')
    const retry = await app.inject(request)
    t.equal(retry.statusCode, 201)
    t.notOk(retry.headers['idempotency-replayed'])
    t.equal(await count('Deferred'), 1)
  })
})

t.test('every POST route runs in the held transaction and replays its answer', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { RATE_LIMIT_ANONYMOUS: '100000' } })
  const roles = ['admin', 'council', 'operator', 'partner'] as const
  const tokens = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, (await makeKey(db, role, role === 'council' ? { councilLevel: 'city' } : {})).token]))) as Record<typeof roles[number], string>
  for (const [route, spec] of Object.entries(WRITES)) {
    if (!route.startsWith('POST ')) continue
    const caller = roles.find((role) => spec.allowed.includes(role))!
    const { url, payload, headers } = await spec.request(db)
    const request = { method: 'POST' as const, url, payload, headers: { ...headers, ...bearer(tokens[caller]), 'idempotency-key': `every-${route.replace(' ', '-')}` } }
    const first = await app.inject(request)
    t.equal(first.statusCode, spec.success, `${route} as ${caller}`)
    const after = await dbFingerprint(db)
    const again = await app.inject(request)
    t.equal(again.statusCode, spec.success, `${route} replayed`)
    t.equal(again.headers['idempotency-replayed'], 'true')
    t.equal(again.body, first.body)
    t.same(await dbFingerprint(db), after, `${route}: the replay wrote nothing`)
  }
})
