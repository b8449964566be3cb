import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import type { Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit } from '../audit/service.ts'
import { unitAndSuccessors } from '../producers/service.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { noticeDueFrom, recognitionStatus } from './rules.ts'
import { recognitions } from './tables.ts'

export interface RecognitionFilter {
  status?: 'in-force' | 'expired' | 'revoked' | 'superseded'
  star?: number
  level?: 'commune' | 'district' | 'city' | 'central'
  adminUnit?: string
  expiresBefore?: string
  noticeDue?: boolean
  asOf: string
  limit: number
  cursor?: string
}

const r = recognitions

/** A recognition as the API shows it, with its status on a day. */
export const presentRecognition = ({ createdAt: _c, ...row }: typeof recognitions.$inferSelect, on: string) => ({ ...row, status: recognitionStatus(row, on) })
// A recognition's state on a day, in the order the rules apply: revoked, superseded, expired, in force.
type Day = string | SQL
const revoked = (on: Day) => sql`(${r.revokedOn} IS NOT NULL AND ${r.revokedOn} <= ${on})`
const superseded = (on: Day) => sql`(${r.supersededOn} IS NOT NULL AND ${r.supersededOn} <= ${on})`
const expired = (on: Day) => sql`(${r.expiresOn} <= ${on})`
/** In force on a day: issued, and not expired, revoked or superseded. */
export const inForce = (on: Day) => sql`(${r.issuedOn} <= ${on} AND NOT ${expired(on)} AND NOT ${revoked(on)} AND NOT ${superseded(on)})`

function statusCondition (status: RecognitionFilter['status'], on: string): SQL | undefined {
  if (status === 'revoked') return revoked(on)
  if (status === 'superseded') return sql`${superseded(on)} AND NOT ${revoked(on)}`
  if (status === 'expired') return sql`${expired(on)} AND NOT ${revoked(on)} AND NOT ${superseded(on)}`
  if (status === 'in-force') return inForce(on)
  return undefined
}

/**
 * Recognitions with filters, soonest expiry first. Anonymous readers see those of published products.
 * `noticeDue` lists what needs the 30-day notice: in force, expiring within 30 days, not yet notified.
 */
export async function listRecognitions (db: Db, filter: RecognitionFilter, principal: Principal) {
  const after = decodeCursor(filter.cursor, 2)
  const staff = principal.role === 'admin' || principal.role === 'council' || principal.role === 'operator'
  const rows = await db.select({ recognition: r }).from(r)
    .innerJoin(products, eq(products.id, r.productId))
    .innerJoin(producers, eq(producers.id, products.producerId))
    .where(and(
      staff ? undefined : eq(products.status, 'active'),
      statusCondition(filter.status, filter.asOf),
      filter.star ? eq(r.star, filter.star) : undefined,
      filter.level ? eq(r.issuingLevel, filter.level) : undefined,
      filter.adminUnit ? unitAndSuccessors(producers.adminUnitCode, filter.adminUnit) : undefined,
      filter.expiresBefore ? sql`${r.expiresOn} < ${filter.expiresBefore}` : undefined,
      filter.noticeDue ? sql`${inForce(filter.asOf)} AND ${r.noticeSentOn} IS NULL AND ${r.expiresOn} <= (${filter.asOf}::date + 30)` : undefined,
      after ? sql`(${r.expiresOn}, ${r.id}) > (${after[0]}::date, ${after[1]}::uuid)` : undefined
    )).orderBy(asc(r.expiresOn), asc(r.id)).limit(filter.limit + 1)
  const page = pageOf(rows.map((row) => row.recognition), filter.limit, (row) => [row.expiresOn, row.id])
  return { items: page.items.map((row) => presentRecognition(row, filter.asOf)), nextCursor: page.nextCursor }
}

/** Records that the 30-day expiry notice was sent. */
export async function recordNotice (db: Db, actor: Principal, id: string, sentOn: string, today: string) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(r).where(eq(r.id, id)).for('update')
    if (!before) throw notFound('recognition', id)
    if (before.noticeSentOn) throw conflict(`the expiry notice of recognition ${id} was already recorded on ${before.noticeSentOn}`)
    if (sentOn >= before.expiresOn) throw unprocessable('the notice comes before expiry', [bodyField('sentOn', `is not before the expiry date ${before.expiresOn}`)])
    const [after] = await tx.update(r).set({ noticeSentOn: sentOn }).where(eq(r.id, id)).returning()
    const late = sentOn > noticeDueFrom(before.expiresOn)
    await recordAudit(tx, actor, { entity: 'recognition', entityId: id, action: late ? 'notice (late)' : 'notice', changes: changesBetween({ noticeSentOn: null }, { noticeSentOn: sentOn }) })
    return presentRecognition(after!, today)
  })
}

/**
 * SQL for a product's rating on a day, as JSON ({ star, certificateNumber, certificateExpiresOn,
 * potentialFiveStar }) or NULL: the recognition in force that day (issued, not expired, revoked or
 * superseded). For other modules' queries that answer "as of" a date.
 */
export function ratingOnSql (productId: unknown, on: Day): SQL {
  return sql`(SELECT json_build_object('star', ${r.star}, 'certificateNumber', ${r.certificateNumber}, 'certificateExpiresOn', ${r.expiresOn}, 'potentialFiveStar', ${r.potentialFiveStar} AND ${r.reviewStatus} IS NOT DISTINCT FROM 'pending')
    FROM ${r} WHERE ${r.productId} = ${productId} AND ${inForce(on)} ORDER BY ${r.issuedOn} DESC LIMIT 1)`
}
