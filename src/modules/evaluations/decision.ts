import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import type { Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, ProblemError, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit } from '../audit/service.ts'
import type { Tx } from '../audit/service.ts'
import { syncListings } from '../listings/sync.ts'
import { getProduct } from '../products/service.ts'
import { products } from '../products/tables.ts'
import { inForce as inForceOn, presentRecognition } from './recognitions.ts'
import { decide, expiryDate, starForScore, type Star } from './rules.ts'
import type { DecisionCreateBody, EvaluationBody, RevocationCreateBody } from './schemas.ts'
import { transition } from './service.ts'
import { evaluations, recognitions } from './tables.ts'

type RecognitionRow = typeof recognitions.$inferSelect

/** The product's recognition in force on a date: issued, not expired, not revoked, not superseded. */
async function inForce (tx: Tx, productId: string, on: string): Promise<RecognitionRow | undefined> {
  const [row] = await tx.select().from(recognitions).where(and(eq(recognitions.productId, productId), inForceOn(on)))
    .orderBy(sql`${recognitions.issuedOn} DESC`).limit(1)
  return row
}

/**
 * Decides a scored evaluation: the star its score and mandatory criteria earn, within the authority of
 * its council level on the decision date. 1-2 stars are recorded; 3-5 stars create a recognition that
 * supersedes the one in force; a city 90+ is recognised as 4 stars and forwarded (potential 5-star);
 * a central evaluation of a forwarded product confirms 5 stars or rejects the review.
 */
export async function decideEvaluation (db: Db, actor: Principal, id: string, input: DecisionCreateBody, today: string) {
  const decided = await transition(db, actor, id, 'decide', async (row, tx) => {
    if (row.status !== 'scored') throw conflict(`evaluation ${id} is ${row.status}: only a scored evaluation can be decided`)
    const met = row.mandatoryMet ?? { 3: false, 4: false, 5: false }
    const star = starForScore(Number(row.score), (s) => met[String(s) as '3' | '4' | '5'])
    const issuedOn = input.issuedOn ?? input.decisionDate
    const current = await inForce(tx, row.productId!, issuedOn)
    const record = (s: Star) => tx.update(evaluations).set({ status: 'decided', star: s, decisionNumber: input.decisionNumber, decisionDate: input.decisionDate, updatedAt: sql`now()` }).where(eq(evaluations.id, id))

    // A central review of a potential 5-star that does not reach 5 stars: the 4-star recognition stands.
    if (row.councilLevel === 'central' && current?.reviewStatus === 'pending' && star < 5) {
      await tx.update(recognitions).set({ reviewStatus: 'rejected' }).where(eq(recognitions.id, current.id))
      await tx.update(products).set({ potentialFiveStar: false, updatedAt: sql`now()` }).where(eq(products.id, row.productId!))
      await record(star)
      await syncListings(tx, [row.productId!], today)
      return { outcome: 'review-rejected' as const, recognition: null }
    }
    const decision = decide(star, row.councilLevel!, input.decisionDate)
    if (decision.outcome === 'refused') throw unprocessable(decision.reason)
    if (decision.outcome === 'recorded') {
      await record(decision.star)
      return { outcome: 'recorded' as const, recognition: null }
    }
    if (!input.certificateNumber) throw unprocessable(`a ${decision.star}-star result is recognised: the decision needs a certificate number`, [bodyField('certificateNumber', 'is required when the result is recognised')])
    const [created] = await tx.insert(recognitions).values({
      productId: row.productId!,
      evaluationId: id,
      decisionNumber: input.decisionNumber,
      decisionDate: input.decisionDate,
      issuingLevel: row.councilLevel!,
      star: decision.star,
      certificateNumber: input.certificateNumber,
      issuedOn,
      expiresOn: expiryDate(issuedOn),
      potentialFiveStar: decision.potentialFiveStar,
      reviewStatus: decision.potentialFiveStar ? 'pending' : null
    }).returning()
    if (current) {
      await tx.update(recognitions).set({
        supersededBy: created!.id,
        supersededOn: issuedOn,
        ...(current.reviewStatus === 'pending' && row.councilLevel === 'central' ? { reviewStatus: 'confirmed' as const } : {})
      }).where(eq(recognitions.id, current.id))
    }
    // The product shows the recognition in force (expiry is applied by the daily job of the sync module).
    await tx.update(products).set({
      currentStar: decision.star, certificateNumber: input.certificateNumber, certificateExpiresOn: created!.expiresOn, potentialFiveStar: decision.potentialFiveStar, updatedAt: sql`now()`
    }).where(eq(products.id, row.productId!))
    await record(decision.star)
    await syncListings(tx, [row.productId!], today)
    return { outcome: 'recognised' as const, recognition: presentRecognition(created!, today) }
  })
  const { result, ...evaluation } = decided
  return { evaluation: evaluation as EvaluationBody, ...result }
}

/** Every recognition of a product, oldest first: nothing is overwritten, so this is its whole history. */
export async function productRecognitions (db: Db, productId: string, principal: Principal, today: string) {
  await getProduct(db, productId, principal, today) // 404 for a product the principal may not see
  const rows = await db.select().from(recognitions).where(eq(recognitions.productId, productId)).orderBy(asc(recognitions.issuedOn), asc(recognitions.createdAt))
  return { items: rows.map((row) => presentRecognition(row, today)) }
}

/**
 * Ends a recognition early. The record stays, with the decision reference, date and reason; when it is
 * the product's recognition in force, the product loses its rating from that date.
 */
export async function revokeRecognition (db: Db, actor: Principal, id: string, input: RevocationCreateBody, today: string) {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(recognitions).where(eq(recognitions.id, id)).for('update')
    if (!before) throw notFound('recognition', id)
    if (actor.role === 'council' && actor.councilLevel !== before.issuingLevel) {
      throw new ProblemError(403, 'forbidden', 'Forbidden', `This key acts for the ${actor.councilLevel} council; the recognition was issued by the ${before.issuingLevel} council`)
    }
    if (before.revokedOn) throw conflict(`recognition ${id} was already revoked on ${before.revokedOn}`)
    if (input.revokedOn < before.issuedOn) throw unprocessable('revokedOn is before the issue date', [bodyField('revokedOn', `is before the issue date ${before.issuedOn}`)])
    const [after] = await tx.update(recognitions).set({ revokedOn: input.revokedOn, revocationReference: input.decisionReference, revocationReason: input.reason }).where(eq(recognitions.id, id)).returning()
    const [product] = await tx.select({ certificateNumber: products.certificateNumber }).from(products).where(eq(products.id, before.productId))
    // A revocation dated ahead takes effect on its date: the scheduled job clears the rating then.
    if (product?.certificateNumber === before.certificateNumber && input.revokedOn <= today) {
      await tx.update(products).set({ currentStar: null, certificateNumber: null, certificateExpiresOn: null, potentialFiveStar: false, updatedAt: sql`now()` }).where(eq(products.id, before.productId))
    }
    await syncListings(tx, [before.productId], today)
    await recordAudit(tx, actor, { entity: 'recognition', entityId: id, action: 'revoke', changes: changesBetween(presentRecognition(before, today), presentRecognition(after!, today)) })
    return presentRecognition(after!, today)
  })
}
