import { bodyField, conflict, unprocessable } from '../../lib/problem.ts'
import { type Text } from '../../lib/i18n.ts'

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

function move<S extends string> (what: Text, moves: Record<S, S[]>, from: S, to: S): void {
  if (!moves[from].includes(to)) {
    const next = moves[from].join(', ')
    throw conflict({
      vi: `${what.vi} đang ở trạng thái ${from}, không thể chuyển sang ${to}: ${next ? `có thể chuyển sang ${next}` : 'không còn thay đổi'}`,
      en: `${what.en} is ${from} and cannot become ${to}: ${next ? `it can move to ${next}` : 'it no longer changes'}`
    }, [bodyField('status', { vi: `${from} → ${to} không phải là một bước chuyển`, en: `${from} → ${to} is not a transition` })])
  }
}
export const checkFairMove = (from: FairStatus, to: FairStatus) => move({ vi: 'hội chợ', en: 'the fair' }, FAIR_MOVES, from, to)
export const checkMouMove = (from: MouStatus, to: MouStatus) => move({ vi: 'MOU', en: 'the MOU' }, MOU_MOVES, from, to)

export function checkDates (from: string, to: string, fromField: string, toField: string): void {
  if (to < from) {
    throw unprocessable({ vi: `${toField} ${to} trước ${fromField} ${from}`, en: `${toField} ${to} is before ${fromField} ${from}` },
      [bodyField(toField, { vi: `trước ${fromField} (${from})`, en: `is before ${fromField} (${from})` })])
  }
}
