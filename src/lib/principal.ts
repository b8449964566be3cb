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
