import type { DbHandle } from '../../src/db/client.ts'
import type { Role } from '../../src/lib/permissions.ts'
import { anonymous, type CouncilLevel } from '../../src/lib/principal.ts'
import { createKey } from '../../src/modules/keys/service.ts'

export interface KeyOptions { name?: string, adminUnits?: string[], councilLevel?: CouncilLevel, expiresAt?: string }

/** An API key made straight through the service; returns the secret and the key's id. */
export async function makeKey (db: DbHandle, role: Role, options: KeyOptions = {}): Promise<{ token: string, id: string }> {
  const { key, apiKey } = await createKey(db.db, anonymous('test'), {
    name: options.name ?? `${role} key`,
    role,
    adminUnits: options.adminUnits,
    councilLevel: options.councilLevel ?? (role === 'council' ? 'city' : undefined),
    expiresAt: options.expiresAt
  }, new Date())
  return { token: key, id: apiKey.id }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A digest of every row of every table but the idempotency store: equal digests, unchanged data. */
export async function dbFingerprint (db: DbHandle): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'idempotency_keys' ORDER BY 1")
  // One statement for all tables: the matrix tests take a fingerprint around a thousand requests.
  const digests = tables.map(({ name }) => `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${name}" t`)
  const rows = await db.query<{ name: string, digest: string }>(digests.join(' UNION ALL '))
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]))
}
