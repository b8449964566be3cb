import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

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
