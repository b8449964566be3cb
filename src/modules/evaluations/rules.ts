// Pure rules of OCOP evaluation (README: "From score to stars", "Who decides what, when", "The
// certificate timeline"). No I/O: the service reads and writes, these decide.
import { addDays } from '../../lib/clock.ts'
import type { Text } from '../../lib/i18n.ts'
import type { ProblemSlug } from '../../lib/problem.ts'

export type Star = 1 | 2 | 3 | 4 | 5
export type CouncilLevel = 'commune' | 'district' | 'city' | 'central'
const LEVELS: CouncilLevel[] = ['commune', 'district', 'city', 'central']

/**
 * The evaluation's score: the mean of the members' totals, truncated (not rounded) to two decimals.
 * Truncation keeps the stored score on the same side of every tier boundary as the exact mean
 * (boundaries are whole numbers): a mean of 49.995 is stored as 49.99, a 2-star score, as it must be.
 */
export function meanScore (totals: number[]): number {
  if (totals.length === 0) throw new RangeError('a score needs at least one score sheet')
  // Work in hundredths of a point so that binary fractions cannot tip a value across a boundary.
  const sum = totals.reduce((acc, t) => acc + Math.round(t * 100), 0)
  return Math.floor(sum / totals.length) / 100
}

// Decision 148/QĐ-TTg (and 1048/QĐ-TTg): 5 stars 90-100, 4 stars 70 to under 90, 3 stars 50 to under 70,
// 2 stars 30 to under 50, 1 star under 30.
export function tierForScore (score: number): Star {
  if (!(score >= 0 && score <= 100)) throw new RangeError(`a score is between 0 and 100, not ${score}`)
  if (score >= 90) return 5
  if (score >= 70) return 4
  if (score >= 50) return 3
  if (score >= 30) return 2
  return 1
}

/**
 * The star a score earns once mandatory criteria are applied: the highest tier at or below the score's
 * tier whose mandatory criteria are all met. A criterion mandatory for a star level is mandatory for
 * every higher level too, so `mandatoryMet(s)` must hold for the star given.
 */
export function starForScore (score: number, mandatoryMet: (star: Star) => boolean): Star {
  for (let star = tierForScore(score); star >= 1; star--) {
    if (star <= 2 || mandatoryMet(star as Star)) return star as Star
  }
  return 1
}

/** Which stars a council level may recognise, by regime (criteria set and decision date). */
export interface Authority {
  regime: 'QD1048' | 'QD148' | 'QD148-no-districts' | 'QD148-two-tier'
  /** Stars this level recognises itself. */
  recognises: Star[]
  /** A city council score of 90+ is recognised as 4 stars and forwarded for central review. */
  forwardsPotentialFive: boolean
}

// Decision 148/QĐ-TTg took effect on 24 February 2023. Districts ceased on 1 July 2025; Decision
// 1489/QĐ-TTg gave the city its 3-star authority from 6 July 2025 (two-tier local government).
export const QD148_FROM = '2023-02-24'
export const NO_DISTRICTS_FROM = '2025-07-01'
export const TWO_TIER_FROM = '2025-07-06'

/** Who may recognise which stars depends on the date of the decision (README, "Who decides what, when"). */
export function recognitionAuthority (level: CouncilLevel, decisionDate: string): Authority {
  const central = level === 'central'
  if (decisionDate < QD148_FROM) {
    // Under 1048: districts pre-evaluate (50+ goes up); the city recognises 3 and 4; 90+ goes to central.
    const recognises: Star[] = level === 'city' ? [3, 4] : central ? [5] : []
    return { regime: 'QD1048', recognises, forwardsPotentialFive: level === 'city' }
  }
  if (decisionDate < NO_DISTRICTS_FROM) {
    // Under 148 until 30 June 2025: district 3 stars, city 4 stars, central 5 stars.
    const recognises: Star[] = level === 'district' ? [3] : level === 'city' ? [4] : central ? [5] : []
    return { regime: 'QD148', recognises, forwardsPotentialFive: level === 'city' }
  }
  if (decisionDate < TWO_TIER_FROM) {
    // 1 to 5 July 2025: no district any more, and the city's 3-star authority starts with 1489.
    const recognises: Star[] = level === 'city' ? [4] : central ? [5] : []
    return { regime: 'QD148-no-districts', recognises, forwardsPotentialFive: level === 'city' }
  }
  // Two-tier government: the commune scores a few local criteria and forwards; the city recognises
  // 3 and 4 stars and proposes 90+ to the ministry for 5 stars.
  const recognises: Star[] = level === 'city' ? [3, 4] : central ? [5] : []
  return { regime: 'QD148-two-tier', recognises, forwardsPotentialFive: level === 'city' }
}

/** A rule a decision breaks: the problem type's slug and title, the field it concerns and why. */
export interface Refusal { slug: ProblemSlug, in: 'body' | 'path', pointer: string, detail: Text }

/** A field of a score card or sheet that breaks a rule, by its pointer in the body. */
export interface RuleError { pointer: string, detail: Text }

export type Decision =
  | { outcome: 'recorded', star: 1 | 2 }
  | { outcome: 'recognised', star: 3 | 4 | 5, potentialFiveStar: boolean }
  | { outcome: 'refused', star: Star, refusal: Refusal }

/**
 * What a council's decision does with the star the score and the mandatory criteria earned: 1 and 2
 * stars are recorded without recognition; 3 to 5 stars are recognised when the level has the authority;
 * a city score of 90+ is recognised as 4 stars and forwarded ("potential 5-star"); anything else is
 * refused with the rule it breaks. (The central council's need for a pending forward is checked by the
 * service, which reads the product's timeline.)
 */
export function decide (star: Star, level: CouncilLevel, decisionDate: string): Decision {
  if (star <= 2) return { outcome: 'recorded', star: star as 1 | 2 }
  const authority = recognitionAuthority(level, decisionDate)
  if (star === 5 && authority.forwardsPotentialFive) return { outcome: 'recognised', star: 4, potentialFiveStar: true }
  if (authority.recognises.includes(star)) return { outcome: 'recognised', star: star as 3 | 4 | 5, potentialFiveStar: false }
  if (star === 3 && authority.regime === 'QD148-no-districts') {
    return {
      outcome: 'refused',
      star,
      refusal: {
        slug: 'no-three-star-authority',
        in: 'body',
        pointer: '/decisionDate',
        detail: {
          vi: `từ ${NO_DISTRICTS_FROM} đến 2025-07-05 không hội đồng nào được công nhận 3 sao: cấp huyện đã chấm dứt và thẩm quyền công nhận 3 sao của thành phố bắt đầu từ ${TWO_TIER_FROM} (Quyết định 1489/QĐ-TTg)`,
          en: `from ${NO_DISTRICTS_FROM} to 2025-07-05 no council may recognise 3 stars: districts had ceased and the city's 3-star authority starts on ${TWO_TIER_FROM} (Decision 1489/QĐ-TTg)`
        }
      }
    }
  }
  const stars = authority.recognises.join(' and ')
  const may = stars ? `recognises ${stars} stars only` : 'recognises no stars (it checks dossiers and forwards them)'
  const mayVi = stars ? `chỉ công nhận ${authority.recognises.join(' và ')} sao` : 'không công nhận sao nào (chỉ kiểm tra hồ sơ và đề nghị lên trên)'
  const by = LEVELS.find((l) => recognitionAuthority(l, decisionDate).recognises.includes(star))
  return {
    outcome: 'refused',
    star,
    refusal: {
      slug: 'outside-authority',
      in: 'body',
      pointer: '/decisionDate',
      detail: {
        vi: `theo ${authority.regime}, ngày ${decisionDate} hội đồng cấp ${level} ${mayVi}; kết quả ${star} sao thuộc thẩm quyền ${by ? `hội đồng cấp ${by}` : 'không hội đồng nào'}`,
        en: `under ${authority.regime} on ${decisionDate} the ${level} council ${may}; a ${star}-star result is for the ${by ?? 'no'} council`
      }
    }
  }
}

/** What a decision's dates must respect, whatever the star (README, "Who decides what, when"). */
export function dateRefusals (d: {
  level: CouncilLevel
  decisionDate: string
  issuedOn: string
  today: string
  issueWindowDays: number
  criteriaSet: { key: string, usableFrom: string, usableUntil: string | null }
}): Refusal[] {
  const refusals: Refusal[] = []
  if (d.decisionDate > d.today) {
    refusals.push({ slug: 'decision-date-in-future', in: 'body', pointer: '/decisionDate', detail: { vi: `${d.decisionDate} sau ngày hôm nay (${d.today} theo giờ Hà Nội)`, en: `${d.decisionDate} is after today (${d.today} in Hanoi)` } })
  }
  const latestIssue = addDays(d.decisionDate, d.issueWindowDays)
  if (d.issuedOn < d.decisionDate || d.issuedOn > latestIssue) {
    refusals.push({
      slug: 'issue-date-outside-window',
      in: 'body',
      pointer: '/issuedOn',
      detail: {
        vi: `${d.issuedOn} không nằm giữa ngày quyết định ${d.decisionDate} và ${latestIssue} (${d.issueWindowDays} ngày, CERTIFICATE_ISSUE_WINDOW_DAYS)`,
        en: `${d.issuedOn} is not between the decision date ${d.decisionDate} and ${latestIssue} (${d.issueWindowDays} days, CERTIFICATE_ISSUE_WINDOW_DAYS)`
      }
    })
  }
  const set = d.criteriaSet
  if (d.decisionDate < set.usableFrom || (set.usableUntil !== null && d.decisionDate > set.usableUntil)) {
    refusals.push({
      slug: 'criteria-set-not-usable',
      in: 'body',
      pointer: '/decisionDate',
      detail: {
        vi: `${set.key} dùng cho quyết định ghi ngày từ ${set.usableFrom} đến ${set.usableUntil ?? 'nay'}, không phải ${d.decisionDate}`,
        en: `${set.key} is used for decisions dated ${set.usableFrom} to ${set.usableUntil ?? 'today'}, not ${d.decisionDate}`
      }
    })
  }
  if (d.level === 'district' && d.decisionDate >= NO_DISTRICTS_FROM) {
    refusals.push({
      slug: 'district-abolished',
      in: 'body',
      pointer: '/decisionDate',
      detail: {
        vi: `không quyết định cấp huyện nào được ghi ngày từ ${NO_DISTRICTS_FROM} trở đi; ${d.decisionDate} thì có`,
        en: `no district decision can be dated on or after ${NO_DISTRICTS_FROM}; ${d.decisionDate} is`
      }
    })
  }
  return refusals
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A certificate's last valid day: 36 months counted as the Civil Code counts them (arts. 147-148),
 * from the day after the issue date to the corresponding day of the last month, or that month's last
 * day when it has none. 2023-06-16 gives 2026-06-16 (lost on 2026-06-17); 2024-02-29 gives 2027-02-28.
 */
export function expiryDate (issueDate: string, months = 36): string {
  const [y, m, d] = issueDate.split('-').map(Number) as [number, number, number]
  const total = (y * 12 + (m - 1)) + months
  const year = Math.floor(total / 12)
  const month = total % 12 + 1
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${year}-${pad(month)}-${pad(Math.min(d, lastDay))}`
}

export interface ScoreCardPart { part: 'A' | 'B' | 'C', maxPoints: number, criteria: { code: string, maxPoints: number }[] }

/** What is wrong with a score card, as (JSON pointer, message) pairs: parts A, B and C adding up to 100, criteria to their part, unique codes. */
export function scoreCardErrors (parts: ScoreCardPart[]): RuleError[] {
  const errors: RuleError[] = []
  const names = parts.map((p) => p.part).sort().join('')
  if (names !== 'ABC') errors.push({ pointer: '/parts', detail: { vi: `phải gồm phần A, B và C, mỗi phần một lần, không phải ${names || 'không có phần nào'}`, en: `must be parts A, B and C once each, not ${names || 'none'}` } })
  const total = parts.reduce((sum, p) => sum + p.maxPoints, 0)
  if (total !== 100) errors.push({ pointer: '/parts', detail: { vi: `điểm tối đa các phần cộng lại là ${total}, không phải 100`, en: `part maxima add up to ${total}, not 100` } })
  const seen = new Set<string>()
  parts.forEach((p, i) => {
    const sum = Math.round(p.criteria.reduce((acc, c) => acc + c.maxPoints * 100, 0)) / 100
    if (sum !== p.maxPoints) errors.push({ pointer: `/parts/${i}/criteria`, detail: { vi: `điểm tối đa các tiêu chí cộng lại là ${sum}, không phải ${p.maxPoints} của phần`, en: `criteria maxima add up to ${sum}, not the part's ${p.maxPoints}` } })
    p.criteria.forEach((c, j) => {
      if (seen.has(c.code)) errors.push({ pointer: `/parts/${i}/criteria/${j}/code`, detail: { vi: `${c.code} bị dùng hai lần`, en: `${c.code} is used twice` } })
      seen.add(c.code)
    })
  })
  return errors
}

/** A mandatory criterion's minimum mean points per star level; null where it does not bind. */
export type MinimumPoints = Record<'3' | '4' | '5', number | null>

/** A criterion mandatory at a level binds every level above, with a minimum no lower, within its maximum. */
export function minimumPointsErrors (parts: { criteria: { maxPoints: number, minimumPoints: MinimumPoints }[] }[]): RuleError[] {
  return parts.flatMap((p, i) => p.criteria.flatMap((c, j) => {
    const at = `/parts/${i}/criteria/${j}/minimumPoints`
    const [m3, m4, m5] = [c.minimumPoints[3], c.minimumPoints[4], c.minimumPoints[5]]
    const errors: RuleError[] = []
    for (const [star, min] of [[3, m3], [4, m4], [5, m5]] as const) {
      if (min !== null && min > c.maxPoints) errors.push({ pointer: `${at}/${star}`, detail: { vi: `${min} vượt điểm tối đa ${c.maxPoints} của tiêu chí`, en: `${min} is above the criterion's maximum of ${c.maxPoints}` } })
    }
    if ((m3 !== null && (m4 === null || m4 < m3)) || (m4 !== null && (m5 === null || m5 < m4))) {
      errors.push({ pointer: at, detail: { vi: 'tiêu chí bắt buộc ở một hạng sao thì bắt buộc ở mọi hạng cao hơn, với mức tối thiểu không thấp hơn', en: 'a criterion mandatory at one star level is mandatory at every level above, with a minimum at least as high' } })
    }
    return errors
  }))
}
export interface CardCriterion { code: string, part: 'A' | 'B' | 'C', maxPoints: number, minimumPoints: MinimumPoints }

/**
 * Checks one member's points against the card and computes the part totals and the total. Every
 * criterion must be scored, none above its maximum, no unknown code; errors name the criterion.
 */
export function scoreSheet (card: CardCriterion[], points: Record<string, number>) {
  const errors: RuleError[] = []
  const known = new Map(card.map((c) => [c.code, c]))
  for (const code of Object.keys(points)) if (!known.has(code)) errors.push({ pointer: `/points/${code}`, detail: { vi: `${code} không phải là tiêu chí của bộ này`, en: `${code} is not a criterion of this set` } })
  for (const c of card) {
    const value = points[c.code]
    if (value === undefined) errors.push({ pointer: `/points/${c.code}`, detail: { vi: `thiếu ${c.code}: mọi tiêu chí đều phải được chấm`, en: `${c.code} is missing: every criterion is scored` } })
    else if (value > c.maxPoints) errors.push({ pointer: `/points/${c.code}`, detail: { vi: `${value} vượt điểm tối đa ${c.maxPoints} của ${c.code}`, en: `${value} is above the maximum of ${c.maxPoints} for ${c.code}` } })
  }
  const hundredths = { A: 0, B: 0, C: 0 }
  for (const c of card) hundredths[c.part] += Math.round((points[c.code] ?? 0) * 100)
  const partTotals = { A: hundredths.A / 100, B: hundredths.B / 100, C: hundredths.C / 100 }
  return { errors, partTotals, total: (hundredths.A + hundredths.B + hundredths.C) / 100 }
}

/**
 * Whether each star level's mandatory criteria are met: the members' mean points for every criterion
 * with a minimum at that level reach that minimum (data of the criteria set, adjustable).
 */
export function mandatoryMet (card: CardCriterion[], sheets: Record<string, number>[]): Record<'3' | '4' | '5', boolean> {
  const mean = (c: CardCriterion) => sheets.length ? sheets.reduce((sum, s) => sum + Math.round((s[c.code] ?? 0) * 100), 0) / sheets.length / 100 : 0
  const level = (star: '3' | '4' | '5') => card.every((c) => c.minimumPoints[star] === null || mean(c) >= c.minimumPoints[star]!)
  return { 3: level('3'), 4: level('4'), 5: level('5') }
}
