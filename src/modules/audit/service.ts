import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import type { Principal } from '../../lib/principal.ts'
import { auditLog } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

export type Changes = Record<string, { old: unknown, new: unknown }>
/** A database or a transaction: audit entries are written in the caller's transaction. */
export type Tx = Pick<Db, 'insert' | 'select' | 'update' | 'delete' | 'execute'>

/** The fields that differ between two versions of a record (`before` null for a creation). */
export function changesBetween (before: Record<string, unknown> | null, after: Record<string, unknown> | null, omit: string[] = []): Changes {
  const changes: Changes = {}
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (omit.includes(field)) continue
    const old = before?.[field] ?? null
    const now = after?.[field] ?? null
    if (JSON.stringify(old) !== JSON.stringify(now)) changes[field] = { old, new: now }
  }
  return changes
}

export async function recordAudit (tx: Tx, actor: Principal, entry: { entity: string, entityId: string, action: string, changes: Changes }): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, keyId: actor.keyId, keyName: actor.keyName, requestId: actor.requestId })
}

export interface AuditFilter { entity?: string, entityId?: string, keyId?: string, from?: string, to?: string, limit: number, cursor?: string }

const columns = {
  id: auditLog.id,
  at: auditLog.at,
  keyId: auditLog.keyId,
  keyName: auditLog.keyName,
  entity: auditLog.entity,
  entityId: auditLog.entityId,
  action: auditLog.action,
  changes: auditLog.changes,
  requestId: auditLog.requestId
}

/** Newest first, keyset-paginated on the id. */
export async function listAudit (db: Db, filter: AuditFilter) {
  const after = decodeCursor(filter.cursor, ['position'])
  const where: (SQL | undefined)[] = [
    filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.keyId ? eq(auditLog.keyId, filter.keyId) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lte(auditLog.at, filter.to) : undefined,
    after ? lt(auditLog.id, Number(after[0])) : undefined
  ]
  const rows = await db.select(columns).from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.id])
  return { ...page, items: page.items.map((r) => ({ ...r, at: isoInstant(r.at) })) }
}
