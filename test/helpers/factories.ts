import type { DbHandle } from '../../src/db/client.ts'
import { anonymous, type Principal } from '../../src/lib/principal.ts'
import { createProducer } from '../../src/modules/producers/service.ts'
import type { ProducerCreateBody } from '../../src/modules/producers/schemas.ts'
import { createProduct } from '../../src/modules/products/service.ts'
import type { ProductCreateBody } from '../../src/modules/products/schemas.ts'
import { createVillage } from '../../src/modules/villages/service.ts'
import { addScoreSheet, createEvaluation, submitEvaluation } from '../../src/modules/evaluations/service.ts'
import { decideEvaluation } from '../../src/modules/evaluations/decision.ts'
import type { CraftVillageCreateBody } from '../../src/modules/villages/schemas.ts'
import { createVenue } from '../../src/modules/venues/service.ts'
import type { VenueCreateBody } from '../../src/modules/venues/schemas.ts'

const system: Principal = { ...anonymous('test-factory'), role: 'admin', keyName: 'test factory' }
let n = 0

export async function makeVillage (db: DbHandle, input: Partial<CraftVillageCreateBody> = {}) {
  return createVillage(db.db, system, { name: `Làng nghề ${++n}`, adminUnitCode: '018', trade: 'Gốm sứ', ...input })
}

export async function makeProducer (db: DbHandle, input: Partial<ProducerCreateBody> = {}) {
  return createProducer(db.db, system, { name: `Hợp tác xã ${++n}`, type: 'cooperative', address: 'Hà Nội', adminUnitCode: '018', registeredOn: '2024-01-15', ...input }, new Date())
}

export async function makeProduct (db: DbHandle, input: Partial<ProductCreateBody> = {}) {
  const producerId = input.producerId ?? (await makeProducer(db)).id
  return createProduct(db.db, system, { producerId, nameVi: `Sản phẩm ${++n}`, group148: '1.3', ...input }, '2026-11-23')
}

/** Points for every criterion of the shipped QD148-2023 card, at its maximum (a total of 100). */
export const FULL_MARKS: Record<string, number> = { A1: 10, A2: 5, A3: 10, A4: 10, A5: 5, B1: 10, B2: 10, B3: 5, C1: 10, C2: 10, C3: 10, C4: 5 }

export async function makeEvaluation (db: DbHandle, options: { productId?: string, councilLevel?: 'commune' | 'district' | 'city' | 'central', criteriaSet?: string, submit?: boolean, sheet?: Record<string, number>, sheets?: number } = {}) {
  const productId = options.productId ?? (await makeProduct(db, { status: 'active' })).id
  const evaluation = await createEvaluation(db.db, system, { productId, criteriaSet: options.criteriaSet ?? 'QD148-2023', councilLevel: options.councilLevel ?? 'city', round: { year: 2026, batch: 1 } })
  if (!options.submit && !options.sheet) return evaluation
  const submitted = await submitEvaluation(db.db, system, evaluation.id)
  if (!options.sheet) return submitted
  // The shipped criteria sets need three sheets (their quorum) before a decision.
  let scored = submitted
  for (let member = 1; member <= (options.sheets ?? 3); member++) scored = await addScoreSheet(db.db, system, evaluation.id, { memberName: `Thành viên hội đồng ${member}`, points: options.sheet })
  return scored
}

/** The timeline settings' defaults (EXPIRY_NOTICE_LEAD_DAYS, CERTIFICATE_ISSUE_WINDOW_DAYS). */
export const TIMELINE = { noticeLeadDays: 45, issueWindowDays: 30 }

let certificates = 0

/** A city recognition (4 stars, potential 5) of a new active product; returns its id. */
export async function makeRecognition (db: DbHandle, productId?: string): Promise<string> {
  const evaluation = await makeEvaluation(db, { productId, sheet: FULL_MARKS })
  const decided = await decideEvaluation(db.db, system, evaluation.id, { decisionNumber: 'QĐ-test', decisionDate: '2026-03-10', certificateNumber: `HN-TEST-${process.pid}-${++certificates}-${Math.random()}` }, '2026-11-23', TIMELINE)
  return decided.recognition!.id
}

/** `count` active products, each with a city recognition (makeRecognition), made one after another; returns their ids. */
export async function makeRecognisedProducts (db: DbHandle, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const product = await makeProduct(db, { status: 'active' })
    await makeRecognition(db, product.id)
    ids.push(product.id)
  }
  return ids
}

/** An open venue in Gia Lâm (018), opened 2024-01-15, open Monday to Saturday 08:00-17:30. */
export async function makeVenue (db: DbHandle, input: Partial<VenueCreateBody> = {}) {
  const hours = { opens: '08:00', closes: '17:30' }
  return createVenue(db.db, system, {
    name: `Điểm giới thiệu và bán sản phẩm OCOP ${++n}`,
    type: 'point_of_sale',
    locationKind: 'craft_village_area',
    address: 'Bát Tràng, Gia Lâm, Hà Nội',
    adminUnitCode: '018',
    latitude: 20.9758,
    longitude: 105.9127,
    status: 'open',
    openedOn: '2024-01-15',
    openingHours: { mon: [hours], tue: [hours], wed: [hours], thu: [hours], fri: [hours], sat: [hours] },
    ...input
  }, '2026-11-23')
}

/**
 * A recognition written straight into the table (its evaluation a draft), for tests that need a history
 * the decision rules would not produce on today's date. The table stays append-only: nothing is rewritten.
 */
export async function insertRecognition (db: DbHandle, productId: string, r: { star: number, issuedOn: string, expiresOn: string, level?: string, potential?: boolean, reviewStatus?: 'pending' | 'confirmed' | 'rejected', reviewedOn?: string, revokedOn?: string, supersededOn?: string, certificateNumber?: string }): Promise<string> {
  const evaluation = await makeEvaluation(db, { productId })
  const [row] = await db.query<{ id: string }>(`INSERT INTO recognitions (product_id, evaluation_id, decision_number, decision_date, issuing_level, star, certificate_number, issued_on, expires_on,
      potential_five_star, review_status, reviewed_on, revoked_on, revocation_reference, superseded_on)
    VALUES ($1, $2, 'QĐ-test', $3, $4, $5, $6, $3, $7, $8, $9, $10, $11, CASE WHEN $11::date IS NOT NULL THEN 'TH-test' END, $12) RETURNING id`,
  [productId, evaluation.id, r.issuedOn, r.level ?? 'city', r.star, r.certificateNumber ?? `HN-INS-${process.pid}-${++certificates}-${Math.random()}`, r.expiresOn, r.potential ?? false,
    r.potential ? r.reviewStatus ?? 'pending' : null, r.reviewedOn ?? null, r.revokedOn ?? null, r.supersededOn ?? null])
  return row!.id
}
