import { Type, type Static } from 'typebox'
import { DateString, ref, StringEnum } from '../../lib/schema.ts'

export const CRITERIA_SETS = ['QD1048-2019', 'QD148-2023'] as const
export const CriteriaSetKey = StringEnum([...CRITERIA_SETS], { description: 'Criteria set version key; each defines its product taxonomy', examples: ['QD148-2023'] })

export const AdminUnit = Type.Object({
  code: Type.String({ maxLength: 10, description: 'GSO code of the unit', examples: ['279'] }),
  name: Type.String({ maxLength: 200, examples: ['Thường Tín'] }),
  nameEn: Type.String({ maxLength: 200, examples: ['Thuong Tin District'] }),
  kind: StringEnum(['urban_district', 'town', 'rural_district', 'ward', 'commune'], { examples: ['rural_district'] }),
  level: StringEnum(['district', 'commune'], { description: 'District level until 2025-06-30; commune level from 2025-07-01', examples: ['district'] }),
  validFrom: DateString({ examples: ['2008-08-01'] }),
  validTo: Type.Union([DateString(), Type.Null()], { description: 'Last day the unit existed; null while it still does', examples: ['2025-06-30'] })
}, {
  $id: 'AdminUnit',
  additionalProperties: false,
  description: 'A unit of Hanoi\'s administration, with the dates it was valid',
  examples: [{ code: '279', name: 'Thường Tín', nameEn: 'Thuong Tin District', kind: 'rural_district', level: 'district', validFrom: '2008-08-01', validTo: '2025-06-30' }]
})
export type AdminUnitBody = Static<typeof AdminUnit>

const KINDS = ['urban_district', 'town', 'rural_district', 'ward', 'commune'] as const
export const AdminUnitCreate = Type.Object({
  code: Type.String({ pattern: '^[0-9]{3,5}$', description: 'GSO code', examples: ['09955'] }),
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Bát Tràng'] }),
  nameEn: Type.String({ minLength: 1, maxLength: 200, examples: ['Bat Trang Commune'] }),
  kind: StringEnum([...KINDS], { description: 'District level: urban_district, town, rural_district; commune level: ward, commune', examples: ['commune'] }),
  level: StringEnum(['district', 'commune'], { examples: ['commune'] }),
  validFrom: DateString({ examples: ['2025-07-01'] }),
  validTo: Type.Optional(Type.Union([DateString(), Type.Null()], { description: 'Not before validFrom', examples: [null] })),
  formerCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{3,5}$' }), { uniqueItems: true, maxItems: 10, description: 'The units its territory came from: filters on them also find records made under this one', examples: [['018']] }))
}, {
  $id: 'AdminUnitCreate',
  additionalProperties: false,
  examples: [{ code: '09955', name: 'Bát Tràng', nameEn: 'Bat Trang Commune', kind: 'commune', level: 'commune', validFrom: '2025-07-01', formerCodes: ['018'] }]
})
export type AdminUnitCreateBody = Static<typeof AdminUnitCreate>

export const AdminUnitList = Type.Object({
  items: Type.Array(ref(AdminUnit), { maxItems: 1000 })
}, { $id: 'AdminUnitList', additionalProperties: false })

export const AdminUnitQuery = Type.Object({
  level: Type.Optional(StringEnum(['district', 'commune'], { description: 'Only units of this level', examples: ['district'] })),
  kind: Type.Optional(StringEnum(['urban_district', 'town', 'rural_district', 'ward', 'commune'], { description: 'Only units of this kind', examples: ['rural_district'] })),
  validOn: Type.Optional(DateString({ description: 'Only units valid on this date (`YYYY-MM-DD`)', examples: ['2024-05-01'] }))
}, { additionalProperties: false })

export const AdminUnitParams = Type.Object({
  code: Type.String({ pattern: '^[0-9]{3,5}$', description: 'GSO code', examples: ['279'] })
}, { additionalProperties: false })

export const GroupRef = Type.Object({
  criteriaSet: CriteriaSetKey,
  code: Type.String({ maxLength: 20, examples: ['keepsake'] })
}, { $id: 'ProductGroupRef', additionalProperties: false })

export const ProductGroup = Type.Object({
  criteriaSet: CriteriaSetKey,
  code: Type.String({ maxLength: 20, examples: ['4.1'] }),
  parentCode: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'The group a sub-group belongs to; null for a top-level group', examples: ['4'] }),
  level: Type.Integer({ minimum: 1, maximum: 2, description: '1: group, 2: sub-group (148) or product set (1048)', examples: [2] }),
  nameVi: Type.String({ maxLength: 300, examples: ['Thủ công mỹ nghệ, trang trí, gia dụng'] }),
  nameEn: Type.String({ maxLength: 300, examples: ['Handicrafts, decoration and household goods'] }),
  mapsTo: Type.Array(ref(GroupRef), { maxItems: 20, description: 'The same group read in the other taxonomy', examples: [[{ criteriaSet: 'QD1048-2019', code: 'keepsake' }]] })
}, {
  $id: 'ProductGroup',
  additionalProperties: false,
  examples: [{ criteriaSet: 'QD148-2023', code: '4.1', parentCode: '4', level: 2, nameVi: 'Thủ công mỹ nghệ, trang trí, gia dụng', nameEn: 'Handicrafts, decoration and household goods', mapsTo: [{ criteriaSet: 'QD1048-2019', code: 'keepsake' }] }]
})
export type ProductGroupBody = Static<typeof ProductGroup>

export const ProductGroupList = Type.Object({
  items: Type.Array(ref(ProductGroup), { maxItems: 1000 })
}, { $id: 'ProductGroupList', additionalProperties: false })

export const ProductGroupQuery = Type.Object({
  criteriaSet: Type.Optional(StringEnum([...CRITERIA_SETS], { default: 'QD148-2023', description: 'Which taxonomy to list (default: the one in force, QD148-2023)', examples: ['QD1048-2019'] }))
}, { additionalProperties: false })

export const referenceSchemas = [AdminUnit, AdminUnitCreate, AdminUnitList, GroupRef, ProductGroup, ProductGroupList]
