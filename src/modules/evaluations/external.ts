import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { requireUnit, type Principal } from '../../lib/principal.ts'
import { bodyField, notFound, unprocessable } from '../../lib/problem.ts'
import { recordAudit } from '../audit/service.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { provinceOverlap } from '../reference/tables.ts'
import { HANOI, resolveCoded } from '../reference/units.ts'
import { checkRecordedDates } from './recorded.ts'
import { appendToTimeline, lockTimeline } from './decision.ts'
import { presentRecognition } from './recognitions.ts'
import type { ExternalRecognitionCreateBody } from './schemas.ts'

/**
 * Records a recognition issued by another province's council for a product of one of its producers:
 * no evaluation behind it, placed in the product's timeline by the same code as Hanoi's decisions, so
 * expiry, revocation and "in force on a day" read it the same way. Its issuing level is the province's
 * (`city`, the provincial level) or, for 5 stars, the central council's.
 */
export async function recordExternalRecognition (db: Db, actor: Principal, productId: string, body: ExternalRecognitionCreateBody, today: string, noticeLeadDays: number) {
  return db.transaction(async (tx) => {
    const [product] = await tx.select({ unit: producers.adminUnitCode, provinceList: producers.provinceList, provinceCode: producers.provinceCode })
      .from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, productId))
    if (!product) throw notFound('product', productId)
    requireUnit(actor, product.unit, 'recognitions')
    if (product.provinceCode === HANOI) {
      throw unprocessable({
        vi: `sản phẩm ${productId} của chủ thể ở Hà Nội: công nhận của Hà Nội đến từ quyết định của hội đồng (POST /v1/evaluations/{id}/decision)`,
        en: `product ${productId} is of a producer in Hanoi: Hanoi's recognitions come from its councils' decisions (POST /v1/evaluations/{id}/decision)`
      }, [bodyField('provinceCode', { vi: 'chỉ dùng cho sản phẩm của tỉnh khác', en: 'is only for products of other provinces' })])
    }
    checkRecordedDates(body, today)
    const province = body.provinceCode
      ? await resolveCoded(tx, 'province', { code: body.provinceCode, list: body.provinceList }, { date: body.issuedOn, what: 'the issue date' }, { code: 'provinceCode', list: 'provinceList' })
      : { list: product.provinceList, code: product.provinceCode }
    const [same] = await tx.select({ code: provinceOverlap.code }).from(provinceOverlap).where(and(eq(provinceOverlap.list, province.list), eq(provinceOverlap.code, province.code), eq(provinceOverlap.otherList, product.provinceList), eq(provinceOverlap.otherCode, product.provinceCode)))
    if (!same) {
      throw unprocessable({ vi: `tỉnh ${province.list}:${province.code} không phải là tỉnh của chủ thể (${product.provinceList}:${product.provinceCode})`, en: `province ${province.list}:${province.code} is not the producer's (${product.provinceList}:${product.provinceCode})` },
        [bodyField('provinceCode', { vi: 'không phải là tỉnh của chủ thể', en: 'is not the producer\'s province' })])
    }
    await lockTimeline(tx, productId)
    const { provinceCode: _c, provinceList: _l, ...decision } = body
    const created = await appendToTimeline(tx, {
      ...decision,
      productId,
      evaluationId: null,
      source: 'external',
      provinceList: province.list,
      provinceCode: province.code,
      issuingLevel: body.star === 5 ? 'central' : 'city',
      potentialFiveStar: false
    }, false)
    const shown = presentRecognition(created, today, noticeLeadDays)
    await recordAudit(tx, actor, { entity: 'recognition', entityId: created.id, action: 'record external', changes: Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, { old: null, new: v }])) })
    return shown
  })
}
