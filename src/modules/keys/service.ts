import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import type { Role } from '../../lib/permissions.ts'
import type { CouncilLevel, Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit } from '../audit/service.ts'
import { adminUnits as adminUnitsTable } from '../reference/tables.ts'
import { generateKey, hashKey, keyState } from './rules.ts'
import type { ApiKeyBody, ApiKeyCreateBody, ApiKeyPatchBody } from './schemas.ts'
import { apiKeys } from './tables.ts'
import { isoInstantOrNull } from '../../lib/clock.ts'

const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  prefix: apiKeys.prefix,
  adminUnits: apiKeys.adminUnits,
  councilLevel: apiKeys.councilLevel,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  rotatedFrom: apiKeys.rotatedFrom,
  createdAt: apiKeys.createdAt
}
type KeyRow = Omit<typeof apiKeys.$inferSelect, 'hash' | 'createdBy'>

const iso = isoInstantOrNull
function present (row: KeyRow, now: Date): ApiKeyBody {
  return {
    ...row,
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    createdAt: iso(row.createdAt)!,
    state: keyState(row, now)
  } as ApiKeyBody
}

async function checkScope (db: Pick<Db, 'select'>, input: Omit<Partial<ApiKeyCreateBody>, 'expiresAt'> & { expiresAt?: string | null }, now: Date): Promise<void> {
  if (input.role === 'council' && !input.councilLevel) {
    throw unprocessable({ vi: 'khóa council cần councilLevel', en: 'a council key needs a councilLevel' }, [bodyField('councilLevel', { vi: 'là bắt buộc với vai trò council', en: 'is required for role council' })])
  }
  if (input.role !== 'council' && input.councilLevel) {
    throw unprocessable({ vi: 'chỉ khóa council mới có councilLevel', en: 'only council keys have a councilLevel' }, [bodyField('councilLevel', { vi: 'chỉ dành cho vai trò council', en: 'is only for role council' })])
  }
  if (input.role !== 'operator' && input.adminUnits?.length) {
    throw unprocessable({ vi: 'chỉ khóa operator mới được giới hạn theo đơn vị hành chính', en: 'only operator keys are limited to administrative units' },
      [bodyField('adminUnits', { vi: 'chỉ dành cho vai trò operator', en: 'is only for role operator' })])
  }
  if (input.expiresAt && new Date(input.expiresAt) <= now) {
    throw unprocessable({ vi: 'expiresAt phải ở tương lai', en: 'expiresAt must be in the future' }, [bodyField('expiresAt', { vi: 'không ở tương lai', en: 'is not in the future' })])
  }
  if (input.adminUnits?.length) {
    const found = await db.select({ code: adminUnitsTable.code }).from(adminUnitsTable).where(inArray(adminUnitsTable.code, input.adminUnits))
    const known = new Set(found.map((f) => f.code))
    const unknown = input.adminUnits.map((code, i) => ({ code, i })).filter(({ code }) => !known.has(code))
    if (unknown.length) {
      const codes = unknown.map((u) => u.code).join(', ')
      throw unprocessable({ vi: `không có đơn vị hành chính ${codes}`, en: `unknown administrative unit ${codes}` },
        unknown.map(({ i }) => bodyField(`adminUnits/${i}`, { vi: 'không phải là đơn vị hành chính', en: 'is not an administrative unit' })))
    }
  }
}

/** Creates a key and returns its secret, once. */
export async function createKey (db: Db, actor: Principal, input: ApiKeyCreateBody & { rotatedFrom?: string }, now: Date) {
  await checkScope(db, input, now)
  const { token, prefix, hash } = generateKey()
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiKeys).values({
      name: input.name,
      role: input.role,
      prefix,
      hash,
      adminUnits: input.adminUnits ?? [],
      councilLevel: input.councilLevel ?? null,
      expiresAt: input.expiresAt ?? null,
      rotatedFrom: input.rotatedFrom ?? null,
      createdBy: actor.keyId
    }).returning(columns)
    const apiKey = present(row!, now)
    await recordAudit(tx, actor, { entity: 'api_key', entityId: apiKey.id, action: input.rotatedFrom ? 'rotate' : 'create', changes: changesBetween(null, apiKey, ['state']) })
    return { key: token, apiKey }
  })
}

export async function getKey (db: Db, id: string, now: Date): Promise<ApiKeyBody> {
  const [row] = await db.select(columns).from(apiKeys).where(eq(apiKeys.id, id))
  if (!row) throw notFound('API key', id)
  return present(row, now)
}

export interface KeyFilter { role?: Role, state?: 'active' | 'revoked' | 'expired', limit: number, cursor?: string }

function stateCondition (state: KeyFilter['state'], now: string): SQL | undefined {
  const notRevoked = or(isNull(apiKeys.revokedAt), gt(apiKeys.revokedAt, now))
  if (state === 'revoked') return and(isNotNull(apiKeys.revokedAt), lte(apiKeys.revokedAt, now))
  if (state === 'expired') return and(notRevoked, isNotNull(apiKeys.expiresAt), lte(apiKeys.expiresAt, now))
  if (state === 'active') return and(notRevoked, or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)))
  return undefined
}

/** Newest first, keyset-paginated on (createdAt, id). */
export async function listKeys (db: Db, filter: KeyFilter, now: Date) {
  const after = decodeCursor(filter.cursor, ['timestamp', 'uuid'])
  const rows = await db.select(columns).from(apiKeys).where(and(
    filter.role ? eq(apiKeys.role, filter.role) : undefined,
    stateCondition(filter.state, now.toISOString()),
    after ? sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined
  )).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.createdAt, r.id])
  return { items: page.items.map((r) => present(r, now)), nextCursor: page.nextCursor }
}

/** Renames a key, changes an operator key's units or the expiry; `precondition` sees the current version (If-Match). */
export async function updateKey (db: Db, actor: Principal, id: string, patch: ApiKeyPatchBody, now: Date, precondition: (current: ApiKeyBody) => void): Promise<ApiKeyBody> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select(columns).from(apiKeys).where(eq(apiKeys.id, id)).for('update')
    if (!row) throw notFound('API key', id)
    const before = present(row, now)
    precondition(before)
    if (before.state === 'revoked') throw conflict({ vi: `khóa API ${id} đã bị thu hồi và không còn thay đổi được`, en: `API key ${id} is revoked and can no longer change` })
    await checkScope(tx, { role: before.role, adminUnits: patch.adminUnits, expiresAt: patch.expiresAt }, now)
    const [updated] = await tx.update(apiKeys).set(patch).where(eq(apiKeys.id, id)).returning(columns)
    const after = present(updated!, now)
    await recordAudit(tx, actor, { entity: 'api_key', entityId: id, action: 'update', changes: changesBetween(before, after, ['state']) })
    return after
  })
}

export async function revokeKey (db: Db, actor: Principal, id: string, now: Date): Promise<ApiKeyBody> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select(columns).from(apiKeys).where(eq(apiKeys.id, id)).for('update')
    if (!before) throw notFound('API key', id)
    if (before.revokedAt) throw conflict({ vi: `khóa API ${id} đã bị thu hồi lúc ${iso(before.revokedAt)}`, en: `API key ${id} was already revoked at ${iso(before.revokedAt)}` })
    const [after] = await tx.update(apiKeys).set({ revokedAt: now.toISOString() }).where(eq(apiKeys.id, id)).returning(columns)
    await recordAudit(tx, actor, { entity: 'api_key', entityId: id, action: 'revoke', changes: changesBetween(present(before, now), present(after!, now), ['state']) })
    return present(after!, now)
  })
}

/** A new key with the same role and scope; the old one keeps working until it is revoked. */
export async function rotateKey (db: Db, actor: Principal, id: string, now: Date) {
  const old = await getKey(db, id, now)
  if (old.state !== 'active') throw conflict({ vi: `khóa API ${id} đang ở trạng thái ${old.state}: chỉ xoay vòng được khóa đang hoạt động`, en: `API key ${id} is ${old.state}: only an active key can be rotated` })

  return createKey(db, actor, {
    name: old.name,
    role: old.role,
    adminUnits: old.adminUnits,
    councilLevel: old.councilLevel ?? undefined,
    expiresAt: old.expiresAt ?? undefined,
    rotatedFrom: old.id
  }, now)
}

export type AuthResult = { ok: true, key: { id: string, name: string, role: Role, adminUnits: string[], councilLevel: CouncilLevel | null } } | { ok: false, reason: 'unknown' | 'revoked' | 'expired' }

/** Looks a presented key up by its hash. */
export async function authenticateKey (db: Db, token: string, now: Date): Promise<AuthResult> {
  const [row] = await db.select({ ...columns }).from(apiKeys).where(eq(apiKeys.hash, hashKey(token)))
  if (!row) return { ok: false, reason: 'unknown' }
  const state = keyState(row, now)
  if (state !== 'active') return { ok: false, reason: state }
  return { ok: true, key: { id: row.id, name: row.name, role: row.role, adminUnits: row.adminUnits, councilLevel: row.councilLevel } }
}
