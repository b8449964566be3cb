import t from 'tap'
import { isoInstant, isoInstantOrNull } from '../../src/lib/clock.ts'
import { createTestDb } from '../helpers/db.ts'

t.test('isoInstant writes what Date.prototype.toISOString writes, for the text the database sends', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  // Every shape of fraction PostgreSQL writes (none, trimmed, microseconds), across years and a leap day.
  const rows = await db.query<{ text: string }>(`
    SELECT v::text AS text FROM (VALUES
      ('2026-11-30 10:22:19+00'::timestamptz), ('2026-11-30 10:22:19.5+00'), ('2026-11-30 10:22:19.02+00'),
      ('2026-11-30 10:22:19.027+00'), ('2026-11-30 10:22:19.0275+00'), ('2026-11-30 10:22:19.999999+00'),
      ('2024-02-29 23:59:59.000001+00'), ('1999-12-31 00:00:00+00'), (now())) AS t(v)
    UNION ALL SELECT (timestamptz '2026-01-01 00:00:00+00' + g * interval '7 hours 13 minutes 1.234567 seconds')::text FROM generate_series(1, 200) g`)
  t.equal(rows.length, 209)
  for (const { text } of rows) {
    if (isoInstant(text) !== new Date(text).toISOString()) t.fail(`${text}: ${isoInstant(text)} vs ${new Date(text).toISOString()}`)
  }
  t.match(rows[0]!.text, /\+00$/, 'the sessions are in UTC, the text the fast path reads')
  t.equal(isoInstant('2026-11-30 17:22:19.027+07'), '2026-11-30T10:22:19.027Z', 'another offset goes through Date')
  t.equal(isoInstant(new Date('2026-11-30T10:22:19.027Z')), '2026-11-30T10:22:19.027Z', 'a Date')
  t.equal(isoInstantOrNull(null), null)
})
