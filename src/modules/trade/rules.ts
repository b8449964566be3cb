import { bodyField, conflict, unprocessable } from '../../lib/problem.ts'

export const PARTNER_KINDS = ['supermarket_chain', 'ecommerce_platform', 'distributor', 'exporter', 'hotel_tourism', 'other'] as const
export const FAIR_KINDS = ['ocop_fair', 'agri_craft_festival', 'regional_trade_promotion', 'seminar'] as const
export const REGIONS = ['northern_mountains', 'red_river_delta', 'north_central', 'south_central_coast', 'central_highlands', 'southeast', 'mekong_delta'] as const
export const FAIR_STATUSES = ['planned', 'open', 'closed', 'cancelled'] as const
export const MOU_STATUSES = ['signed', 'in_effect', 'fulfilled', 'expired', 'terminated'] as const
export type FairStatus = typeof FAIR_STATUSES[number]
export type MouStatus = typeof MOU_STATUSES[number]

const FAIR_MOVES: Record<FairStatus, FairStatus[]> = { planned: ['open', 'cancelled'], open: ['closed', 'cancelled'], closed: [], cancelled: [] }
/** signed → in effect → fulfilled; signed or in effect → expired or terminated. */
export const MOU_MOVES: Record<MouStatus, MouStatus[]> = {
  signed: ['in_effect', 'expired', 'terminated'],
  in_effect: ['fulfilled', 'expired', 'terminated'],
  fulfilled: [],
  expired: [],
  terminated: []
}

function move<S extends string> (what: string, moves: Record<S, S[]>, from: S, to: S): void {
  if (!moves[from].includes(to)) {
    const allowed = moves[from].length ? `it can move to ${moves[from].join(', ')}` : 'it no longer changes'
    throw conflict(`${what} is ${from} and cannot become ${to}: ${allowed}`, [bodyField('status', `${from} → ${to} is not a transition`)])
  }
}
export const checkFairMove = (from: FairStatus, to: FairStatus) => move('the fair', FAIR_MOVES, from, to)
export const checkMouMove = (from: MouStatus, to: MouStatus) => move('the MOU', MOU_MOVES, from, to)

export function checkDates (from: string, to: string, fromField: string, toField: string): void {
  if (to < from) throw unprocessable(`${toField} ${to} is before ${fromField} ${from}`, [bodyField(toField, `is before ${fromField} (${from})`)])
}
