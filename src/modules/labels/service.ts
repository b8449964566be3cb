import { randomBytes } from 'node:crypto'
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { requireReadableUnit, requireUnit, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, type FieldIssue, notFound, ProblemError, unprocessable } from '../../lib/problem.ts'
import type { Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { inForce } from '../evaluations/recognitions.ts'
import { recognitions } from '../evaluations/tables.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { CITY_FUNDED_LABELS, formatSerial } from './rules.ts'
import type { LabelBatchBody, LabelBatchCreateBody } from './schemas.ts'
import { labelBatches, labelSerials } from './tables.ts'
import { type Text } from '../../lib/i18n.ts'
import { isoInstantOrNull } from '../../lib/clock.ts'

const b = labelBatches
const iso = isoInstantOrNull

const batchColumns = { batch: b, certificateNumber: recognitions.certificateNumber, star: recognitions.star, unit: producers.adminUnitCode }
type BatchRow = { batch: typeof b.$inferSelect, certificateNumber: string, star: number, unit: string | null }

const present = ({ batch: { secret: _secret, ...batch }, certificateNumber, star }: BatchRow): LabelBatchBody => ({
  ...batch,
  certificateNumber,
  star,
  firstSerial: formatSerial(batch.firstSerial),
  lastSerial: formatSerial(batch.lastSerial),
  voidedAt: iso(batch.voidedAt),
  createdAt: iso(batch.createdAt)!,
  updatedAt: iso(batch.updatedAt)!
})

const batchQuery = (tx: Tx) => tx.select(batchColumns).from(b)
  .innerJoin(recognitions, eq(recognitions.id, b.recognitionId))
  .innerJoin(products, eq(products.id, b.productId))
  .innerJoin(producers, eq(producers.id, products.producerId))

/** A batch with what it needs to be shown and checked: its certificate and its producer's unit. */
export async function loadBatch (tx: Tx, id: string, lock = false): Promise<BatchRow> {
  const query = batchQuery(tx).where(eq(b.id, id))
  const [row] = lock ? await query.for('update', { of: b }) : await query
  if (!row) throw notFound('label batch', id)
  return row
}

/** A batch, for staff of its product's unit (404 for others, as if it did not exist). */
export async function getBatch (db: Db, id: string, principal: Principal) {
  const row = await loadBatch(db, id)
  requireReadableUnit(principal, row.unit, 'label batch', id)
  return present(row)
}

const productField = (detail: Text): FieldIssue => ({ in: 'path', pointer: '/id', detail })

/**
 * Orders a print run for the certificate in force today. Serials come from one counter row, locked
 * until commit, so two batches never share a serial; the certificate's row is locked too, so two
 * city-funded orders cannot both fit under the 2,000 labels the city pays for.
 */
export async function createBatch (db: Db, actor: Principal, productId: string, body: LabelBatchCreateBody, today: string): Promise<LabelBatchBody> {
  const orderedOn = body.orderedOn ?? today
  if (orderedOn > today) {
    throw unprocessable({ vi: 'không thể đặt in một lô tem vào ngày trong tương lai', en: 'a batch cannot be ordered in the future' },
      [bodyField('orderedOn', { vi: `sau ngày hôm nay (${today})`, en: `is after today (${today})` })])
  }
  return auditedCreate(db, actor, 'label_batch', async (tx) => {
    const [product] = await tx.select({ status: products.status, unit: producers.adminUnitCode }).from(products)
      .innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, productId))
    if (!product) throw notFound('product', productId)
    requireUnit(actor, product.unit, 'labels')
    if (product.status !== 'active') {
      throw unprocessable({ vi: `sản phẩm ${productId} đang ở trạng thái ${product.status}: chỉ sản phẩm active mới mang tem`, en: `product ${productId} is ${product.status}: only an active product carries labels` },
        [productField({ vi: `đang ở trạng thái ${product.status}`, en: `is ${product.status}` })])
    }
    const [certificate] = await tx.select({ id: recognitions.id, level: recognitions.issuingLevel }).from(recognitions)
      .where(and(eq(recognitions.productId, productId), inForce(today))).for('update')
    if (!certificate) {
      throw unprocessable({ vi: `sản phẩm ${productId} không có giấy chứng nhận OCOP còn hiệu lực hôm nay: tem chứng thực một giấy chứng nhận`, en: `product ${productId} has no OCOP certificate in force today: a label attests one` },
        [productField({ vi: 'không có giấy chứng nhận còn hiệu lực', en: 'has no certificate in force' })])
    }
    if (body.fundedByCity) {
      if (certificate.level !== 'city') {
        throw unprocessable({ vi: `giấy chứng nhận do cấp ${certificate.level} cấp: thành phố chỉ chi trả tem cho giấy chứng nhận cấp thành phố`, en: `the certificate was issued at ${certificate.level} level: the city pays for the labels of city-level certificates` },
          [bodyField('fundedByCity', { vi: `giấy chứng nhận thuộc cấp ${certificate.level}`, en: `the certificate is ${certificate.level}-level` })])
      }
      // Every city-funded label printed counts, a voided batch's too: it was paid for.
      const [{ funded } = { funded: 0 }] = await tx.select({ funded: sql<number>`COALESCE(sum(${b.quantity}), 0)::int` }).from(b)
        .where(and(eq(b.recognitionId, certificate.id), eq(b.fundedByCity, true)))
      if (funded + body.quantity > CITY_FUNDED_LABELS) {
        const left = CITY_FUNDED_LABELS - funded
        throw unprocessable({ vi: `thành phố chi trả tối đa ${CITY_FUNDED_LABELS} tem cho mỗi giấy chứng nhận; đã đặt ${funded}, còn ${left}`, en: `the city pays for at most ${CITY_FUNDED_LABELS} labels per certificate; ${funded} are ordered, ${left} remain` },
          [bodyField('quantity', { vi: `nhiều hơn ${left} tem do thành phố chi trả còn lại`, en: `is more than the ${left} city-funded labels that remain` })])
      }
    }
    const [{ first } = { first: 0 }] = await tx.update(labelSerials).set({ next: sql`${labelSerials.next} + ${body.quantity}` })
      .where(eq(labelSerials.id, 1)).returning({ first: sql<number>`${labelSerials.next} - ${body.quantity}`.mapWith(Number) })
    const [row] = await tx.insert(b).values({
      productId,
      recognitionId: certificate.id,
      firstSerial: first,
      lastSerial: first + body.quantity - 1,
      quantity: body.quantity,
      fundedByCity: body.fundedByCity ?? false,
      printer: body.printer ?? null,
      orderedOn,
      secret: randomBytes(32).toString('base64url')
    }).returning({ id: b.id })
    return row!.id
  }, async (tx, id) => present(await loadBatch(tx, id)))
}

/** The batches of a product, newest first. */
export async function listBatches (db: Db, productId: string, filter: { limit: number, cursor?: string }, principal: Principal) {
  const [product] = await db.select({ unit: producers.adminUnitCode }).from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, productId))
  if (!product) throw notFound('product', productId)
  requireReadableUnit(principal, product.unit, 'product', productId)
  const after = decodeCursor(filter.cursor, ['timestamp', 'uuid'])
  const rows = await batchQuery(db).where(and(eq(b.productId, productId), after ? sql`(${b.createdAt}, ${b.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
    .orderBy(desc(b.createdAt), desc(b.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.batch.createdAt, r.batch.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

/** Voids a batch (lost, stolen, misprinted): its labels then verify as `voided`. */
export async function voidBatch (db: Db, actor: Principal, id: string, reason: string): Promise<LabelBatchBody> {
  let unit: string | null = ''
  return auditedUpdate(db, actor, {
    entity: 'label_batch',
    id,
    action: 'void',
    load: async (tx) => {
      const row = await loadBatch(tx, id, true)
      unit = row.unit
      return present(row)
    },
    check: (current) => {
      requireUnit(actor, unit, 'labels')
      if (current.status === 'void') throw conflict({ vi: `lô tem ${id} đã bị hủy`, en: `label batch ${id} is already void` })
    },
    apply: async (tx) => { await tx.update(b).set({ status: 'void', voidReason: reason, voidedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(b.id, id)) }
  })
}

export const counterfeit = (token: string) =>
  new ProblemError(404, 'not-found', {
    vi: `${token} không phải là tem OCOP của Hà Nội: số sê-ri hoặc mã kiểm tra sai. Tem có thể là hàng giả.`,
    en: `${token} is not an OCOP label of Hanoi: the serial or its check code is wrong. The label may be counterfeit.`
  })
