import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createDb } from '../../src/db/client.ts'
import { migrate, migrationsFolder } from '../../src/db/migrate.ts'
import { createTestDb, onPostgres } from '../helpers/db.ts'

const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }

t.test('migrations applied twice in parallel succeed and apply each migration once', async (t) => {
  const empty = await createTestDb({ migrated: false })
  t.teardown(() => empty.close())
  // On PostgreSQL, two pools stand for two instances starting together; PGlite has one connection.
  const second = onPostgres ? await createDb({ databaseUrl: empty.url }) : empty
  t.teardown(() => second.close())
  await Promise.all([migrate(empty), migrate(second)])
  const [applied] = await empty.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')
  t.equal(applied?.n, journal.entries.length)
  const [units] = await empty.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_units')
  t.equal(units?.n, 156, 'reference data inserted once: 30 districts and 126 units of 2025-07-01')
  await migrate(empty)
  const [again] = await empty.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')
  t.equal(again?.n, journal.entries.length, 'a third run finds nothing to do')
})

t.test('the search extensions are installed', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const [row] = await db.query<{ u: string, s: number }>("SELECT unaccent('Đường Lâm Bát Tràng') AS u, similarity('bat trang', 'bat trag') AS s")
  t.equal(row?.u, 'Duong Lam Bat Trang')
  t.ok(Number(row?.s) > 0.4)
})
