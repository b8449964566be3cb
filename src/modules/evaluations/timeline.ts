// The certificate timeline for rows in hand: what is in force on a day (../README.md, "The certificate
// timeline"). Its SQL twin is the generated column recognitions.effective (migration 0019) and the
// conditions in recognitions.ts built on it; test/modules/evaluations/timeline-property.test.ts proves
// the two agree over generated histories. Pure: no I/O.
import { addDays } from '../../lib/clock.ts'

export interface TimelineRow {
  id: string
  issuedOn: string
  /** The last day of validity. */
  expiresOn: string
  revokedOn: string | null
  supersededOn: string | null
  potentialFiveStar: boolean
  reviewedOn: string | null
  createdAt?: string
}

export type RecognitionStatus = 'in-force' | 'not-yet-in-force' | 'expired' | 'revoked' | 'superseded'

/**
 * The first day the recognition no longer has effect: the day after its last valid day, its revocation
 * or its supersession, whichever comes first. Its period of effect is [issuedOn, end).
 */
export function effectEnds (r: TimelineRow): string {
  return [addDays(r.expiresOn, 1), r.revokedOn, r.supersededOn].filter((d): d is string => d !== null).sort()[0]!
}

/** In force on a day: issued by then, and its effect has not ended. */
export const inForceOn = (r: TimelineRow, day: string): boolean => r.issuedOn <= day && day < effectEnds(r)

/** Forwarded for 5 stars and not yet reviewed by the central council on that day. */
export const potentialFiveOn = (r: TimelineRow, day: string): boolean => r.potentialFiveStar && (r.reviewedOn === null || r.reviewedOn > day)

/** A recognition's status on a day; when two ends fall on one day, revocation, then supersession, names it. */
export function recognitionStatus (r: TimelineRow, day: string): RecognitionStatus {
  if (r.issuedOn > day) return 'not-yet-in-force'
  const end = effectEnds(r)
  if (day < end) return 'in-force'
  if (r.revokedOn === end) return 'revoked'
  if (r.supersededOn === end) return 'superseded'
  return 'expired'
}

export type Standing<R extends TimelineRow> =
  | { inForce: R, last: R, reason: null, since: null }
  | { inForce: null, last: R | null, reason: 'never-recognised' | 'not-yet-recognised' | 'expired' | 'revoked', since: string | null }

const newestFirst = (a: TimelineRow, b: TimelineRow) => a.issuedOn === b.issuedOn ? (b.createdAt ?? '').localeCompare(a.createdAt ?? '') : b.issuedOn.localeCompare(a.issuedOn)

/**
 * A product's standing on a day from its whole history: the recognition in force, or why there is none
 * (never recognised, not yet, or the latest recognition issued by then expired or was revoked, since
 * the first day without the mark).
 */
export function standingOn<R extends TimelineRow> (history: R[], day: string): Standing<R> {
  if (!history.length) return { inForce: null, last: null, reason: 'never-recognised', since: null }
  const issued = history.filter((r) => r.issuedOn <= day).sort(newestFirst)
  const inForce = issued.find((r) => inForceOn(r, day))
  if (inForce) return { inForce, last: issued[0]!, reason: null, since: null }
  const last = issued[0]
  if (!last) return { inForce: null, last: null, reason: 'not-yet-recognised', since: null }
  const status = recognitionStatus(last, day)
  return { inForce: null, last, reason: status === 'revoked' ? 'revoked' : 'expired', since: effectEnds(last) }
}

/** The certificate's last day of the mark, counting revocation but not a later supersession (the product keeps the mark across it). */
export const validThrough = (r: TimelineRow): string => addDays([addDays(r.expiresOn, 1), r.revokedOn].filter((d): d is string => d !== null).sort()[0]!, -1)

/** Notices: due from `leadDays` before the last valid day; late once fewer than 30 days remain (README, "The certificate timeline"). */
export const NOTICE_MIN_DAYS = 30
export const noticeDueFrom = (expiresOn: string, leadDays: number) => addDays(expiresOn, -leadDays)
export const noticeDeadline = (expiresOn: string) => addDays(expiresOn, -NOTICE_MIN_DAYS)
