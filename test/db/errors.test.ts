import t from 'tap'
import { problemFromDatabaseError } from '../../src/lib/db-errors.ts'
import { createTestDb } from '../helpers/db.ts'

t.test('database errors become problems a client can act on, never a 500', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const failure = async (sql: string, params: unknown[] = []) => {
    try { await db.query(sql, params) } catch (err) { return problemFromDatabaseError(err) }
    throw new Error(`expected ${sql} to fail`)
  }

  const unique = await failure("INSERT INTO admin_units (code, name, name_en, kind, level, valid_from) VALUES ('001', 'x', 'x', 'urban_district', 'district', '2020-01-01')")
  t.match(unique, { status: 409, type: '/problems/conflict', errors: [{ in: 'body', pointer: '/code' }] })

  const foreign = await failure("INSERT INTO producers (name, type, address, admin_unit_code, registered_on) VALUES ('x', 'cooperative', 'x', '999', '2024-01-01')")
  t.match(foreign, { status: 422, errors: [{ in: 'body', pointer: '/adminUnitCode' }] })

  const check = await failure("INSERT INTO admin_units (code, name, name_en, kind, level, valid_from) VALUES ('77777', 'x', 'x', 'ward', 'district', '2020-01-01')")
  t.match(check, { status: 422, message: /admin_units_kind_level/ })

  const format = await failure("SELECT 'not-a-uuid'::uuid")
  t.match(format, { status: 400 })

  t.equal(problemFromDatabaseError(new Error('something else')), undefined, 'anything else is a bug (500)')
})
