// Writes the OpenAPI contract to openapi/openapi.json, or with --check fails when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { createDb } from '../db/client.ts'

export const contractPath = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url))

/**
 * The contract as the code generates it, formatted as committed. The database is never queried: the app
 * gets a pool that has nowhere to connect (a PGlite would first spend seconds creating its cluster), and
 * no jobs start.
 */
export async function generateContract (): Promise<string> {
  const db = await createDb({ databaseUrl: 'postgres://contract@127.0.0.1:1/never-connected' })
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false' }), db })
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    await db.close()
  }
}

/** Compares a committed contract with the generated one; returns the first differing line, if any. */
export function contractDrift (committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined
  const a = committed.split('\n')
  const b = generated.split('\n')
  const line = a.findIndex((l, i) => l !== b[i])
  const at = line === -1 ? a.length : line
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end>')} but the code generates ${JSON.stringify(b[at] ?? '<end>')}`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const file = args.includes('--file') ? args[args.indexOf('--file') + 1]! : contractPath
  const generated = await generateContract()
  if (args.includes('--check')) {
    let committed = ''
    try { committed = readFileSync(file, 'utf8') } catch { committed = '' }
    const drift = contractDrift(committed, generated)
    if (drift) {
      process.stderr.write(`The contract in ${file} differs from the code (${drift}).\nRun \`npm run openapi\` and commit the result.\n`)
      process.exit(1)
    }
    process.stdout.write(`The contract in ${file} matches the code.\n`)
  } else {
    writeFileSync(file, generated)
    process.stdout.write(`Wrote ${file}\n`)
  }
}
