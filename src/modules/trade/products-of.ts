import { inArray } from 'drizzle-orm'
import { bodyField, unprocessable } from '../../lib/problem.ts'
import type { Tx } from '../audit/service.ts'
import { products } from '../products/tables.ts'
import { joinText } from '../../lib/i18n.ts'

/** Refuses (422, naming each by its pointer) products that do not exist, are archived, or belong to another producer. */
export async function requireOwnProducts (tx: Tx, producerId: string, productIds: string[], field = 'productIds'): Promise<void> {
  if (!productIds.length) return
  const found = new Map((await tx.select({ id: products.id, producerId: products.producerId, status: products.status }).from(products)
    .where(inArray(products.id, productIds))).map((r) => [r.id, r]))
  const errors = productIds.flatMap((id, i) => {
    const product = found.get(id)
    if (!product) return [bodyField(`${field}/${i}`, { vi: `không có sản phẩm ${id}`, en: `product ${id} does not exist` })]
    if (product.producerId !== producerId) return [bodyField(`${field}/${i}`, { vi: `sản phẩm ${id} thuộc chủ thể khác`, en: `product ${id} belongs to another producer` })]
    if (product.status === 'archived') return [bodyField(`${field}/${i}`, { vi: `sản phẩm ${id} đã lưu trữ`, en: `product ${id} is archived` })]
    return []
  })
  if (errors.length) {
    const all = joinText(errors.map((e) => e.detail))
    throw unprocessable({ vi: `các sản phẩm phải là của chính chủ thể: ${all.vi}`, en: `the products must be the producer's own: ${all.en}` }, errors)
  }
}
