import { randomUUID } from 'node:crypto'
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import type { TimelineSettings } from '../../config.ts'
import type { Db } from '../../db/client.ts'
import type { Principal } from '../../lib/principal.ts'
import { bodyField, conflict, forbidden, notFound, ProblemError, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit } from '../audit/service.ts'
import type { Tx } from '../audit/service.ts'
import { getProduct } from '../products/service.ts'
import { products } from '../products/tables.ts'
import { inForce, presentRecognition, timelineEvents, type RecognitionRow } from './recognitions.ts'
import { dateRefusals, decide, expiryDate, starForScore, type Refusal } from './rules.ts'
import type { DecisionCreateBody, EvaluationBody, RevocationCreateBody } from './schemas.ts'
import { transition } from './service.ts'
import { criteriaSets, evaluations, recognitions, scoreSheets } from './tables.ts'
import { effectEnds } from './timeline.ts'
import { joinText } from '../../lib/i18n.ts'

/** A 422 for the rules a decision breaks: the first names the problem type, every one is listed by field. */
function refused (refusals: Refusal[]): ProblemError {
  const [first] = refusals
  return new ProblemError(422, first!.slug, joinText(refusals.map((r) => r.detail)), {
    errors: refusals.map((r) => ({ in: r.in, pointer: r.pointer, detail: { vi: `${r.detail.vi} (/problems/${r.slug})`, en: `${r.detail.en} (/problems/${r.slug})` } }))
  })
}

/**
 * Decisions, revocations and review outcomes on one product take its row lock first, so they are
 * applied one after another and each sees the timeline the previous one left.
 */
export async function lockTimeline (tx: Tx, productId: string): Promise<void> {
  await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update')
}

/** The product's recognition in force on a day (at most one: constraint recognitions_one_in_force). */
async function inForceOn (tx: Tx, productId: string, on: string): Promise<RecognitionRow | undefined> {
  const [row] = await tx.select().from(recognitions).where(and(eq(recognitions.productId, productId), inForce(on))).limit(1)
  return row
}

/**
 * Puts a new recognition into the product's timeline (README, "Decisions entered out of order"): it
 * takes effect on its issue date and supersedes the recognition in force that day; when a later
 * recognition is already recorded, the new one yields to it on that one's issue date. A recognition
 * already superseded is never shortened again (its supersession is recorded once): a decision that
 * would need that is refused with 409.
 */
export async function appendToTimeline (tx: Tx, values: Omit<typeof recognitions.$inferInsert, 'id' | 'supersededBy' | 'supersededOn'>, confirmsReview: boolean) {
  const id = randomUUID()
  const current = await inForceOn(tx, values.productId, values.issuedOn)
  if (current?.supersededOn) {
    const { certificateNumber: number, supersededOn } = current
    throw new ProblemError(409, 'out-of-order', {
      vi: `giấy chứng nhận ${number} có hiệu lực ngày ${values.issuedOn} và đã được thay thế ngày ${supersededOn}: không thể thêm quyết định cấp trước lần thay thế đó`,
      en: `certificate ${number} was in force on ${values.issuedOn} and was already superseded on ${supersededOn}: a decision issued before that supersession cannot be added`
    }, {
      errors: [bodyField('issuedOn', { vi: `rơi vào thời hạn của giấy chứng nhận ${number}, đã được thay thế ngày ${supersededOn}`, en: `falls within certificate ${number}, already superseded on ${supersededOn}` })]
    })
  }
  const [next] = await tx.select().from(recognitions).where(and(eq(recognitions.productId, values.productId), gt(recognitions.issuedOn, values.issuedOn)))
    .orderBy(asc(recognitions.issuedOn), asc(recognitions.createdAt)).limit(1)
  const yieldsTo = next && next.issuedOn <= values.expiresOn ? next : undefined
  if (current) {
    // Ended first, then the new one inserted: at no point do two periods of one product overlap.
    await tx.update(recognitions).set({
      supersededBy: id,
      supersededOn: values.issuedOn,
      ...(confirmsReview && current.reviewStatus === 'pending' ? { reviewStatus: 'confirmed' as const, reviewedOn: values.decisionDate, reviewReference: values.decisionNumber } : {})
    }).where(eq(recognitions.id, current.id))
  }
  const [created] = await tx.insert(recognitions).values({ ...values, id, supersededBy: yieldsTo?.id ?? null, supersededOn: yieldsTo?.issuedOn ?? null }).returning()
  return created!
}

/**
 * Decides a scored evaluation: the star its score and mandatory criteria earn, within the authority of
 * its council level on the decision date, with the dates and quorum the rules ask (README, "Who decides
 * what, when"). 1-2 stars are recorded; 3-5 stars create a recognition in the product's timeline; a city
 * 90+ is recognised as 4 stars and forwarded (potential 5-star); a central evaluation of a forwarded
 * product confirms 5 stars or rejects the review.
 */
export async function decideEvaluation (db: Db, actor: Principal, id: string, input: DecisionCreateBody, today: string, settings: TimelineSettings) {
  const decided = await transition(db, actor, id, 'decide', async (row, tx) => {
    if (row.status !== 'scored') {
      throw conflict({ vi: `hồ sơ đánh giá ${id} đang ở trạng thái ${row.status}: chỉ quyết định được hồ sơ đã chấm điểm`, en: `evaluation ${id} is ${row.status}: only a scored evaluation can be decided` })
    }

    const productId = row.productId!
    const level = row.councilLevel!
    await lockTimeline(tx, productId)
    const [set] = await tx.select().from(criteriaSets).where(eq(criteriaSets.key, row.criteriaSet!))
    const [{ sheets }] = await tx.select({ sheets: sql<number>`count(*)::int` }).from(scoreSheets).where(eq(scoreSheets.evaluationId, id)) as [{ sheets: number }]
    if (Number(sheets) < set!.quorum) {
      throw new ProblemError(409, 'quorum-not-met', {
        vi: `hồ sơ đánh giá ${id} có ${sheets} phiếu chấm; hội đồng quyết định theo ${set!.key} cần ít nhất ${set!.quorum}`,
        en: `evaluation ${id} has ${sheets} score sheet(s); a council deciding under ${set!.key} needs at least ${set!.quorum}`
      })
    }
    const issuedOn = input.issuedOn ?? input.decisionDate
    const dates = dateRefusals({ level, decisionDate: input.decisionDate, issuedOn, today, issueWindowDays: settings.issueWindowDays, criteriaSet: set! })
    if (dates.length) throw refused(dates)
    const met = row.mandatoryMet ?? { 3: false, 4: false, 5: false }
    const star = starForScore(Number(row.score), (s) => met[String(s) as '3' | '4' | '5'])
    const record = (s: number) => tx.update(evaluations).set({ status: 'decided', star: s, decisionNumber: input.decisionNumber, decisionDate: input.decisionDate, updatedAt: sql`now()` }).where(eq(evaluations.id, id))

    // The central council decides only on a product the city forwarded and it has not reviewed yet.
    if (level === 'central') {
      const forwarded = await inForceOn(tx, productId, input.decisionDate)
      if (forwarded?.reviewStatus !== 'pending') {
        throw refused([{
          slug: 'no-pending-forward',
          in: 'path',
          pointer: '/id',
          detail: {
            vi: `ngày ${input.decisionDate} sản phẩm ${productId} không có công nhận 4 sao do thành phố đề nghị đang chờ trung ương xem xét: hội đồng trung ương không tự công nhận sản phẩm`,
            en: `on ${input.decisionDate} product ${productId} holds no 4-star recognition forwarded by the city and awaiting central review: the central council never recognises a product on its own initiative`
          }
        }])
      }
      if (star < 5) {
        // Not confirmed: the 4-star recognition stands, no longer potential 5-star from this date.
        await tx.update(recognitions).set({ reviewStatus: 'rejected', reviewedOn: input.decisionDate, reviewReference: input.decisionNumber }).where(eq(recognitions.id, forwarded.id))
        await record(star)
        return { outcome: 'review-rejected' as const, recognition: null }
      }
    }
    const decision = decide(star, level, input.decisionDate)
    if (decision.outcome === 'refused') throw refused([decision.refusal])
    if (decision.outcome === 'recorded') {
      await record(decision.star)
      return { outcome: 'recorded' as const, recognition: null }
    }
    if (!input.certificateNumber) {
      throw unprocessable({ vi: `kết quả ${decision.star} sao được công nhận: quyết định cần số giấy chứng nhận`, en: `a ${decision.star}-star result is recognised: the decision needs a certificate number` },
        [bodyField('certificateNumber', { vi: 'là bắt buộc khi kết quả được công nhận', en: 'is required when the result is recognised' })])
    }
    const created = await appendToTimeline(tx, {
      productId,
      evaluationId: id,
      decisionNumber: input.decisionNumber,
      decisionDate: input.decisionDate,
      issuingLevel: level,
      star: decision.star,
      certificateNumber: input.certificateNumber,
      issuedOn,
      expiresOn: expiryDate(issuedOn),
      potentialFiveStar: decision.potentialFiveStar,
      reviewStatus: decision.potentialFiveStar ? 'pending' : null
    }, level === 'central')
    await record(decision.star)
    return { outcome: 'recognised' as const, recognition: presentRecognition(created, today, settings.noticeLeadDays) }
  })
  const { result, ...evaluation } = decided
  return { evaluation: evaluation as EvaluationBody, ...result }
}

/** Every recognition of a product in issue order, and the timeline's dated events: its whole history. */
export async function productRecognitions (db: Db, productId: string, principal: Principal, today: string, settings: TimelineSettings) {
  await getProduct(db, productId, principal, today) // 404 for a product the principal may not see
  const rows = await db.select().from(recognitions).where(eq(recognitions.productId, productId)).orderBy(asc(recognitions.issuedOn), asc(recognitions.createdAt))
  return { items: rows.map((row) => presentRecognition(row, today, settings.noticeLeadDays)), events: timelineEvents(rows) }
}

/**
 * Ends a recognition early, from `revokedOn` (which may be ahead: it takes effect on its date). The
 * record stays, with the decision reference, date and reason. A recognition whose effect ended before
 * that date has nothing left to revoke (409).
 */
export async function revokeRecognition (db: Db, actor: Principal, id: string, input: RevocationCreateBody, today: string, settings: TimelineSettings) {
  return db.transaction(async (tx) => {
    const [target] = await tx.select({ productId: recognitions.productId }).from(recognitions).where(eq(recognitions.id, id))
    if (!target) throw notFound('recognition', id)
    await lockTimeline(tx, target.productId)
    const [before] = await tx.select().from(recognitions).where(eq(recognitions.id, id)).for('update')
    if (actor.role === 'council' && before!.source === 'external') {
      throw unprocessable({ vi: `quyết định công nhận ${id} do ${before!.issuingBody} cấp: hội đồng của Hà Nội không quyết định về công nhận của tỉnh khác`, en: `recognition ${id} was issued by ${before!.issuingBody}: Hanoi's councils do not decide on another province's recognitions` })
    }
    if (actor.role === 'council' && actor.councilLevel !== before!.issuingLevel) {
      throw forbidden({
        vi: `Khóa này thuộc hội đồng cấp ${actor.councilLevel}; quyết định công nhận do hội đồng cấp ${before!.issuingLevel} cấp`,
        en: `This key acts for the ${actor.councilLevel} council; the recognition was issued by the ${before!.issuingLevel} council`
      })
    }
    if (before!.revokedOn) throw conflict({ vi: `quyết định công nhận ${id} đã bị thu hồi ngày ${before!.revokedOn}`, en: `recognition ${id} was already revoked on ${before!.revokedOn}` })
    if (input.revokedOn < before!.issuedOn) {
      throw unprocessable({ vi: 'revokedOn trước ngày cấp', en: 'revokedOn is before the issue date' },
        [bodyField('revokedOn', { vi: `trước ngày cấp ${before!.issuedOn}`, en: `is before the issue date ${before!.issuedOn}` })])
    }
    const ends = effectEnds(before!)
    if (input.revokedOn >= ends) {
      throw conflict({ vi: `quyết định công nhận ${id} không còn hiệu lực vào ngày ${input.revokedOn}: đã kết thúc ngày ${ends}`, en: `recognition ${id} has no effect left on ${input.revokedOn}: it ended on ${ends}` },
        [bodyField('revokedOn', { vi: `vào hoặc sau ${ends}, ngày đầu tiên không còn công nhận này`, en: `is on or after ${ends}, the first day without this recognition` })])
    }

    const [after] = await tx.update(recognitions).set({ revokedOn: input.revokedOn, revocationReference: input.decisionReference, revocationReason: input.reason }).where(eq(recognitions.id, id)).returning()
    await recordAudit(tx, actor, { entity: 'recognition', entityId: id, action: 'revoke', changes: changesBetween(presentRecognition(before!, today, settings.noticeLeadDays), presentRecognition(after!, today, settings.noticeLeadDays)) })
    return presentRecognition(after!, today, settings.noticeLeadDays)
  })
}
