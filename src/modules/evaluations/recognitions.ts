import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { visibleRows, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit } from '../audit/service.ts'
import { overlapping } from '../reference/units.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { effectEnds, inForceOn, NOTICE_MIN_DAYS, noticeDeadline, noticeDueFrom, recognitionStatus } from './timeline.ts'
import { recognitions } from './tables.ts'

export interface RecognitionFilter {
  status?: 'in-force' | 'not-yet-in-force' | 'expired' | 'revoked' | 'superseded'
  star?: number
  level?: 'commune' | 'district' | 'city' | 'central'
  adminUnit?: string
  adminUnitList?: string
  expiresBefore?: string
  noticeDue?: boolean
  noticeOverdue?: boolean
  asOf: string
  limit: number
  cursor?: string
}

const r = recognitions
export type RecognitionRow = typeof recognitions.$inferSelect

/** A recognition as the API shows it, with its status and expiry notice on a day. */
export function presentRecognition ({ createdAt: _c, effectEndsOn: _e, ...row }: RecognitionRow, on: string, noticeLeadDays: number) {
  const deadline = noticeDeadline(row.expiresOn)
  const overdue = row.noticeSentOn !== null ? row.noticeSentOn > deadline : inForceOn(row, on) && on > deadline
  return { ...row, status: recognitionStatus(row, on), noticeDueFrom: noticeDueFrom(row.expiresOn, noticeLeadDays), noticeOverdue: overdue }
}

// The SQL side of the timeline (its TypeScript twin is timeline.ts). effect_ends_on is a generated
// column (migration 0019): the first day without effect, after expiry, revocation or supersession.
type Day = string | SQL | ReturnType<typeof sql.placeholder>
/** In force on a day: issued by then, and its effect has not ended. The one SQL condition every query uses. */
export const inForce = (on: Day) => sql`(${r.issuedOn} <= ${on}::date AND ${r.effectEndsOn} > ${on}::date)`
/** A 4-star forwarded for 5 stars and not yet reviewed by the central council on that day. */
export const potentialFiveOn = (on: Day) => sql`(${r.potentialFiveStar} AND (${r.reviewedOn} IS NULL OR ${r.reviewedOn} > ${on}::date))`
const ended = (on: Day) => sql`(${r.issuedOn} <= ${on}::date AND ${r.effectEndsOn} <= ${on}::date)`

function statusCondition (status: RecognitionFilter['status'], on: string): SQL | undefined {
  if (status === 'in-force') return inForce(on)
  if (status === 'not-yet-in-force') return sql`${r.issuedOn} > ${on}::date`
  // When two ends fall on one day, revocation names it, then supersession (as recognitionStatus).
  if (status === 'revoked') return sql`${ended(on)} AND ${r.revokedOn} = ${r.effectEndsOn}`
  if (status === 'superseded') return sql`${ended(on)} AND ${r.revokedOn} IS DISTINCT FROM ${r.effectEndsOn} AND ${r.supersededOn} = ${r.effectEndsOn}`
  if (status === 'expired') return sql`${ended(on)} AND ${r.revokedOn} IS DISTINCT FROM ${r.effectEndsOn} AND ${r.supersededOn} IS DISTINCT FROM ${r.effectEndsOn}`
  return undefined
}

/**
 * Recognitions with filters, soonest expiry first. Anonymous readers see those of published products.
 * `noticeDue` lists what needs the expiry notice: in force, within the lead time of its last valid day,
 * not yet notified; `noticeOverdue` those among them whose notice is late (fewer than 30 days remain).
 */
export async function listRecognitions (db: Db, filter: RecognitionFilter, principal: Principal, noticeLeadDays: number) {
  const after = decodeCursor(filter.cursor, ['date', 'uuid'])
  // Recognitions of unpublished products: for admins and councils, and operators of the product's units.
  const visible = visibleRows(principal, eq(products.status, 'active'), producers.adminUnitCode)
  const unnotified = sql`${inForce(filter.asOf)} AND ${r.noticeSentOn} IS NULL`
  const rows = await db.select({ recognition: r }).from(r)
    .innerJoin(products, eq(products.id, r.productId))
    .innerJoin(producers, eq(producers.id, products.producerId))
    .where(and(
      visible,
      statusCondition(filter.status, filter.asOf),
      filter.star ? eq(r.star, filter.star) : undefined,
      filter.level ? eq(r.issuingLevel, filter.level) : undefined,
      filter.adminUnit ? overlapping('unit', producers.adminUnitList, producers.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined,
      filter.expiresBefore ? sql`${r.expiresOn} < ${filter.expiresBefore}` : undefined,
      filter.noticeDue ? sql`${unnotified} AND ${r.expiresOn} <= (${filter.asOf}::date + ${noticeLeadDays}::int)` : undefined,
      filter.noticeOverdue ? sql`${unnotified} AND ${r.expiresOn} < (${filter.asOf}::date + ${NOTICE_MIN_DAYS}::int)` : undefined,
      after ? sql`(${r.expiresOn}, ${r.id}) > (${after[0]}::date, ${after[1]}::uuid)` : undefined
    )).orderBy(asc(r.expiresOn), asc(r.id)).limit(filter.limit + 1)
  const page = pageOf(rows.map((row) => row.recognition), filter.limit, (row) => [row.expiresOn, row.id])
  return { items: page.items.map((row) => presentRecognition(row, filter.asOf, noticeLeadDays)), nextCursor: page.nextCursor }
}

/** Records that the expiry notice was sent (once: the database refuses a second date). */
export async function recordNotice (db: Db, actor: Principal, id: string, sentOn: string, today: string, noticeLeadDays: number) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(r).where(eq(r.id, id)).for('update')
    if (!before) throw notFound('recognition', id)
    if (before.noticeSentOn) {
      throw conflict({ vi: `thông báo hết hạn của quyết định công nhận ${id} đã được ghi nhận ngày ${before.noticeSentOn}`, en: `the expiry notice of recognition ${id} was already recorded on ${before.noticeSentOn}` })
    }
    if (sentOn > before.expiresOn) {
      throw unprocessable({ vi: 'thông báo được gửi trước khi hết hạn', en: 'the notice comes before expiry' },
        [bodyField('sentOn', { vi: `sau ngày hiệu lực cuối cùng ${before.expiresOn}`, en: `is after the last valid day ${before.expiresOn}` })])
    }
    if (sentOn > today) {
      throw unprocessable({ vi: 'thông báo chỉ được ghi nhận khi đã gửi', en: 'a notice is recorded once sent' },
        [bodyField('sentOn', { vi: `sau ngày hôm nay (${today} theo giờ Hà Nội)`, en: `is after today (${today} in Hanoi)` })])
    }

    const [after] = await tx.update(r).set({ noticeSentOn: sentOn }).where(eq(r.id, id)).returning()
    const late = sentOn > noticeDeadline(before.expiresOn)
    await recordAudit(tx, actor, { entity: 'recognition', entityId: id, action: late ? 'notice (late)' : 'notice', changes: changesBetween({ noticeSentOn: null }, { noticeSentOn: sentOn }) })
    return presentRecognition(after!, today, noticeLeadDays)
  })
}

/**
 * SQL for a product's rating on a day, as JSON ({ star, certificateNumber, certificateExpiresOn,
 * potentialFiveStar }) or NULL: the recognition in force that day. For every query that shows a rating.
 */
export function ratingOnSql (productId: unknown, on: Day): SQL {
  return sql`(SELECT json_build_object('star', ${r.star}, 'certificateNumber', ${r.certificateNumber}, 'certificateExpiresOn', ${r.expiresOn}, 'potentialFiveStar', ${potentialFiveOn(on)})
    FROM ${r} WHERE ${inForceFor(productId, on)} LIMIT 1)`
}

/** The product's recognition in force on a day: what ratingOnSql shows and ratedOnSql filters on. */
const inForceFor = (productId: unknown, on: Day) => sql`${r.productId} = ${productId} AND ${inForce(on)}`

/**
 * Whether a product is rated on a day: it has the recognition in force that ratingOnSql shows, and,
 * given `star`, that recognition's star meets it. For filters: a condition on the rating's JSON is
 * evaluated product by product over the whole catalogue (0.1 s a page at 200,000 products), where this
 * one lets PostgreSQL join from the recognitions in force.
 */
export const ratedOnSql = (productId: unknown, on: Day, star?: (column: typeof r.star) => SQL): SQL =>
  sql`EXISTS (SELECT 1 FROM ${r} WHERE ${inForceFor(productId, on)}${star ? sql` AND ${star(r.star)}` : sql``})`

export type TimelineEventKind = 'recognised' | 'review-confirmed' | 'review-rejected' | 'notice-sent' | 'superseded' | 'revoked' | 'expired'
const ORDER: TimelineEventKind[] = ['expired', 'revoked', 'superseded', 'review-confirmed', 'review-rejected', 'recognised', 'notice-sent']

/**
 * A product's timeline as dated events, in order: each recognition, its central review, its notice, and
 * how its effect ended (superseded, revoked or expired, dated the first day without it), with the
 * decision reference of each.
 */
export function timelineEvents (rows: RecognitionRow[]) {
  const byId = new Map(rows.map((row) => [row.id, row]))
  const events = rows.flatMap((row) => {
    const base = { recognitionId: row.id, certificateNumber: row.certificateNumber, star: row.star }
    const list: { on: string, kind: TimelineEventKind, reference: string | null, recognitionId: string, certificateNumber: string, star: number }[] = [
      { ...base, on: row.issuedOn, kind: 'recognised', reference: row.decisionNumber }
    ]
    if (row.reviewedOn && row.reviewStatus !== 'pending') list.push({ ...base, on: row.reviewedOn, kind: row.reviewStatus === 'confirmed' ? 'review-confirmed' : 'review-rejected', reference: row.reviewReference })
    if (row.noticeSentOn) list.push({ ...base, on: row.noticeSentOn, kind: 'notice-sent', reference: null })
    const end = effectEnds(row)
    const status = recognitionStatus(row, end)
    const reference = status === 'revoked' ? row.revocationReference : status === 'superseded' ? byId.get(row.supersededBy ?? '')?.decisionNumber ?? null : null
    list.push({ ...base, on: end, kind: status as 'revoked' | 'superseded' | 'expired', reference })
    return list
  })
  return events.sort((a, b) => a.on.localeCompare(b.on) || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
}
