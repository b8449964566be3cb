import { Type, type Static } from 'typebox'
import { DateString, Page, ref, StringEnum } from '../../lib/schema.ts'
import { UnitRef } from '../reference/schemas.ts'
import { LabelLinkset } from './linkset.ts'
import { COPY_WARNING_AFTER, LABEL_STATUSES, MAX_BATCH, TOKEN_PATTERN } from './rules.ts'

const SerialString = Type.String({ pattern: '^HN[0-9]{9}$', description: 'A printed serial', examples: ['HN000000001'] })

const batchExample = {
  id: '5d1f7c2a-9b3e-4f6a-8c1d-2e3f4a5b6c7d',
  productId: '6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d',
  recognitionId: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
  certificateNumber: 'HN-OCOP-2024-0123',
  star: 4,
  firstSerial: 'HN000000001',
  lastSerial: 'HN000002000',
  quantity: 2000,
  fundedByCity: true,
  printer: 'Công ty In Hà Nội',
  orderedOn: '2026-11-23',
  status: 'active',
  voidReason: null,
  voidedAt: null,
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z'
}

export const LabelBatch = Type.Object({
  id: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  recognitionId: Type.String({ format: 'uuid', description: 'The certificate the labels attest' }),
  certificateNumber: Type.String(),
  star: Type.Integer({ minimum: 3, maximum: 5 }),
  firstSerial: SerialString,
  lastSerial: SerialString,
  quantity: Type.Integer({ minimum: 1, maximum: MAX_BATCH }),
  fundedByCity: Type.Boolean({ description: 'Printed at the city\'s expense (at most 2,000 labels per city-level certificate)' }),
  printer: Type.Union([Type.String(), Type.Null()]),
  orderedOn: DateString(),
  status: StringEnum(['active', 'void'], { description: 'A void batch\'s labels verify as `voided`' }),
  voidReason: Type.Union([Type.String(), Type.Null()]),
  voidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'LabelBatch', additionalProperties: false, examples: [batchExample] })
export type LabelBatchBody = Static<typeof LabelBatch>

export const LabelBatchPage = Page(LabelBatch, 'LabelBatchPage', batchExample)

export const LabelBatchCreate = Type.Object({
  quantity: Type.Integer({ minimum: 1, maximum: MAX_BATCH, description: 'Labels in the print run', examples: [2000] }),
  fundedByCity: Type.Optional(Type.Boolean({ default: false, description: 'Printed at the city\'s expense: only for a city-level certificate, at most 2,000 labels per certificate', examples: [true] })),
  printer: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['Công ty In Hà Nội'] })),
  orderedOn: Type.Optional(DateString({ description: 'Defaults to today (Asia/Ho_Chi_Minh)', examples: ['2026-11-23'] }))
}, { $id: 'LabelBatchCreate', additionalProperties: false, examples: [{ quantity: 2000, fundedByCity: true, printer: 'Công ty In Hà Nội' }] })
export type LabelBatchCreateBody = Static<typeof LabelBatchCreate>

export const LabelBatchVoid = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, examples: ['Lô tem bị mất khi vận chuyển (lost in transit)'] })
}, { $id: 'LabelBatchVoid', additionalProperties: false, examples: [{ reason: 'Lô tem bị mất khi vận chuyển (lost in transit)' }] })

export const TokenParams = Type.Object({
  token: Type.String({ pattern: TOKEN_PATTERN, description: 'The token printed on the label and encoded in its QR code: serial, dash, check code', examples: ['HN000000001-7QK2M9XW4P'] })
}, { additionalProperties: false })

export const LabelPageQuery = Type.Object({
  lang: Type.Optional(StringEnum(['vi', 'en'], { description: 'The page\'s language, as its own language link sets it; otherwise `Accept-Language` decides (Vietnamese by default). Only the page is in one language', examples: ['vi'] }))
}, { additionalProperties: false })

const verificationExample = {
  token: 'HN000000001-7QK2M9XW4P',
  serial: 'HN000000001',
  status: 'valid',
  valid: true,
  validUntil: '2027-11-23',
  message: 'Tem OCOP chính hãng, sản phẩm 4 sao, giấy chứng nhận HN-OCOP-2024-0123 còn hiệu lực đến hết ngày 2027-11-23. Genuine OCOP label: 4-star product, certificate HN-OCOP-2024-0123 valid through 2027-11-23.',
  checkedOn: '2026-11-23',
  lapsedOn: null,
  product: { id: '6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d', code: 'HN-018-000123', nameVi: 'Bình gốm men lam Bát Tràng', nameEn: 'Bat Trang blue-glaze vase', imageUrl: 'https://cdn.ocop.example/products/hn-000123/1.jpg' },
  producer: { id: '3b8f6c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b', name: 'HTX Gốm sứ Bát Tràng', adminUnit: { list: 'QD19-2025', code: '00577', name: 'Bát Tràng' }, province: { list: 'QD19-2025', code: '01', name: 'Hà Nội' } },
  star: 4,
  certificateNumber: 'HN-OCOP-2024-0123',
  issuedOn: '2024-11-23',
  expiresOn: '2027-11-23',
  revokedOn: null,
  current: { certificateNumber: 'HN-OCOP-2024-0123', star: 4, issuedOn: '2024-11-23', validThrough: '2027-11-23' },
  verifications: { count: 1, firstAt: '2026-11-23T09:00:00.000Z', lastAt: '2026-11-23T09:00:00.000Z', likelyCopied: false }
}
export const LabelVerification = Type.Object({
  token: Type.String(),
  serial: SerialString,
  status: StringEnum([...LABEL_STATUSES], { description: '`valid`: the label is genuine and the product holds a recognition in force today (the one it was printed under or a later one); otherwise why the product may not carry this label today' }),
  valid: Type.Boolean({ description: 'Whether the product may carry this label today' }),
  validUntil: Type.Union([DateString(), Type.Null()], { description: 'The last day of the certificate in force now, when the label is valid today' }),
  message: Type.String({ description: 'The answer in words, Vietnamese then English, for a consumer' }),
  checkedOn: DateString({ description: 'Today in Asia/Ho_Chi_Minh: the day the answer holds for' }),
  lapsedOn: Type.Union([DateString(), Type.Null()], { description: 'With `expired` or `revoked`: the first day the product may no longer carry the mark' }),
  product: Type.Object({
    id: Type.String({ format: 'uuid' }),
    code: Type.String(),
    nameVi: Type.String(),
    nameEn: Type.Union([Type.String(), Type.Null()]),
    imageUrl: Type.Union([Type.String(), Type.Null()], { description: 'The product\'s first image, if any' })
  }, { additionalProperties: false }),
  producer: Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    adminUnit: Type.Union([ref(UnitRef), Type.Null()], { description: 'Hanoi\'s administrative unit as recorded; null for a producer of another province' }),
    province: ref(UnitRef)
  }, { additionalProperties: false }),
  star: Type.Integer({ minimum: 3, maximum: 5, description: 'The star of the certificate the label was printed under' }),
  certificateNumber: Type.String({ description: 'The certificate the label was printed under' }),
  issuedOn: DateString(),
  expiresOn: DateString({ description: 'The last valid day of the certificate the label was printed under' }),
  revokedOn: Type.Union([DateString(), Type.Null()]),
  current: Type.Union([Type.Object({
    certificateNumber: Type.String(),
    star: Type.Integer({ minimum: 3, maximum: 5 }),
    issuedOn: DateString(),
    validThrough: DateString({ description: 'Its last day of the mark' })
  }, { additionalProperties: false }), Type.Null()], { description: 'The product\'s certificate in force today, whichever it was printed under; null when it holds none' }),
  verifications: Type.Object({
    count: Type.Integer({ minimum: 1, description: 'Times this label was verified, this time included: a label copied onto many products shows a large count' }),
    firstAt: Type.String({ format: 'date-time' }),
    lastAt: Type.String({ format: 'date-time' }),
    likelyCopied: Type.Boolean({ description: `More than ${COPY_WARNING_AFTER} verifications: the serial is likely printed on more than one item (README, "The label page")` })
  }, { additionalProperties: false })
}, { $id: 'LabelVerification', additionalProperties: false, examples: [verificationExample] })
export type LabelVerificationBody = Static<typeof LabelVerification>

export const LabelLinesQuery = Type.Object({
  format: Type.Optional(StringEnum(['csv', 'ndjson'], { default: 'csv', description: 'CSV for the printer (default), or NDJSON', examples: ['csv'] }))
}, { additionalProperties: false })

export const QrQuery = Type.Object({
  format: Type.Optional(StringEnum(['svg', 'png'], { default: 'svg', description: 'SVG (default, scales for print) or PNG', examples: ['svg'] })),
  size: Type.Optional(Type.Integer({ minimum: 64, maximum: 2048, default: 512, description: 'PNG width and height in pixels', examples: [512] }))
}, { additionalProperties: false })

export const labelSchemas = [LabelBatch, LabelBatchPage, LabelBatchCreate, LabelBatchVoid, LabelVerification, LabelLinkset]
