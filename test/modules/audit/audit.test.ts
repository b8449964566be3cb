import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('audit log', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await makeKey(db, 'admin', { name: 'Chief admin' })
  const asAdmin = bearer(admin.token)

  t.test('every successful write records who, what, the action and the changed fields', async (t) => {
    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...asAdmin, 'x-request-id': 'req-create-1' }, payload: { name: 'Sài Sơn operator', role: 'operator', adminUnits: ['275'] } })
    const id = created.json().apiKey.id
    await app.inject({ method: 'PATCH', url: `/v1/api-keys/${id}`, headers: asAdmin, payload: { name: 'Quốc Oai operator' } })
    await app.inject({ method: 'POST', url: `/v1/api-keys/${id}/revoke`, headers: asAdmin })

    const res = await app.inject({ method: 'GET', url: `/v1/audit?entity=api_key&entityId=${id}`, headers: asAdmin })
    t.equal(res.statusCode, 200)
    const entries = res.json().items
    t.same(entries.map((e: { action: string }) => e.action), ['revoke', 'update', 'create'], 'newest first')
    t.match(entries[2], { keyId: admin.id, keyName: 'Chief admin', entity: 'api_key', entityId: id, requestId: 'req-create-1', changes: { name: { old: null, new: 'Sài Sơn operator' }, role: { old: null, new: 'operator' } } })
    t.same(entries[1].changes, { name: { old: 'Sài Sơn operator', new: 'Quốc Oai operator' } })
    t.same(Object.keys(entries[0].changes), ['revokedAt'])
    t.notMatch(res.body, created.json().key, 'the secret never reaches the audit log')
  })

  t.test('a refused write leaves no entry', async (t) => {
    const operator = bearer((await makeKey(db, 'operator')).token)
    const before = await db.query('SELECT count(*)::int AS n FROM audit_log')
    await app.inject({ method: 'POST', url: '/v1/api-keys', headers: asAdmin, payload: { name: 'c', role: 'council' } })
    await app.inject({ method: 'POST', url: '/v1/api-keys', headers: operator, payload: { name: 'x', role: 'admin' } })
    t.same(await db.query('SELECT count(*)::int AS n FROM audit_log'), before)
  })

  t.test('the entry is written in the write\'s transaction: when it cannot be written, the write is undone', async (t) => {
    const victim = await makeKey(db, 'partner', { name: 'Big C' })
    await db.query("CREATE OR REPLACE FUNCTION refuse_revoke_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'revoke' THEN RAISE EXCEPTION 'audit store failed'; END IF; RETURN NEW; END $$")
    await db.query('CREATE TRIGGER refuse_revoke_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_revoke_audit()')
    t.teardown(() => db.query('DROP TRIGGER IF EXISTS refuse_revoke_audit ON audit_log'))
    const res = await app.inject({ method: 'POST', url: `/v1/api-keys/${victim.id}/revoke`, headers: asAdmin })
    t.equal(res.statusCode, 500)
    const [row] = await db.query<{ revoked_at: string | null }>('SELECT revoked_at FROM api_keys WHERE id = $1', [victim.id])
    t.equal(row?.revoked_at, null, 'the revocation was rolled back with its audit entry')
  })

  t.test('entries cannot be changed or deleted, by the API or in the database', async (t) => {
    for (const method of ['DELETE', 'PATCH'] as const) {
      const refused = await app.inject({ method, url: '/v1/audit', headers: asAdmin, payload: {} })
      t.equal(refused.statusCode, 405, `${method} /v1/audit`)
      t.equal(refused.headers.allow, 'GET, HEAD', 'the audit log is only read')
    }
    await t.rejects(db.query("UPDATE audit_log SET action = 'nothing'"), /append-only/)
    await t.rejects(db.query('DELETE FROM audit_log'), /append-only/)
  })

  t.test('filters by key and time range, paginated', async (t) => {
    const other = await makeKey(db, 'admin', { name: 'Second admin' })
    for (const name of ['A', 'B', 'C']) await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(other.token), payload: { name, role: 'partner' } })
    const mine = await app.inject({ method: 'GET', url: `/v1/audit?keyId=${other.id}&limit=2`, headers: asAdmin })
    t.equal(mine.json().items.length, 2)
    t.ok(mine.json().nextCursor)
    t.match(mine.headers.link, /rel="next"/)
    const rest = await app.inject({ method: 'GET', url: `/v1/audit?keyId=${other.id}&limit=2&cursor=${mine.json().nextCursor}`, headers: asAdmin })
    t.equal(rest.json().items.length, 1)
    t.equal(rest.json().nextCursor, null)
    t.ok([...mine.json().items, ...rest.json().items].every((e: { keyName: string }) => e.keyName === 'Second admin'))
    const future = await app.inject({ method: 'GET', url: '/v1/audit?from=2999-01-01T00:00:00Z', headers: asAdmin })
    t.same(future.json().items, [])
    const past = await app.inject({ method: 'GET', url: '/v1/audit?to=2000-01-01T00:00:00Z', headers: asAdmin })
    t.same(past.json().items, [])
  })
})
