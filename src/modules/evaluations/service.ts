import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { requireUnit, seesUnpublished, visibleRows, type Principal } from '../../lib/principal.ts'
import { bodyField, brokenRules, conflict, forbidden, noSuch, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit, type Tx } from '../audit/service.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { minimumPointsOf } from './criteria-service.ts'
import { mandatoryMet, meanScore, scoreSheet, tierForScore, type CardCriterion } from './rules.ts'
import type { EvaluationBody, EvaluationCreateBody, ScoreSheetCreateBody } from './schemas.ts'
import { criteria, criteriaSets, evaluations, scoreSheets } from './tables.ts'
import { requireHanoiProduct } from './recorded.ts'
import { isoInstant } from '../../lib/clock.ts'

const columns = {
  id: evaluations.id,
  productId: evaluations.productId,
  criteriaSet: evaluations.criteriaSetKey,
  councilLevel: evaluations.councilLevel,
  roundYear: evaluations.roundYear,
  roundBatch: evaluations.roundBatch,
  status: evaluations.status,
  score: evaluations.score,
  tier: evaluations.tier,
  mandatoryMet: evaluations.mandatoryMet,
  star: evaluations.star,
  decisionNumber: evaluations.decisionNumber,
  decisionDate: evaluations.decisionDate,
  createdAt: evaluations.createdAt,
  updatedAt: evaluations.updatedAt,
  productStatus: products.status,
  adminUnitCode: producers.adminUnitCode
}
type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | null }

const iso = isoInstant

/** Staff of the product's unit (and councils, admins) see everything; others only decided results, without sheets. */
const isStaffFor = (principal: Principal, unit: string | null) => seesUnpublished(principal, unit)

type SheetBody = NonNullable<EvaluationBody['sheets']>[number]

/** The sheets of several evaluations in one query, by evaluation id. */
async function sheetsOf (tx: Tx, ids: string[]): Promise<Map<string, SheetBody[]>> {
  const bySheet = new Map<string, SheetBody[]>()
  if (ids.length === 0) return bySheet
  const rows = await tx.select().from(scoreSheets).where(inArray(scoreSheets.evaluationId, ids)).orderBy(asc(scoreSheets.createdAt), asc(scoreSheets.id))
  for (const s of rows) {
    const list = bySheet.get(s.evaluationId) ?? []
    list.push({ id: s.id, memberName: s.memberName, points: s.points, partTotals: s.partTotals, total: Number(s.total), createdAt: iso(s.createdAt) })
    bySheet.set(s.evaluationId, list)
  }
  return bySheet
}

/** Evaluations as the principal may see them: sheets (members' names) for staff of the unit only. */
async function presentAll (tx: Tx, rows: Row[], principal: Principal): Promise<EvaluationBody[]> {
  const staffRows = rows.filter((r) => isStaffFor(principal, r.adminUnitCode))
  const sheets = await sheetsOf(tx, staffRows.map((r) => r.id!))
  return rows.map((row) => shape(row, isStaffFor(principal, row.adminUnitCode) ? sheets.get(row.id!) ?? [] : null))
}

const present = async (tx: Tx, row: Row, principal: Principal) => (await presentAll(tx, [row], principal))[0]!

function shape (row: Row, sheets: SheetBody[] | null): EvaluationBody {
  return {
    id: row.id!,
    productId: row.productId!,
    criteriaSet: row.criteriaSet!,
    councilLevel: row.councilLevel!,
    round: { year: row.roundYear!, batch: row.roundBatch! },
    status: row.status!,
    score: row.score === null ? null : Number(row.score),
    tier: row.tier,
    mandatoryMet: row.mandatoryMet,
    sheets,
    star: row.star,
    decisionNumber: row.decisionNumber,
    decisionDate: row.decisionDate,
    createdAt: iso(row.createdAt!),
    updatedAt: iso(row.updatedAt!)
  }
}

const select = (tx: Tx) => tx.select(columns).from(evaluations)
  .innerJoin(products, eq(products.id, evaluations.productId))
  .innerJoin(producers, eq(producers.id, products.producerId))

async function loadRow (tx: Tx, id: string, lock = false): Promise<Row | undefined> {
  const query = select(tx).where(eq(evaluations.id, id))
  const [row] = lock ? await query.for('update', { of: evaluations }) : await query
  return row
}

export async function getEvaluation (db: Db, id: string, principal: Principal): Promise<EvaluationBody> {
  const row = await loadRow(db, id)
  if (!row || (row.status !== 'decided' && !isStaffFor(principal, row.adminUnitCode))) throw notFound('evaluation', id)
  return present(db, row, principal)
}

export async function listEvaluations (db: Db, filter: { product?: string, status?: EvaluationBody['status'], councilLevel?: EvaluationBody['councilLevel'], limit: number, cursor?: string }, principal: Principal) {
  const after = decodeCursor(filter.cursor, ['timestamp', 'uuid'])
  // Undecided evaluations, and those of unpublished products, are for staff (operators: of their units).
  const visibility = visibleRows(principal, and(eq(evaluations.status, 'decided'), eq(products.status, 'active'))!, producers.adminUnitCode)
  const rows = await select(db).where(and(
    visibility,
    filter.product ? eq(evaluations.productId, filter.product) : undefined,
    filter.status ? eq(evaluations.status, filter.status) : undefined,
    filter.councilLevel ? eq(evaluations.councilLevel, filter.councilLevel) : undefined,
    after ? sql`(${evaluations.createdAt}, ${evaluations.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined
  )).orderBy(desc(evaluations.createdAt), desc(evaluations.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.createdAt, r.id])
  return { items: await presentAll(db, page.items, principal), nextCursor: page.nextCursor }
}

/** Councils act at the level recorded on their key. */
function requireCouncilLevel (principal: Principal, level: string) {
  if (principal.role === 'council' && principal.councilLevel !== level) {
    throw forbidden({ vi: `Khóa này thuộc hội đồng cấp ${principal.councilLevel}, không phải cấp ${level}`, en: `This key acts for the ${principal.councilLevel} council, not the ${level} council` })
  }
}

export async function createEvaluation (db: Db, actor: Principal, input: EvaluationCreateBody): Promise<EvaluationBody> {
  requireCouncilLevel(actor, input.councilLevel)
  return db.transaction(async (tx) => {
    const [product] = await tx.select({ unit: producers.adminUnitCode, province: producers.provinceCode, status: products.status, group148: products.group148, group1048: products.group1048 })
      .from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, input.productId))
    if (!product || (product.status !== 'active' && !isStaffFor(actor, product.unit))) throw noSuch('product', input.productId, 'productId')
    if (actor.role === 'operator') requireUnit(actor, product.unit, 'evaluations')
    requireHanoiProduct(product.province, input.productId)
    if (product.status === 'archived') {
      throw unprocessable({ vi: `sản phẩm ${input.productId} đã lưu trữ`, en: `product ${input.productId} is archived` }, [bodyField('productId', { vi: 'đã lưu trữ', en: 'is archived' })])
    }
    const [set] = await tx.select({ taxonomy: criteriaSets.taxonomy }).from(criteriaSets).where(eq(criteriaSets.key, input.criteriaSet))
    if (!set) throw noSuch('criteria set', input.criteriaSet, 'criteriaSet')
    // The product's group is read in the taxonomy of the evaluation's criteria set.
    if ((set.taxonomy === 'QD1048-2019' ? product.group1048 : product.group148) === null) {
      throw unprocessable({ vi: `sản phẩm ${input.productId} chưa có nhóm theo phân loại ${set.taxonomy}`, en: `product ${input.productId} has no group in the ${set.taxonomy} taxonomy` },
        [bodyField('criteriaSet', { vi: `cần sản phẩm có nhóm theo ${set.taxonomy}`, en: `needs the product to have a ${set.taxonomy} group` })])
    }
    const [created] = await tx.insert(evaluations).values({
      productId: input.productId, criteriaSetKey: input.criteriaSet, councilLevel: input.councilLevel, roundYear: input.round.year, roundBatch: input.round.batch
    }).returning({ id: evaluations.id })
    const evaluation = await present(tx, (await loadRow(tx, created!.id))!, actor)
    await recordAudit(tx, actor, { entity: 'evaluation', entityId: evaluation.id, action: 'create', changes: changesBetween(null, evaluation, ['sheets', 'createdAt', 'updatedAt']) })
    return evaluation
  })
}

async function transition<R = void> (db: Db, actor: Principal, id: string, action: string, change: (row: Row, tx: Tx) => Promise<R>): Promise<EvaluationBody & { result: R }> {
  return db.transaction(async (tx) => {
    const row = await loadRow(tx, id, true)
    if (!row || (row.status !== 'decided' && !isStaffFor(actor, row.adminUnitCode))) throw notFound('evaluation', id)
    requireCouncilLevel(actor, row.councilLevel!)
    if (actor.role === 'operator') requireUnit(actor, row.adminUnitCode!, 'evaluations')
    const before = await present(tx, row, actor)
    const result = await change(row, tx)
    const after = await present(tx, (await loadRow(tx, id))!, actor)
    await recordAudit(tx, actor, { entity: 'evaluation', entityId: id, action, changes: changesBetween(before, after, ['updatedAt']) })
    return { ...after, result }
  })
}

/** draft → submitted: the dossier is complete and goes to the council. */
export async function submitEvaluation (db: Db, actor: Principal, id: string): Promise<EvaluationBody> {
  const { result: _none, ...evaluation } = await transition(db, actor, id, 'submit', async (row, tx) => {
    if (row.status !== 'draft') throw conflict({ vi: `hồ sơ đánh giá ${id} đang ở trạng thái ${row.status}: chỉ nộp được bản nháp`, en: `evaluation ${id} is ${row.status}: only a draft can be submitted` })
    await tx.update(evaluations).set({ status: 'submitted', updatedAt: sql`now()` }).where(eq(evaluations.id, id))
  })
  return evaluation
}

/** A council member's sheet: checked against the card, totalled, and the evaluation's score recomputed. */
export async function addScoreSheet (db: Db, actor: Principal, id: string, input: ScoreSheetCreateBody): Promise<EvaluationBody> {
  const { result: _none, ...evaluation } = await transition(db, actor, id, 'score', async (row, tx) => {
    if (row.status !== 'submitted' && row.status !== 'scored') {
      throw conflict({ vi: `hồ sơ đánh giá ${id} đang ở trạng thái ${row.status}: phiếu chấm được thêm sau khi nộp và trước khi quyết định`, en: `evaluation ${id} is ${row.status}: sheets are added once it is submitted and until it is decided` })
    }
    const card: CardCriterion[] = (await tx.select().from(criteria).where(eq(criteria.setKey, row.criteriaSet!)).orderBy(asc(criteria.position)))
      .map((c) => ({ code: c.code, part: c.part, maxPoints: Number(c.maxPoints), minimumPoints: minimumPointsOf(c) }))
    const sheet = scoreSheet(card, input.points)
    if (sheet.errors.length) throw brokenRules(sheet.errors)

    await tx.insert(scoreSheets).values({ evaluationId: id, memberName: input.memberName, points: input.points, partTotals: sheet.partTotals, total: sheet.total })
    const sheets = await tx.select({ points: scoreSheets.points, total: scoreSheets.total }).from(scoreSheets).where(eq(scoreSheets.evaluationId, id))
    const score = meanScore(sheets.map((s) => Number(s.total)))
    await tx.update(evaluations).set({
      status: 'scored', score, tier: tierForScore(score), mandatoryMet: mandatoryMet(card, sheets.map((s) => s.points)), updatedAt: sql`now()`
    }).where(eq(evaluations.id, id))
  })
  return evaluation
}

/** How many evaluations a product has (a product with any can no longer be deleted). */
export { transition, requireCouncilLevel }

export async function countEvaluations (tx: Tx, productId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(evaluations).where(eq(evaluations.productId, productId))
  return Number(row?.n ?? 0)
}
