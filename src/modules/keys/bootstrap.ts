import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { lockForTransaction } from '../../db/locks.ts'
import { rowsOf } from '../../db/rows.ts'
import { anonymous } from '../../lib/principal.ts'
import { createKey } from './service.ts'

// Held while deciding: instances starting together on an empty database create one key between them.
const BOOTSTRAP_LOCK = 0x0c0b_4e1

/**
 * The first admin key: created when the database holds no API key at all (a new installation), and
 * returned once so the entry point can print it. Null when any key exists, revoked ones included.
 */
export async function ensureFirstAdminKey (db: Db, now: Date): Promise<string | null> {
  return db.transaction(async (tx) => {
    await lockForTransaction(tx, BOOTSTRAP_LOCK, true)
    const [any] = await rowsOf<{ exists: boolean }>(tx, sql`SELECT EXISTS (SELECT 1 FROM api_keys) AS exists`)
    if (any?.exists) return null
    const actor = { ...anonymous('first-start'), keyName: 'first start' }
    return (await createKey(tx, actor, { name: 'First admin (created at first start)', role: 'admin' }, now)).key
  })
}

/** How the entry point shows the first key: once, on stdout, framed; never through the logger. */
export const firstKeyBanner = (token: string, docs: string) => [
  '',
  '='.repeat(78),
  '  No API key existed, so this admin key was created. It is shown once; store it now:',
  '',
  `  ${token}`,
  '',
  `  Use it as "Authorization: Bearer <key>" (Swagger UI: ${docs}, "Authorize").`,
  '  Make keys for people and partners with it (POST /v1/api-keys), then revoke this one.',
  '='.repeat(78),
  ''
].join('\n') + '\n'
