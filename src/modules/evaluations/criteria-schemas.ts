import { Type, type Static } from 'typebox'
import { DateString, ref, StringEnum } from '../../lib/schema.ts'

const criterionExample = { code: 'C2', titleVi: 'Chứng nhận an toàn, chất lượng', titleEn: 'Safety and quality certification', maxPoints: 10, minimumPoints: { 3: null, 4: 6, 5: 8 } }

const MinimumPoints = (star: string) => Type.Union([Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.25 }), Type.Null()], { description: `Minimum mean points for ${star} stars` })

export const Criterion = Type.Object({
  code: Type.String({ pattern: '^[A-Z][A-Z0-9.]{0,19}$', description: 'Unique within the set', examples: ['C2'] }),
  titleVi: Type.String({ minLength: 1, maxLength: 300 }),
  titleEn: Type.String({ minLength: 1, maxLength: 300 }),
  maxPoints: Type.Number({ exclusiveMinimum: 0, maximum: 100, multipleOf: 0.25, examples: [10] }),
  minimumPoints: Type.Object({
    3: MinimumPoints('3'),
    4: MinimumPoints('4'),
    5: MinimumPoints('5')
  }, { additionalProperties: false, description: 'A mandatory criterion: the mean points the members must give it for a result at each star level (null: not mandatory at that level). A criterion mandatory at one level is mandatory at every level above, with a minimum at least as high. Decisions only name the mandatory criteria; these numbers are data of the set.', examples: [{ 3: null, 4: 6, 5: 8 }] })
}, { $id: 'Criterion', additionalProperties: false, examples: [criterionExample] })

export const CriteriaPart = Type.Object({
  part: StringEnum(['A', 'B', 'C'], { description: 'A: production and community; B: marketing and story; C: quality and export' }),
  titleVi: Type.String({ minLength: 1, maxLength: 300 }),
  titleEn: Type.String({ minLength: 1, maxLength: 300 }),
  maxPoints: Type.Integer({ minimum: 1, maximum: 100, description: 'The parts of a set add up to 100' }),
  criteria: Type.Array(ref(Criterion), { minItems: 1, maxItems: 60, description: 'Their maxima add up to the part\'s' })
}, { $id: 'CriteriaPart', additionalProperties: false })

const setExample = {
  key: 'QD148-2023',
  titleVi: 'Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (Quyết định 148/QĐ-TTg)',
  titleEn: 'OCOP product evaluation and classification criteria (Decision 148/QĐ-TTg)',
  decision: '148/QĐ-TTg of 24 Feb 2023',
  appliesFrom: '2023-02-24',
  appliesTo: null,
  usableFrom: '2023-02-24',
  usableUntil: null,
  quorum: 3,
  taxonomy: 'QD148-2023',
  parts: [
    { part: 'A', titleVi: 'Sản xuất, phát triển sản phẩm và sức mạnh cộng đồng', titleEn: 'Production organisation, product development and community strength', maxPoints: 40, criteria: [{ code: 'A1', titleVi: 'Nguồn nguyên liệu địa phương', titleEn: 'Local origin of raw materials', maxPoints: 40, minimumPoints: { 3: 16, 4: 24, 5: 32 } }] },
    { part: 'B', titleVi: 'Khả năng tiếp thị và câu chuyện sản phẩm', titleEn: 'Marketing capability and the product story', maxPoints: 25, criteria: [{ code: 'B1', titleVi: 'Tiếp thị và kênh phân phối', titleEn: 'Marketing and distribution channels', maxPoints: 25, minimumPoints: { 3: null, 4: null, 5: null } }] },
    { part: 'C', titleVi: 'Chất lượng sản phẩm', titleEn: 'Product quality, standards and export capability', maxPoints: 35, criteria: [criterionExample, { code: 'C3', titleVi: 'Tính chất cảm quan, công năng', titleEn: 'Sensory and functional qualities', maxPoints: 25, minimumPoints: { 3: null, 4: null, 5: null } }] }
  ]
}

const setFields = {
  key: Type.String({ pattern: '^[A-Z][A-Z0-9-]{2,39}$', description: 'Version key', examples: ['QD148-2023'] }),
  titleVi: Type.String({ minLength: 1, maxLength: 300 }),
  titleEn: Type.String({ minLength: 1, maxLength: 300 }),
  decision: Type.String({ minLength: 1, maxLength: 300, description: 'The decision that issued the set', examples: ['148/QĐ-TTg of 24 Feb 2023'] }),
  appliesFrom: DateString({ examples: ['2023-02-24'] }),
  appliesTo: Type.Union([DateString(), Type.Null()], { description: 'Last day it applies; null while in force' }),
  usableFrom: DateString({ description: 'The first decision date for which a council may decide under this set', examples: ['2023-02-24'] }),
  usableUntil: Type.Union([DateString(), Type.Null()], { description: 'The last decision date for which it may be used (after its successor came in, for dossiers already under evaluation); null while in use' }),
  quorum: Type.Integer({ minimum: 1, maximum: 50, description: 'The fewest score sheets a council needs before it decides', examples: [3] }),
  taxonomy: StringEnum(['QD1048-2019', 'QD148-2023'], { description: 'The product taxonomy its groups are read in' }),
  parts: Type.Array(ref(CriteriaPart), { minItems: 3, maxItems: 3, description: 'Parts A, B and C, adding up to 100 points' })
}

export const CriteriaSet = Type.Object(setFields, { $id: 'CriteriaSet', additionalProperties: false, examples: [setExample] })
export type CriteriaSetBody = Static<typeof CriteriaSet>

export const CriteriaSetCreate = Type.Object({
  ...setFields,
  appliesTo: Type.Optional(setFields.appliesTo),
  usableFrom: Type.Optional(DateString({ description: 'Default: appliesFrom', examples: ['2023-02-24'] })),
  usableUntil: Type.Optional(Type.Union([DateString(), Type.Null()], { description: 'Default: appliesTo' })),
  quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Default: 3', examples: [3] }))
}, {
  $id: 'CriteriaSetCreate',
  additionalProperties: false,
  description: 'A new version, with its score card: for example an official per-group card',
  examples: [{ ...setExample, key: 'QD148-2023-FOOD', titleEn: 'QD148 score card for food (group 1)' }]
})
export type CriteriaSetCreateBody = Static<typeof CriteriaSetCreate>

export const CriteriaSetList = Type.Object({ items: Type.Array(ref(CriteriaSet), { maxItems: 100 }) }, { $id: 'CriteriaSetList', additionalProperties: false })

export const CriteriaSetParams = Type.Object({ key: setFields.key }, { additionalProperties: false })

export const criteriaSchemas = [Criterion, CriteriaPart, CriteriaSet, CriteriaSetCreate, CriteriaSetList]
