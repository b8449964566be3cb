import t from 'tap'
import { problemFromDatabaseError } from '../../src/lib/db-errors.ts'
import { createTestDb, onPostgres } from '../helpers/db.ts'

t.test('database errors become problems a client can act on, never a 500', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const failure = async (sql: string, params: unknown[] = []) => {
    try { await db.query(sql, params) } catch (err) { return problemFromDatabaseError(err) }
    throw new Error(`expected ${sql} to fail`)
  }

  const unique = await failure("INSERT INTO admin_units (list, code, name, name_en, kind, level, valid_from) VALUES ('QD124-2004', '001', 'x', 'x', 'urban_district', 'district', '2020-01-01')")
  t.match(unique, { status: 409, type: '/problems/conflict', errors: [{ in: 'body', pointer: '/list' }, { in: 'body', pointer: '/code' }] })

  const foreign = await failure("INSERT INTO producers (name, type, address, admin_unit_list, admin_unit_code, province_list, province_code, registered_on) VALUES ('x', 'cooperative', 'x', 'QD124-2004', '999', 'QD124-2004', '01', '2024-01-01')")
  t.match(foreign, { status: 422, errors: [{ in: 'body', pointer: '/adminUnitList' }, { in: 'body', pointer: '/adminUnitCode' }] })

  const check = await failure("INSERT INTO admin_units (list, code, name, name_en, kind, level, valid_from) VALUES ('QD19-2025', '77777', 'x', 'x', 'ward', 'district', '2020-01-01')")
  t.match(check, { status: 422, message: /admin_units_kind_level/ })

  const format = await failure("SELECT 'not-a-uuid'::uuid")
  t.match(format, { status: 400 })

  t.equal(problemFromDatabaseError(new Error('something else')), undefined, 'anything else is a bug (500)')
})

t.test('a transaction whose BEGIN fails gives its connection back (PostgreSQL)', { skip: !onPostgres && 'a pool of connections is PostgreSQL only' }, async (t) => {
  const db = await createTestDb()
  let closed = false
  t.teardown(() => closed ? undefined : db.close())
  const pool = db.pool!
  // The connection dies as it is checked out, before BEGIN: what a terminated backend or a restart does.
  pool.once('acquire', (client: { connection: { stream: { destroy: () => void } } }) => client.connection.stream.destroy())
  const failed = await db.db.transaction(async () => 'never').catch((err: unknown) => problemFromDatabaseError(err))
  t.match(failed, { status: 503, type: '/problems/service-unavailable' })
  t.equal(pool.totalCount - pool.idleCount, 0, 'no connection is left checked out')
  t.equal(await db.db.transaction(async () => 'ran'), 'ran', 'the next transaction runs')
  // Before the fix the broken client stayed checked out and pool.end() waited for it forever.
  const ended = await Promise.race([db.close().then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5000))])
  closed = true
  t.ok(ended, 'the pool closes')
})
