import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { createDb, DatabaseInUseError } from '../../../src/db/client.ts'
import { ensureFirstAdminKey } from '../../../src/modules/keys/bootstrap.ts'
import { authenticateKey } from '../../../src/modules/keys/service.ts'
import { createTestDb } from '../../helpers/db.ts'
import { makeKey } from '../../helpers/keys.ts'

t.test('the first admin key is made once, on a database without keys', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const now = new Date('2026-11-29T03:00:00Z')
  const [first, second] = await Promise.all([ensureFirstAdminKey(db.db, now), ensureFirstAdminKey(db.db, now)])
  t.ok((first === null) !== (second === null), 'two instances starting together make one key between them')
  const token = (first ?? second)!
  t.match(await authenticateKey(db.db, token, now), { ok: true, key: { role: 'admin', name: 'First admin (created at first start)' } })
  t.equal(await ensureFirstAdminKey(db.db, now), null, 'the next start makes none')
  const [audit] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'api_key' AND action = 'create'")
  t.equal(audit!.n, 1, 'its creation is audited')

  const other = await createTestDb()
  t.teardown(() => other.close())
  const revoked = await makeKey(other, 'partner')
  await other.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [revoked.id])
  t.equal(await ensureFirstAdminKey(other.db, now), null, 'a database that ever had a key is not new')
})

t.test('one process at a time on an embedded database directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-lock-'))
  const first = await createDb({ dataDir: dir })
  t.equal(readFileSync(join(dir, '.ocop-api.pid'), 'utf8'), String(process.pid), 'the directory names its holder')
  const refused = await createDb({ dataDir: dir }).catch((err: unknown) => err)
  t.ok(refused instanceof DatabaseInUseError)
  t.match((refused as Error).message, new RegExp(`open in another process \\(pid ${process.pid}\\).*DATABASE_URL`))
  await first.close()
  t.notOk(existsSync(join(dir, '.ocop-api.pid')), 'released on close')

  // A holder that died without closing (a crash, a kill -9) leaves its pid: the next process takes over.
  writeFileSync(join(dir, '.ocop-api.pid'), '2147480000')
  const next = await createDb({ dataDir: dir })
  t.equal(readFileSync(join(dir, '.ocop-api.pid'), 'utf8'), String(process.pid))
  await next.close()
})
