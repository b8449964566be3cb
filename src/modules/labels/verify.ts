import { Readable } from 'node:stream'
import { and, desc, eq, lte, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { requireReadableUnit, type Principal } from '../../lib/principal.ts'
import { prepared } from '../../db/prepared.ts'
import { standingOn, type TimelineRow, validThrough } from '../evaluations/timeline.ts'
import { recognitions } from '../evaluations/tables.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { adminUnits, provinces } from '../reference/tables.ts'
import { codeMatches, formatSerial, labelToken, likelyCopied, parseToken, type LabelStatus } from './rules.ts'
import type { LabelVerificationBody } from './schemas.ts'
import { counterfeit, loadBatch } from './service.ts'
import { labelBatches, labelVerifications } from './tables.ts'
import type { VerificationCounts } from './counts.ts'
import { isoInstant } from '../../lib/clock.ts'

interface Said { star: number, certificateNumber: string, validThrough: string, since: string | null, printedUnder: string }
const MESSAGES: Record<LabelStatus, (v: Said) => string> = {
  valid: (v) => `Tem OCOP chính hãng, sản phẩm ${v.star} sao, giấy chứng nhận ${v.certificateNumber} còn hiệu lực đến hết ngày ${v.validThrough}.${v.printedUnder !== v.certificateNumber ? ` Tem được in theo giấy chứng nhận trước đó ${v.printedUnder}.` : ''} Genuine OCOP label: ${v.star}-star product, certificate ${v.certificateNumber} valid through ${v.validThrough}.${v.printedUnder !== v.certificateNumber ? ` Printed under the earlier certificate ${v.printedUnder}.` : ''}`,
  expired: (v) => `Tem chính hãng nhưng giấy chứng nhận OCOP đã hết hiệu lực từ ngày ${v.since}. Genuine label, but the OCOP certificate is no longer valid since ${v.since}.`,
  revoked: (v) => `Tem chính hãng nhưng giấy chứng nhận OCOP đã bị thu hồi từ ngày ${v.since}. Genuine label, but the OCOP certificate was revoked from ${v.since}.`,
  'not-yet-valid': () => 'Tem chính hãng nhưng giấy chứng nhận chưa có hiệu lực. Genuine label, but its certificate is not in force yet.',
  'product-archived': () => 'Tem chính hãng nhưng sản phẩm đã ngừng tham gia chương trình OCOP. Genuine label, but the product has left the OCOP programme.',
  voided: () => 'Tem thuộc lô đã bị huỷ (mất, thất lạc hoặc in lỗi): không được dùng. This label belongs to a voided batch (lost, stolen or misprinted) and must not be used.'
}

type History = TimelineRow & { star: number, certificateNumber: string }

/** Everything a scan needs, in one statement: the batch holding the serial, its product and producer (with its unit and province), the product's whole timeline, and the serial's stored count. */
const scanQuery = (db: Db) => prepared(db, 'label-scan', () => db.select({
  batch: { id: labelBatches.id, secret: labelBatches.secret, status: labelBatches.status, lastSerial: labelBatches.lastSerial, recognitionId: labelBatches.recognitionId },
  product: { id: products.id, code: products.code, nameVi: products.nameVi, nameEn: products.nameEn, imageUrl: sql<string | null>`${products.imageUrls}[1]`, status: products.status },
  producer: { id: producers.id, name: producers.name },
  unit: { list: adminUnits.list, code: adminUnits.code, name: adminUnits.name },
  province: { list: provinces.list, code: provinces.code, name: provinces.name },
  history: sql<History[]>`(SELECT json_agg(json_build_object('id', r.id, 'issuedOn', r.issued_on, 'expiresOn', r.expires_on, 'revokedOn', r.revoked_on,
    'supersededOn', r.superseded_on, 'potentialFiveStar', r.potential_five_star, 'reviewedOn', r.reviewed_on, 'createdAt', r.created_at,
    'star', r.star, 'certificateNumber', r.certificate_number)) FROM ${recognitions} r WHERE r.product_id = ${labelBatches.productId})`,
  stored: { count: labelVerifications.count, firstAt: labelVerifications.firstAt },
  // The snapshot the stored count was read in: which of this instance's writes of counts it saw (counts.ts).
  snapshot: sql<string>`pg_current_snapshot()::text`
}).from(labelBatches)
  .innerJoin(products, eq(products.id, labelBatches.productId))
  .innerJoin(producers, eq(producers.id, products.producerId))
  .innerJoin(provinces, and(eq(provinces.list, producers.provinceList), eq(provinces.code, producers.provinceCode)))
  .leftJoin(adminUnits, and(eq(adminUnits.list, producers.adminUnitList), eq(adminUnits.code, producers.adminUnitCode)))
  .leftJoin(labelVerifications, eq(labelVerifications.serial, sql.placeholder('serial')))
  .where(lte(labelBatches.firstSerial, sql.placeholder('serial'))).orderBy(desc(labelBatches.firstSerial)).limit(1))

/**
 * What the database knows of a token, when it is a label of ours: a serial inside a batch's range with
 * that batch's check code. Otherwise the label is not ours (404).
 */
async function genuineScan (db: Db, token: string) {
  const { serial, code } = parseToken(token)
  const [row] = await scanQuery(db).execute({ serial })
  if (!row || row.batch.lastSerial < serial || !codeMatches(row.batch.secret, serial, code)) throw counterfeit(token)
  return { row, serial }
}

/**
 * A genuine scan, counted in `counts` with this instance's scans its statement did not see. Without
 * `counts` (a linkset: what the label links to, not a scan), the stored count is read as it is.
 */
async function countedScan (db: Db, counts: VerificationCounts | null, token: string, now: string) {
  if (!counts) return { ...await genuineScan(db, token), unwritten: { count: 0, firstAt: now, lastAt: now } }
  const reading = counts.reading()
  try {
    const { row, serial } = await genuineScan(db, token)
    return { row, serial, unwritten: counts.add(serial, row.batch.id, now, { reading, snapshot: row.snapshot }) }
  } finally {
    counts.release(reading)
  }
}

/**
 * What a consumer learns by scanning a label: whether it is ours, and whether the product may carry it
 * today. A label follows its product: printed under any recognition of the product, it is valid while
 * the product holds one in force, and says which. One statement per scan; the scan is counted in
 * `counts` (written in batches: counts.ts), one count per serial ever verified, not per label printed.
 */
export async function verifyLabel (db: Db, counts: VerificationCounts | null, token: string, today: string, now: string): Promise<LabelVerificationBody> {
  const { row, serial, unwritten } = await countedScan(db, counts, token, now)
  const { batch, product: { status: productStatus, ...product }, producer, unit, province, history } = row
  const printed = history.find((h) => h.id === batch.recognitionId)!
  const standing = standingOn(history, today)
  const current = standing.inForce
  const status: LabelStatus = batch.status === 'void'
    ? 'voided'
    : productStatus !== 'active' ? 'product-archived' : current ? 'valid' : standing.reason === 'revoked' ? 'revoked' : standing.reason === 'expired' ? 'expired' : 'not-yet-valid'
  const shown = current ?? printed
  const count = (row.stored?.count ?? 0) + unwritten.count
  return {
    token,
    serial: formatSerial(serial),
    status,
    valid: status === 'valid',
    validUntil: status === 'valid' ? validThrough(current!) : null,
    message: MESSAGES[status]({ star: shown.star, certificateNumber: shown.certificateNumber, validThrough: validThrough(shown), since: standing.since, printedUnder: printed.certificateNumber }),
    checkedOn: today,
    lapsedOn: status === 'expired' || status === 'revoked' ? standing.since : null,
    product,
    producer: { ...producer, adminUnit: unit?.code ? unit : null, province },
    star: printed.star,
    certificateNumber: printed.certificateNumber,
    issuedOn: printed.issuedOn,
    expiresOn: printed.expiresOn,
    revokedOn: printed.revokedOn,
    current: current ? { certificateNumber: current.certificateNumber, star: current.star, issuedOn: current.issuedOn, validThrough: validThrough(current) } : null,
    verifications: {
      count,
      firstAt: isoInstant(row.stored?.firstAt ?? unwritten.firstAt),
      lastAt: unwritten.lastAt,
      likelyCopied: likelyCopied(count)
    }
  }
}

/** The QR code of a genuine label: it encodes the verification URL followed by the token. */
export async function labelQr (db: Db, token: string, verifyUrl: string, format: 'svg' | 'png', size: number): Promise<string | Buffer> {
  await genuineScan(db, token)
  const text = `${verifyUrl}${token}`
  // Loaded at the first QR code asked for, not at start: most instances never draw one.
  const { default: QRCode } = await import('qrcode')
  // Level M: about 15% of the code may be damaged or covered and it still reads.
  return format === 'svg'
    ? QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    : QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: size })
}

/**
 * The printer's file: one line per label of the batch (serial, token, the URL its QR code encodes),
 * generated as it is sent, so a batch of any size takes no memory. Only staff of the product's unit.
 */
export async function batchLabels (db: Db, actor: Principal, id: string, verifyUrl: string, format: 'csv' | 'ndjson'): Promise<Readable> {
  const { batch, unit } = await loadBatch(db, id)
  requireReadableUnit(actor, unit, 'label batch', id)
  function * lines () {
    if (format === 'csv') yield 'serial,token,url\n'
    for (let serial = batch.firstSerial; serial <= batch.lastSerial; serial++) {
      const token = labelToken(batch.secret, serial)
      yield format === 'csv'
        ? `${formatSerial(serial)},${token},${verifyUrl}${token}\n`
        : `${JSON.stringify({ serial: formatSerial(serial), token, url: `${verifyUrl}${token}` })}\n`
    }
  }
  return Readable.from(lines())
}
