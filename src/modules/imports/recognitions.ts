import { eq } from 'drizzle-orm'
import { requireUnit } from '../../lib/principal.ts'
import { bodyField, unprocessable } from '../../lib/problem.ts'
import { recordAudit } from '../audit/service.ts'
import { appendToTimeline } from '../evaluations/decision.ts'
import { checkRecordedDates, requireHanoiProduct } from '../evaluations/recorded.ts'
import { decide, expiryDate, type CouncilLevel, type Star } from '../evaluations/rules.ts'
import { recognitions } from '../evaluations/tables.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import type { ImportKind, RowContext } from './kinds.ts'
import { RecognitionImport } from './schemas.ts'

type Row = Record<string, unknown> & { productId: string, decisionNumber: string, decisionDate: string, issuingLevel: CouncilLevel, star: Star, certificateNumber: string, issuedOn: string, expiresOn?: string }

/** The rules a recorded decision follows that a past one must have followed too: authority on its date, and its dates. */
function checkHistory (row: Row, today: string): void {
  const decision = decide(row.star, row.issuingLevel, row.decisionDate)
  if (decision.outcome === 'refused') throw unprocessable(decision.refusal.detail, [bodyField('issuingLevel', decision.refusal.detail)])
  if (decision.outcome === 'recognised' && decision.star !== row.star) {
    throw unprocessable({ vi: `kết quả ${row.star} sao của hội đồng cấp ${row.issuingLevel} được công nhận là ${decision.star} sao`, en: `a ${row.star}-star result of the ${row.issuingLevel} council is recognised as ${decision.star} stars` },
      [bodyField('star', { vi: `cấp ${row.issuingLevel} công nhận ${decision.star} sao cho kết quả này`, en: `the ${row.issuingLevel} council recognises ${decision.star} stars for it` })])
  }
  checkRecordedDates(row, today)
}

/**
 * Recognitions from the register kept before this service: history with its decision reference and
 * dates, marked `source: import` (no evaluation behind it), matched by certificate number, placed in the
 * product's timeline by the same code as a council's decision. An imported certificate never changes by
 * import: a different value in a matched row is refused (revocation has its own endpoint).
 */
export const recognitionImport: ImportKind<Record<string, unknown>> = {
  create: RecognitionImport,
  patch: { properties: {} },
  required: ['decisionNumber', 'decisionDate', 'issuingLevel', 'star', 'certificateNumber', 'issuedOn'],
  extra: ['productCode'],
  // What the service decides or records later (reviews, revocations, notices): read past, not imported.
  ignored: ['evaluationId', 'source', 'provinceList', 'provinceCode', 'issuingBody', 'potentialFiveStar', 'reviewStatus', 'reviewedOn', 'reviewReference', 'supersededBy', 'supersededOn', 'revokedOn', 'revocationReference', 'revocationReason', 'noticeSentOn', 'status', 'noticeDueFrom', 'noticeOverdue'],
  keyColumn: 'certificateNumber',
  fixed: Object.keys(RecognitionImport.properties),
  prepare: async (body, row, ctx) => {
    if (!body.productId && row.productCode) {
      const [product] = await ctx.tx.select({ id: products.id }).from(products).where(eq(products.code, row.productCode))
      if (!product) return { column: 'productCode', detail: { vi: `không có sản phẩm nào có mã ${row.productCode}`, en: `no product has code ${row.productCode}` } }
      body.productId = product.id
    }
    if (!body.productId) return { column: 'productId', detail: { vi: 'cần productId hoặc productCode', en: 'needs productId or productCode' } }
    return undefined
  },
  key: (body) => typeof body.certificateNumber === 'string' ? body.certificateNumber : undefined,
  find: async (body, ctx) => {
    const [row] = await ctx.tx.select().from(recognitions).where(eq(recognitions.certificateNumber, String(body.certificateNumber)))
    return row
  },
  insert: async (body, ctx: RowContext) => {
    const row = body as Row
    const [product] = await ctx.tx.select({ unit: producers.adminUnitCode, province: producers.provinceCode }).from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, row.productId))
    if (!product) throw unprocessable({ vi: `không có sản phẩm ${row.productId}`, en: `product ${row.productId} does not exist` }, [bodyField('productId', { vi: 'không phải là sản phẩm nào', en: 'is not a product' })])
    requireUnit(ctx.actor, product.unit, 'recognitions')
    requireHanoiProduct(product.province, row.productId)
    checkHistory(row, ctx.today)
    const values = { ...row, expiresOn: row.expiresOn ?? expiryDate(row.issuedOn), evaluationId: null, source: 'import' as const }
    const created = await appendToTimeline(ctx.tx as unknown as Parameters<typeof appendToTimeline>[0], values, false)
    const { createdAt: _c, effectEndsOn: _e, ...recorded } = created
    await recordAudit(ctx.tx, ctx.actor, { entity: 'recognition', entityId: created.id, action: 'import', changes: Object.fromEntries(Object.entries(recorded).map(([k, v]) => [k, { old: null, new: v }])) })
  },
  update: async () => { throw new Error('an imported recognition has nothing to update') }
}
