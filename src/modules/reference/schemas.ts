import { Type, type Static } from 'typebox'
import { DateString, ref, StringEnum } from '../../lib/schema.ts'

export const CRITERIA_SETS = ['QD1048-2019', 'QD148-2023'] as const
export const CriteriaSetKey = StringEnum([...CRITERIA_SETS], { description: 'Criteria set version key; each defines its product taxonomy', examples: ['QD148-2023'] })

/** A code list's key (GET /v1/unit-lists): codes are unique only within a list. */
export const ListKey = (description: string) => Type.String({ pattern: '^[A-Za-z0-9-]{1,20}$', description, examples: ['QD19-2025'] })

/**
 * The filter on a unit every list shares: territorial overlap across the 2025 reform, read both ways.
 * Not exact: some units took only part of a former commune, and a district's records are found under
 * each new unit that took any of its territory.
 */
export const UnitFilter = {
  adminUnit: Type.Optional(Type.String({ pattern: '^[0-9]{3,5}$', description: 'Records in this unit or in any unit whose territory overlaps it across the 2025 reform: a former district (`018`) also finds the records of every new unit that took any of its territory, and a new unit (`00577`, Bát Tràng) the records of every district it took territory from (Gia Lâm and Long Biên). Territorial overlap, not exact: some units took only part of a former commune', examples: ['279'] })),
  adminUnitList: Type.Optional(ListKey('The list of `adminUnit`, needed only when its code is in more than one list'))
}

/** A record's unit as it reads: the list of its `adminUnitCode`. */
export const RecordedList = Type.String({ maxLength: 20, description: 'The code list of `adminUnitCode` (GET /v1/unit-lists)', examples: ['QD124-2004'] })
/** A write's optional list: without it the code is read in the list in force on the record's date. */
export const WrittenList = Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,20}$', description: 'The code list of `adminUnitCode`. Default: the list in force on the record\'s date (or the one list that has the code)', examples: ['QD124-2004'] }))

export const UnitRef = Type.Object({
  list: Type.String({ maxLength: 20, description: 'The code list the code belongs to', examples: ['QD19-2025'] }),
  code: Type.String({ maxLength: 10, examples: ['00577'] }),
  name: Type.String({ maxLength: 200, examples: ['Bát Tràng'] })
}, { $id: 'UnitRef', additionalProperties: false, description: 'A unit (or a province) named by its list and code' })
export type UnitRefBody = Static<typeof UnitRef>

export const UnitList = Type.Object({
  key: Type.String({ maxLength: 20, examples: ['QD19-2025'] }),
  name: Type.String({ maxLength: 200, examples: ['Danh mục đơn vị hành chính từ ngày 01/07/2025'] }),
  nameEn: Type.String({ maxLength: 200, examples: ['Administrative unit codes from 1 July 2025'] }),
  source: Type.String({ maxLength: 300, description: 'The decision that issued the list', examples: ['Quyết định 19/2025/QĐ-TTg'] }),
  validFrom: DateString({ examples: ['2025-07-01'] }),
  validTo: Type.Union([DateString(), Type.Null()], { description: 'Last day the list was in force; null while it is', examples: [null] })
}, {
  $id: 'UnitList',
  additionalProperties: false,
  description: 'A list of administrative unit codes. Exactly one is in force on any day; a code is read in the list in force on the date it is about',
  examples: [{ key: 'QD19-2025', name: 'Danh mục đơn vị hành chính từ ngày 01/07/2025', nameEn: 'Administrative unit codes from 1 July 2025', source: 'Quyết định 19/2025/QĐ-TTg (công văn 915/CTK-CSCL và 1027/CTK-CSCL)', validFrom: '2025-07-01', validTo: null }]
})
export type UnitListBody = Static<typeof UnitList>
export const UnitListList = Type.Object({ items: Type.Array(ref(UnitList), { maxItems: 100 }) }, { $id: 'UnitListList', additionalProperties: false })

const adminUnitExample = { list: 'QD124-2004', code: '018', name: 'Gia Lâm', nameEn: 'Gia Lam District', kind: 'rural_district', level: 'district', validFrom: '2008-08-01', validTo: '2025-06-30', formerUnits: [], successorUnits: [['00136', 'Phúc Lợi'], ['00145', 'Long Biên'], ['00541', 'Phù Đổng'], ['00562', 'Thuận An'], ['00565', 'Gia Lâm'], ['00577', 'Bát Tràng']].map(([code, name]) => ({ list: 'QD19-2025', code, name })) }
export const AdminUnit = Type.Object({
  list: Type.String({ maxLength: 20, description: 'The code list: `QD124-2004` (the districts, until 2025-06-30) or `QD19-2025` (the 126 commune-level units, from 2025-07-01)', examples: ['QD124-2004'] }),
  code: Type.String({ maxLength: 10, description: 'GSO code, unique within its list only', examples: ['018'] }),
  name: Type.String({ maxLength: 200, examples: ['Gia Lâm'] }),
  nameEn: Type.String({ maxLength: 200, examples: ['Gia Lam District'] }),
  kind: StringEnum(['urban_district', 'town', 'rural_district', 'ward', 'commune'], { examples: ['rural_district'] }),
  level: StringEnum(['district', 'commune'], { description: 'District level until 2025-06-30; commune level from 2025-07-01', examples: ['district'] }),
  validFrom: DateString({ examples: ['2008-08-01'] }),
  validTo: Type.Union([DateString(), Type.Null()], { description: 'Last day the unit existed; null while it still does', examples: ['2025-06-30'] }),
  formerUnits: Type.Array(ref(UnitRef), { maxItems: 50, description: 'The units its territory came from (all or part of each)' }),
  successorUnits: Type.Array(ref(UnitRef), { maxItems: 50, description: 'The units that took any of its territory' })
}, {
  $id: 'AdminUnit',
  additionalProperties: false,
  description: 'A unit of Hanoi\'s administration, identified by its list and code, with the dates it was valid and its territorial links across the 2025 reform',
  examples: [adminUnitExample]
})
export type AdminUnitBody = Static<typeof AdminUnit>

const KINDS = ['urban_district', 'town', 'rural_district', 'ward', 'commune'] as const
export const AdminUnitCreate = Type.Object({
  list: Type.Optional(ListKey('Default: the list in force on validFrom')),
  code: Type.String({ pattern: '^[0-9]{3,5}$', description: 'GSO code', examples: ['10999'] }),
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Thử nghiệm'] }),
  nameEn: Type.String({ minLength: 1, maxLength: 200, examples: ['Thu Nghiem Commune'] }),
  kind: StringEnum([...KINDS], { description: 'District level: urban_district, town, rural_district; commune level: ward, commune', examples: ['commune'] }),
  level: StringEnum(['district', 'commune'], { examples: ['commune'] }),
  validFrom: DateString({ examples: ['2026-07-01'] }),
  validTo: Type.Optional(Type.Union([DateString(), Type.Null()], { description: 'Not before validFrom', examples: [null] })),
  formerCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{3,5}$' }), { uniqueItems: true, maxItems: 30, description: 'The units its territory came from, as codes of the list in force the day before validFrom: filters on them also find records made under this one', examples: [['00577']] }))
}, {
  $id: 'AdminUnitCreate',
  additionalProperties: false,
  examples: [{ code: '10999', name: 'Thử nghiệm', nameEn: 'Thu Nghiem Commune', kind: 'commune', level: 'commune', validFrom: '2026-07-01', formerCodes: ['00577'] }]
})
export type AdminUnitCreateBody = Static<typeof AdminUnitCreate>

export const AdminUnitList = Type.Object({
  items: Type.Array(ref(AdminUnit), { maxItems: 1000 })
}, { $id: 'AdminUnitList', additionalProperties: false })

export const AdminUnitQuery = Type.Object({
  list: Type.Optional(ListKey('Only units of this code list')),
  level: Type.Optional(StringEnum(['district', 'commune'], { description: 'Only units of this level', examples: ['district'] })),
  kind: Type.Optional(StringEnum(['urban_district', 'town', 'rural_district', 'ward', 'commune'], { description: 'Only units of this kind', examples: ['rural_district'] })),
  validOn: Type.Optional(DateString({ description: 'Only units valid on this date (`YYYY-MM-DD`)', examples: ['2024-05-01'] }))
}, { additionalProperties: false })

export const AdminUnitParams = Type.Object({
  code: Type.String({ pattern: '^[0-9]{3,5}$', description: 'GSO code', examples: ['279'] })
}, { additionalProperties: false })
export const CodeListQuery = Type.Object({
  list: Type.Optional(ListKey('The code list; needed only when the code is in more than one'))
}, { additionalProperties: false })

const provinceExample = { list: 'QD19-2025', code: '15', name: 'Lào Cai', nameEn: 'Lao Cai Province', kind: 'province', validFrom: '2025-07-01', validTo: null, formerProvinces: [{ list: 'QD124-2004', code: '10', name: 'Lào Cai' }, { list: 'QD124-2004', code: '15', name: 'Yên Bái' }], successorProvinces: [] }
export const Province = Type.Object({
  list: Type.String({ maxLength: 20, description: '`QD124-2004` (the 63, until 2025-06-30) or `QD19-2025` (the 34, from 2025-07-01)', examples: ['QD19-2025'] }),
  code: Type.String({ maxLength: 2, description: 'GSO code, unique within its list only (new 15 is Lào Cai, old 15 was Yên Bái)', examples: ['15'] }),
  name: Type.String({ maxLength: 200, examples: ['Lào Cai'] }),
  nameEn: Type.String({ maxLength: 200, examples: ['Lao Cai Province'] }),
  kind: StringEnum(['city', 'province'], { description: 'A centrally-run city (thành phố) or a province (tỉnh)', examples: ['province'] }),
  validFrom: DateString({ examples: ['2025-07-01'] }),
  validTo: Type.Union([DateString(), Type.Null()], { examples: [null] }),
  formerProvinces: Type.Array(ref(UnitRef), { maxItems: 10, description: 'The provinces of the old list merged into it' }),
  successorProvinces: Type.Array(ref(UnitRef), { maxItems: 10, description: 'The province of the new list it was merged into' })
}, { $id: 'Province', additionalProperties: false, description: 'A province or centrally-run city of Vietnam', examples: [provinceExample] })
export type ProvinceBody = Static<typeof Province>
export const ProvinceList = Type.Object({ items: Type.Array(ref(Province), { maxItems: 200 }) }, { $id: 'ProvinceList', additionalProperties: false })
export const ProvinceQuery = Type.Object({
  list: Type.Optional(ListKey('Only provinces of this code list')),
  validOn: Type.Optional(DateString({ description: 'Only provinces valid on this date', examples: ['2025-07-01'] }))
}, { additionalProperties: false })
export const ProvinceParams = Type.Object({
  code: Type.String({ pattern: '^[0-9]{2}$', description: 'GSO code', examples: ['15'] })
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

export const referenceSchemas = [UnitRef, UnitList, UnitListList, AdminUnit, AdminUnitCreate, AdminUnitList, Province, ProvinceList, GroupRef, ProductGroup, ProductGroupList]
