// npm run key:create -- --role admin --name "Bootstrap admin" [--units 279,281] [--council-level city] [--expires 2027-12-31T00:00:00Z]
// Creates an API key directly in the database and prints it once. This is how the first admin key is made.
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { openDatabase } from './database.ts'
import { ROLES, type Role } from '../lib/permissions.ts'
import { COUNCIL_LEVELS, type CouncilLevel, anonymous } from '../lib/principal.ts'
import { ProblemError } from '../lib/problem.ts'
import { createKey } from '../modules/keys/service.ts'

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    units: { type: 'string' },
    'council-level': { type: 'string' },
    expires: { type: 'string' }
  }
})
const fail = (message: string): never => { process.stderr.write(`${message}\n`); process.exit(2) }
const role = values.role as Role
if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`)
if (!values.name?.trim()) fail('--name is required: who holds the key')
const councilLevel = values['council-level'] as CouncilLevel | undefined
if (councilLevel && !COUNCIL_LEVELS.includes(councilLevel)) fail(`--council-level must be one of ${COUNCIL_LEVELS.join(', ')}`)

const config = loadConfig()
const db = await openDatabase(config)
try {
  const actor = { ...anonymous('cli:key-create'), keyName: 'npm run key:create' }
  const { key, apiKey } = await createKey(db.db, actor, {
    name: values.name!.normalize('NFC').trim(),
    role,
    adminUnits: values.units ? values.units.split(',').map((u) => u.trim()) : undefined,
    councilLevel,
    expiresAt: values.expires
  }, new Date())
  process.stdout.write(`Created ${apiKey.role} key ${apiKey.prefix} (${apiKey.id}) for "${apiKey.name}".\n`)
  process.stdout.write('Store it now; it is not shown again:\n\n')
  process.stdout.write(`${key}\n`)
} catch (err) {
  if (err instanceof ProblemError) fail(`${err.message}`)
  throw err
} finally {
  await db.close()
}
