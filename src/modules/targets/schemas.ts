import { Type, type Static, type TSchema } from 'typebox'
import { DateString, Page, PageQuery, ref } from '../../lib/schema.ts'
import { RecordedList, WrittenList } from '../reference/schemas.ts'
import { MEASURES, MEASURE_TEXT } from './rules.ts'

const measures = MEASURES.map((m) => `\`${m}\`: ${MEASURE_TEXT[m].en}`).join('; ')
const example = {
  id: '0c0b7a60-2020-4000-8000-000000000001',
  nameVi: 'Ít nhất 500 sản phẩm OCOP đạt từ 3 sao trở lên đến năm 2020',
  nameEn: 'At least 500 OCOP products of 3 stars and up by 2020',
  source: 'Hanoi OCOP programme 2019-2020, as published by the city',
  from: '2019-01-01',
  to: '2020-12-31',
  measure: 'products-in-force',
  minStar: 3,
  venueType: null,
  adminUnitList: null,
  adminUnitCode: null,
  productGroup: null,
  number: 500,
  createdAt: '2026-11-30T02:00:00.000Z',
  updatedAt: '2026-11-30T02:00:00.000Z'
}
const progressExample = { on: '2020-12-31', measuredOn: '2020-12-31', started: true, ended: true, value: 630, number: 500, share: 1.26, reached: true, met: true }

const Measure = Type.String({ pattern: '^[a-z-]{1,40}$', description: `What is counted (an unknown one is a 422 naming \`measure\`): ${measures}`, examples: ['products-in-force'] })
const names = {
  nameVi: Type.String({ minLength: 1, maxLength: 300, examples: [example.nameVi] }),
  nameEn: Type.String({ minLength: 1, maxLength: 300, examples: [example.nameEn] }),
  source: Type.String({ minLength: 1, maxLength: 1000, description: 'The plan or decision that set the target, and its words', examples: [example.source] })
}
const fields = {
  ...names,
  from: DateString({ description: 'First day of the period', examples: [example.from] }),
  to: DateString({ description: 'Last day of the period: stocks are counted on it, flows up to it', examples: [example.to] }),
  measure: Measure,
  minStar: Type.Integer({ description: 'For the product measures only, and required with them: the least star counted (3 to 5; otherwise a 422 naming `minStar`)', examples: [3] }),
  venueType: Type.String({ pattern: '^[a-z_]{1,40}$', description: 'For `venues-open` only: count venues of this type (GET /v1/venues lists the types); all types when absent', examples: ['point_of_sale'] }),
  adminUnitCode: Type.String({ pattern: '^[0-9]{2,5}$', description: 'Count only in this administrative unit\'s territory (across the 2025 reform, as the unit filters). It must be valid during the period (422).', examples: ['018'] }),
  adminUnitList: WrittenList,
  productGroup: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$', description: 'Count only products of this QD148-2023 group or sub-group (MOUs: covering one); not with `venues-open`', examples: ['4'] }),
  number: Type.Integer({ minimum: 1, maximum: 1000000, description: 'The number to reach', examples: [500] })
}

export const Target = Type.Object({
  id: Type.String({ format: 'uuid' }),
  ...names,
  from: fields.from,
  to: fields.to,
  measure: Measure,
  minStar: Type.Union([Type.Integer({ minimum: 3, maximum: 5 }), Type.Null()]),
  venueType: Type.Union([Type.String(), Type.Null()]),
  adminUnitList: Type.Union([RecordedList, Type.Null()]),
  adminUnitCode: Type.Union([Type.String(), Type.Null()]),
  productGroup: Type.Union([Type.String(), Type.Null()]),
  number: fields.number,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'Target', additionalProperties: false, examples: [example] })
export type TargetBody = Static<typeof Target>

const O = Type.Optional
export const TargetCreate = Type.Object({
  ...names,
  from: fields.from,
  to: fields.to,
  measure: fields.measure,
  minStar: O(fields.minStar),
  venueType: O(fields.venueType),
  adminUnitCode: O(fields.adminUnitCode),
  adminUnitList: O(fields.adminUnitList),
  productGroup: O(fields.productGroup),
  number: fields.number
}, { $id: 'TargetCreate', additionalProperties: false, examples: [{ nameVi: 'Ít nhất 40 điểm bán sản phẩm OCOP mở cửa năm 2027', nameEn: 'At least 40 OCOP points of sale open in 2027', source: 'Kế hoạch OCOP năm 2027 (ví dụ)', from: '2027-01-01', to: '2027-12-31', measure: 'venues-open', venueType: 'point_of_sale', number: 40 }] })
export type TargetCreateBody = Static<typeof TargetCreate>

const orNull = <T extends TSchema>(schema: T) => O(Type.Union([schema, Type.Null()]))
export const TargetPatch = Type.Object({
  nameVi: O(names.nameVi),
  nameEn: O(names.nameEn),
  source: O(names.source),
  from: O(fields.from),
  to: O(fields.to),
  measure: O(fields.measure),
  minStar: orNull(fields.minStar),
  venueType: orNull(fields.venueType),
  adminUnitCode: orNull(fields.adminUnitCode),
  adminUnitList: O(fields.adminUnitList),
  productGroup: orNull(fields.productGroup),
  number: O(fields.number)
}, { $id: 'TargetPatch', additionalProperties: false, minProperties: 1, description: 'The fields to change; `null` removes an optional one. The target as changed must hold together as a new one would (422 otherwise).', examples: [{ number: 45 }] })
export type TargetPatchBody = Static<typeof TargetPatch>

export const TargetProgress = Type.Object({
  on: DateString({ description: 'The day asked about' }),
  measuredOn: DateString({ description: 'The day counted up to: the day asked, or the period\'s last day if that is earlier' }),
  started: Type.Boolean({ description: 'Whether the period had started on that day. Before it, a flow counts 0 and a stock is its count on that day.' }),
  ended: Type.Boolean({ description: 'Whether the period had ended by that day (its last day included)' }),
  value: Type.Integer({ minimum: 0, description: 'The measure counted with only what had happened by `measuredOn`' }),
  number: Type.Integer({ description: 'The target\'s number' }),
  share: Type.Number({ description: '`value / number`, to four decimals (1.26: 126% of the target)' }),
  reached: Type.Boolean({ description: 'Whether `value` is at least `number`' }),
  met: Type.Union([Type.Boolean(), Type.Null()], { description: 'Whether the target was met by the period\'s end; null until the period has ended on the day asked' })
}, { $id: 'TargetProgress', additionalProperties: false, examples: [progressExample] })
export type TargetProgressBody = Static<typeof TargetProgress>

export const TargetWithProgress = Type.Object({ ...Target.properties, progress: ref(TargetProgress) }, { $id: 'TargetWithProgress', additionalProperties: false, examples: [{ ...example, progress: progressExample }] })
export const TargetPage = Page(ref(TargetWithProgress), 'TargetPage', { ...example, progress: progressExample })

export const OnQuery = { on: Type.Optional(DateString({ description: 'The day (default today, Hanoi time)', examples: ['2020-12-31'] })) }
export const TargetQuery = Type.Object({ ...OnQuery, measure: Type.Optional(Measure), ...PageQuery }, { additionalProperties: false })
export const ProgressQuery = Type.Object(OnQuery, { additionalProperties: false })

export const targetSchemas = [Target, TargetCreate, TargetPatch, TargetProgress, TargetWithProgress, TargetPage]
