import { Type, type Static } from 'typebox'
import { DateString, Page, PageQuery, ref, StringEnum } from '../../lib/schema.ts'
import { ListKey, UnitFilter } from '../reference/schemas.ts'

const LEVELS = ['commune', 'district', 'city', 'central'] as const
const sheetExample = { id: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', memberName: 'Nguyễn Thị Hoa', points: { A1: 8, A2: 4, B1: 9, C1: 9 }, partTotals: { A: 12, B: 9, C: 9 }, total: 30, createdAt: '2026-11-23T09:00:00.000Z' }
const example = {
  id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  productId: '6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d',
  criteriaSet: 'QD148-2023',
  councilLevel: 'city',
  round: { year: 2026, batch: 2 },
  status: 'scored',
  score: 72.5,
  tier: 4,
  mandatoryMet: { 3: true, 4: true, 5: false },
  sheets: [sheetExample],
  star: null,
  decisionNumber: null,
  decisionDate: null,
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z'
}

export const ScoreSheet = Type.Object({
  id: Type.String({ format: 'uuid' }),
  memberName: Type.String({ maxLength: 200 }),
  points: Type.Record(Type.String({ pattern: '^[A-Z][A-Z0-9.]{0,19}$' }), Type.Number({ minimum: 0, maximum: 100 })),
  partTotals: Type.Object({ A: Type.Number(), B: Type.Number(), C: Type.Number() }, { description: 'Computed' }),
  total: Type.Number({ description: 'Computed: the sum of the parts' }),
  createdAt: Type.String({ format: 'date-time' })
}, { $id: 'ScoreSheet', additionalProperties: false, examples: [sheetExample] })

export const Evaluation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  criteriaSet: Type.String({ maxLength: 40 }),
  councilLevel: StringEnum([...LEVELS]),
  round: Type.Object({ year: Type.Integer(), batch: Type.Integer() }, { additionalProperties: false }),
  status: StringEnum(['draft', 'submitted', 'scored', 'decided'], { description: 'draft → submitted → scored → decided' }),
  score: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], { description: 'Computed: the mean of the sheets\' totals, truncated to two decimals' }),
  tier: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], { description: 'Computed: the star tier of the score (half-open intervals)' }),
  mandatoryMet: Type.Union([Type.Object({ 3: Type.Boolean(), 4: Type.Boolean(), 5: Type.Boolean() }), Type.Null()], { description: 'Computed: whether each star level\'s mandatory criteria are met' }),
  sheets: Type.Union([Type.Array(ref(ScoreSheet), { maxItems: 50 }), Type.Null()], { description: 'Staff only; null for other readers (members\' names are not public)' }),
  star: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], { description: 'Computed at the decision: the star the score and the mandatory criteria earn' }),
  decisionNumber: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
  decisionDate: Type.Union([DateString(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'Evaluation', additionalProperties: false, examples: [example] })
export type EvaluationBody = Static<typeof Evaluation>

export const EvaluationCreate = Type.Object({
  productId: Type.String({ format: 'uuid', examples: [example.productId] }),
  criteriaSet: Type.String({ pattern: '^[A-Z][A-Z0-9-]{2,39}$', examples: ['QD148-2023'] }),
  councilLevel: StringEnum([...LEVELS], { examples: ['city'] }),
  round: Type.Object({
    year: Type.Integer({ minimum: 2018, maximum: 2100, examples: [2026] }),
    batch: Type.Integer({ minimum: 1, maximum: 12, examples: [2] })
  }, { additionalProperties: false })
}, { $id: 'EvaluationCreate', additionalProperties: false, examples: [{ productId: example.productId, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 2 } }] })
export type EvaluationCreateBody = Static<typeof EvaluationCreate>

export const ScoreSheetCreate = Type.Object({
  memberName: Type.String({ minLength: 1, maxLength: 200, description: 'The council member; never shown to anonymous readers', examples: ['Nguyễn Thị Hoa'] }),
  points: Type.Record(Type.String({ maxLength: 20 }), Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.25 }), { maxProperties: 60, description: 'Points per criterion code: every criterion of the set, none above its maximum', examples: [{ A1: 8, A2: 4, B1: 9, C1: 9 }] })
}, { $id: 'ScoreSheetCreate', additionalProperties: false, examples: [{ memberName: 'Nguyễn Thị Hoa', points: { A1: 8, A2: 4, B1: 9, C1: 9 } }] })
export type ScoreSheetCreateBody = Static<typeof ScoreSheetCreate>

export const EvaluationPage = Page(ref(Evaluation), 'EvaluationPage', example)

export const EvaluationQuery = Type.Object({
  product: Type.Optional(Type.String({ format: 'uuid', description: 'Evaluations of this product' })),
  status: Type.Optional(StringEnum(['draft', 'submitted', 'scored', 'decided'], { description: 'Staff only for anything but decided', examples: ['scored'] })),
  councilLevel: Type.Optional(StringEnum([...LEVELS], { description: 'Council level', examples: ['city'] })),
  ...PageQuery
}, { additionalProperties: false })

const recognitionExample = {
  id: '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b',
  productId: example.productId,
  evaluationId: example.id,
  source: 'decision',
  provinceList: null,
  provinceCode: null,
  issuingBody: null,
  decisionNumber: '1234/QĐ-UBND',
  decisionDate: '2026-11-20',
  issuingLevel: 'city',
  star: 4,
  certificateNumber: 'HN-OCOP-2026-0456',
  issuedOn: '2026-11-20',
  expiresOn: '2029-11-20',
  potentialFiveStar: true,
  reviewStatus: 'pending',
  reviewedOn: null,
  reviewReference: null,
  supersededBy: null,
  supersededOn: null,
  revokedOn: null,
  revocationReference: null,
  revocationReason: null,
  noticeSentOn: null,
  status: 'in-force',
  noticeDueFrom: '2029-10-06',
  noticeOverdue: false
}

export const Recognition = Type.Object({
  id: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  evaluationId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The evaluation decided; null for imported history' }),
  source: StringEnum(['decision', 'import', 'external'], { description: '`decision`: recorded by a council\'s decision in this service; `import`: history imported from the register kept before it (POST /v1/imports), with its decision reference and dates and no evaluation behind it; `external`: issued by another province\'s council and recorded by an operator (POST /v1/products/{id}/external-recognitions)' }),
  provinceList: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'External recognitions: the code list of provinceCode' }),
  provinceCode: Type.Union([Type.String({ maxLength: 2 }), Type.Null()], { description: 'External recognitions: the province whose council recognised the product; null for Hanoi\'s own' }),
  issuingBody: Type.Union([Type.String({ maxLength: 300 }), Type.Null()], { description: 'External recognitions: the body that issued the decision' }),
  decisionNumber: Type.String({ maxLength: 100 }),
  decisionDate: DateString(),
  issuingLevel: StringEnum([...LEVELS]),
  star: Type.Integer({ minimum: 3, maximum: 5 }),
  certificateNumber: Type.String({ maxLength: 100 }),
  issuedOn: DateString(),
  expiresOn: DateString({ description: 'The last day of validity, computed as the Civil Code counts 36 months: issued 2023-06-16, valid through 2026-06-16; issued 2024-02-29, valid through 2027-02-28. The mark is lost the day after.' }),
  potentialFiveStar: Type.Boolean({ description: 'A city 90+ result recognised as 4 stars and forwarded for central review' }),
  reviewStatus: Type.Union([StringEnum(['pending', 'confirmed', 'rejected']), Type.Null()], { description: 'The central review of a potential 5-star' }),
  reviewedOn: Type.Union([DateString(), Type.Null()], { description: 'The date of the central decision that confirmed or rejected the review; potential 5-star until the day before' }),
  reviewReference: Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'That central decision\'s number' }),
  supersededBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The recognition that took its place' }),
  supersededOn: Type.Union([DateString(), Type.Null()], { description: 'The first day of the recognition that took its place' }),
  revokedOn: Type.Union([DateString(), Type.Null()], { description: 'The first day without the mark by revocation' }),
  revocationReference: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  revocationReason: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  noticeSentOn: Type.Union([DateString(), Type.Null()], { description: 'When the expiry notice was sent to the producer' }),
  status: StringEnum(['in-force', 'not-yet-in-force', 'expired', 'revoked', 'superseded'], { description: 'Derived for today in Hanoi (or the list\'s `asOf`): in force from the issue date until the first of expiry (after expiresOn), revocation and supersession' }),
  noticeDueFrom: DateString({ description: 'From this day the expiry notice is due (EXPIRY_NOTICE_LEAD_DAYS before expiresOn, 45 by default)' }),
  noticeOverdue: Type.Boolean({ description: 'The notice was sent, or is still unsent on the day read, fewer than 30 days before expiresOn' })
}, { $id: 'Recognition', additionalProperties: false, examples: [recognitionExample] })

export const TimelineEvent = Type.Object({
  on: DateString({ description: 'The day it takes effect: the issue date, the review decision\'s date, the day the notice was sent, or the first day without the recognition' }),
  kind: StringEnum(['recognised', 'review-confirmed', 'review-rejected', 'notice-sent', 'superseded', 'revoked', 'expired']),
  reference: Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'The decision behind it: the recognising, reviewing, superseding or revoking decision; null for expiry and notices' }),
  recognitionId: Type.String({ format: 'uuid' }),
  certificateNumber: Type.String({ maxLength: 100 }),
  star: Type.Integer({ minimum: 3, maximum: 5 })
}, { $id: 'TimelineEvent', additionalProperties: false, examples: [{ on: '2026-11-20', kind: 'recognised', reference: '1234/QĐ-UBND', recognitionId: recognitionExample.id, certificateNumber: recognitionExample.certificateNumber, star: 4 }] })

export const RecognitionList = Type.Object({
  items: Type.Array(ref(Recognition), { maxItems: 500, description: 'Every recognition, in issue order' }),
  events: Type.Array(ref(TimelineEvent), { maxItems: 3000, description: 'The timeline as dated events, in order; expiries are listed on the first day without the mark, also when that day is still ahead' })
}, { $id: 'RecognitionList', additionalProperties: false })

export const DecisionCreate = Type.Object({
  decisionNumber: Type.String({ minLength: 1, maxLength: 100, examples: ['1234/QĐ-UBND'] }),
  decisionDate: DateString({ description: 'Decides which authority regime applies', examples: ['2026-11-20'] }),
  certificateNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Required when the result is recognised (3 stars and up); unique', examples: ['HN-OCOP-2026-0456'] })),
  issuedOn: Type.Optional(DateString({ description: 'Certificate issue date; default: the decision date', examples: ['2026-11-20'] }))
}, { $id: 'DecisionCreate', additionalProperties: false, examples: [{ decisionNumber: '1234/QĐ-UBND', decisionDate: '2026-11-20', certificateNumber: 'HN-OCOP-2026-0456' }] })
export type DecisionCreateBody = Static<typeof DecisionCreate>

export const Decided = Type.Object({
  evaluation: ref(Evaluation),
  outcome: StringEnum(['recorded', 'recognised', 'review-rejected'], { description: 'recorded: 1 or 2 stars, no certificate; recognised: a new recognition; review-rejected: a central review that did not confirm 5 stars (the 4-star recognition stands)' }),
  recognition: Type.Union([ref(Recognition), Type.Null()])
}, { $id: 'Decided', additionalProperties: false, examples: [{ evaluation: { ...example, status: 'decided', star: 5, decisionNumber: '1234/QĐ-UBND', decisionDate: '2026-11-20' }, outcome: 'recognised', recognition: recognitionExample }] })

export const ExternalRecognitionCreate = Type.Object({
  provinceCode: Type.Optional(Type.String({ pattern: '^[0-9]{2}$', description: 'The recognising province, valid on the issue date. Default: the producer\'s province', examples: ['15'] })),
  provinceList: Type.Optional(ListKey('The code list of provinceCode. Default: the list in force on issuedOn')),
  issuingBody: Type.String({ minLength: 1, maxLength: 300, examples: ['Ủy ban nhân dân tỉnh Lào Cai'] }),
  decisionNumber: Type.String({ minLength: 1, maxLength: 100, examples: ['2345/QĐ-UBND'] }),
  decisionDate: DateString({ description: 'Not after today', examples: ['2025-09-15'] }),
  star: Type.Integer({ minimum: 3, maximum: 5, examples: [4] }),
  certificateNumber: Type.String({ minLength: 1, maxLength: 100, description: 'Unique among all recognitions', examples: ['LC-OCOP-2025-0123'] }),
  issuedOn: DateString({ description: 'On or after the decision date', examples: ['2025-09-15'] }),
  expiresOn: DateString({ description: 'The certificate\'s last valid day, as printed on it', examples: ['2028-09-15'] })
}, {
  $id: 'ExternalRecognitionCreate',
  additionalProperties: false,
  description: 'A recognition issued by another province\'s council, as recorded by Hanoi',
  examples: [{ issuingBody: 'Ủy ban nhân dân tỉnh Lào Cai', decisionNumber: '2345/QĐ-UBND', decisionDate: '2025-09-15', star: 4, certificateNumber: 'LC-OCOP-2025-0123', issuedOn: '2025-09-15', expiresOn: '2028-09-15' }]
})
export type ExternalRecognitionCreateBody = Static<typeof ExternalRecognitionCreate>

export const RevocationCreate = Type.Object({
  decisionReference: Type.String({ minLength: 1, maxLength: 200, description: 'The revoking decision', examples: ['567/QĐ-UBND'] }),
  revokedOn: DateString({ description: 'From this date the product may no longer carry the OCOP mark', examples: ['2026-12-01'] }),
  reason: Type.String({ minLength: 1, maxLength: 2000, examples: ['Sản phẩm không duy trì được tiêu chuẩn chất lượng (quality no longer maintained)'] })
}, { $id: 'RevocationCreate', additionalProperties: false, examples: [{ decisionReference: '567/QĐ-UBND', revokedOn: '2026-12-01', reason: 'Quality no longer maintained' }] })
export type RevocationCreateBody = Static<typeof RevocationCreate>

export const RecognitionPage = Page(ref(Recognition), 'RecognitionPage', recognitionExample)

export const RecognitionQuery = Type.Object({
  status: Type.Optional(StringEnum(['in-force', 'not-yet-in-force', 'expired', 'revoked', 'superseded'], { description: 'As of `asOf` (default: today in Hanoi)', examples: ['in-force'] })),
  star: Type.Optional(Type.Integer({ minimum: 3, maximum: 5, description: 'Stars', examples: [4] })),
  level: Type.Optional(StringEnum([...LEVELS], { description: 'Issuing council level', examples: ['city'] })),
  ...UnitFilter,
  expiresBefore: Type.Optional(DateString({ description: 'Expiring before this date', examples: ['2027-01-01'] })),
  noticeDue: Type.Optional(Type.Boolean({ description: 'In force on `asOf`, its last valid day within EXPIRY_NOTICE_LEAD_DAYS (45 by default), and not yet notified', examples: [true] })),
  noticeOverdue: Type.Optional(Type.Boolean({ description: 'In force on `asOf`, not yet notified, and fewer than 30 days before its last valid day: the notice is late', examples: [true] })),
  asOf: Type.Optional(DateString({ description: 'The day the status is read on (default: today in Hanoi)', examples: ['2026-11-23'] })),
  ...PageQuery
}, { additionalProperties: false })

export const NoticeCreate = Type.Object({
  sentOn: DateString({ description: 'The day the notice was sent', examples: ['2026-11-23'] })
}, { $id: 'NoticeCreate', additionalProperties: false, examples: [{ sentOn: '2026-11-23' }] })

export const evaluationSchemas = [TimelineEvent, RecognitionPage, NoticeCreate, RevocationCreate, ScoreSheet, Evaluation, EvaluationCreate, ScoreSheetCreate, EvaluationPage, Recognition, RecognitionList, DecisionCreate, Decided, ExternalRecognitionCreate]
