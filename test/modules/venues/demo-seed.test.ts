import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { createDb } from '../../../src/db/client.ts'
import { DEMO_VENUES } from '../../../src/modules/venues/demo-data.ts'
import { entryArgs } from '../../helpers/runner.ts'

const run = promisify(execFile)

t.test('npm run seed:venues loads the demo venues once, into the embedded database', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-seed-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const { DATABASE_URL: _ignored, ...env } = process.env
  const seed = () => run(process.execPath, [...entryArgs, 'src/cli/seed-venues.ts'], { env: { ...env, DATA_DIR: dir, LOG_LEVEL: 'silent' } })
  const first = await seed()
  t.match(first.stdout, `Added ${DEMO_VENUES.length} demo venues (0 were already there)`)
  // Progress goes to stderr: each migration as it lands, then the venues (periodic lines, not a TTY).
  const total = /Applying (\d+) migrations…/.exec(first.stderr)?.[1]
  t.ok(total, 'says how many migrations it applies', { stderr: first.stderr })
  t.match(first.stderr, new RegExp(`^ {2}${total}/${total} \\d{4}_\\w+ \\(\\d+ ms\\)$`, 'm'), 'and each one as it is applied')
  t.match(first.stderr, new RegExp(`Adding venues \\[[^\\]]+\\] ${DEMO_VENUES.length}/${DEMO_VENUES.length} venues`), 'and the venues as they are added')
  const second = await seed()
  t.match(second.stdout, `Added 0 demo venues (${DEMO_VENUES.length} were already there)`)
  t.notMatch(second.stderr, /Applying/, 'a second run has no migration to apply')

  const db = await createDb({ dataDir: join(dir, 'pglite') })
  t.teardown(() => db.close())
  const rows = await db.query<{ type: string, n: number }>('SELECT type, count(*)::int AS n FROM venues GROUP BY type ORDER BY type')
  t.same(rows, [{ type: 'craft_village_venue', n: 6 }, { type: 'design_centre', n: 5 }], "Hanoi's five design/OCOP centres and six named venues")
  const [nearest] = await db.query<{ name: string }>('SELECT name FROM venues ORDER BY location <-> ll_to_earth(20.9760, 105.9130)::cube LIMIT 1')
  t.match(nearest?.name, /Bát Tràng/, 'the centre nearest to Bát Tràng is the Bát Tràng centre')
})
