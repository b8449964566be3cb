import { inArray, or, type Column, type SQL } from 'drizzle-orm'
import { forbidden, notFound, type Entity } from './problem.ts'
import type { Role } from './permissions.ts'

export const COUNCIL_LEVELS = ['commune', 'district', 'city', 'central'] as const
export type CouncilLevel = typeof COUNCIL_LEVELS[number]

/** Who is calling: an API key's holder, or an anonymous reader. Services take it to scope and audit. */
export interface Principal {
  keyId: string | null
  keyName: string | null
  role: Role | 'anonymous'
  /** Operators limited to these administrative units; empty means no limit. */
  adminUnits: string[]
  councilLevel: CouncilLevel | null
  requestId: string
}

export const anonymous = (requestId: string): Principal =>
  ({ keyId: null, keyName: null, role: 'anonymous', adminUnits: [], councilLevel: null, requestId })

/** Whether the principal may act on something recorded in this administrative unit. */
export function withinUnits (principal: Principal, unitCode: string | null | undefined): boolean {
  if (principal.role === 'admin') return true
  if (principal.role !== 'operator') return false
  return principal.adminUnits.length === 0 || (unitCode != null && principal.adminUnits.includes(unitCode))
}

/** What an operator writes in its units, in every language. */
const WRITES = {
  'craft villages': 'làng nghề',
  evaluations: 'hồ sơ đánh giá',
  fairs: 'hội chợ',
  labels: 'tem',
  MOUs: 'biên bản ghi nhớ (MOU)',
  producers: 'chủ thể',
  products: 'sản phẩm',
  recognitions: 'quyết định công nhận',
  venues: 'điểm giới thiệu và bán sản phẩm'
} as const

/** Refuses (403) a write in an administrative unit outside the key's units. */
export function requireUnit (principal: Principal, unitCode: string | null | undefined, what: keyof typeof WRITES): void {
  if (!withinUnits(principal, unitCode)) {
    throw forbidden({
      vi: `Khóa này không được ghi ${WRITES[what]} ở đơn vị hành chính ${unitCode}: các đơn vị của khóa là ${principal.adminUnits.join(', ')}`,
      en: `This key may not write ${what} in administrative unit ${unitCode}: its units are ${principal.adminUnits.join(', ')}`
    })
  }
}

/** Whether the principal may see unpublished records (drafts, archived, inactive) of this unit. */
export function seesUnpublished (principal: Principal, unitCode: string | null | undefined): boolean {
  if (principal.role === 'admin' || principal.role === 'council') return true
  return principal.role === 'operator' && withinUnits(principal, unitCode)
}

/**
 * The list counterpart of seesUnpublished: whose unpublished records a list shows. All of them to
 * admins, councils and operators of every unit; an operator scoped to units, those units'; nobody
 * else any (partners and anonymous readers see what is published).
 */
export function unpublishedScope (principal: Principal): 'all' | 'none' | string[] {
  if (principal.role === 'admin' || principal.role === 'council') return 'all'
  if (principal.role === 'operator') return principal.adminUnits.length ? principal.adminUnits : 'all'
  return 'none'
}

/** That rule as a list's condition: `published`, or also the unpublished rows of the caller's units (undefined: every row). */
export function visibleRows (principal: Principal, published: SQL, unitColumn: Column): SQL | undefined {
  const scope = unpublishedScope(principal)
  return scope === 'all' ? undefined : scope === 'none' ? published : or(published, inArray(unitColumn, scope))
}

/** Refuses a read of a unit's staff-only record from outside its units with 404, as if it did not exist. */
export function requireReadableUnit (principal: Principal, unitCode: string | null, entity: Entity, id: string): void {
  if (!withinUnits(principal, unitCode)) throw notFound(entity, id)
}
