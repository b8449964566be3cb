import { Type, type Static } from 'typebox'
import { DateString, Page, PageQuery, ref, StringEnum, WebUrl } from '../../lib/schema.ts'
import { ListKey, UnitFilter, UnitRef } from '../reference/schemas.ts'

const TYPES = ['cooperative', 'enterprise', 'household_business', 'cooperative_group'] as const
const example = {
  id: '3b8f6c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b',
  name: 'Hợp tác xã Gốm sứ Bát Tràng',
  type: 'cooperative',
  taxCode: '0101234567',
  representative: 'Nguyễn Văn An',
  address: 'Thôn 3, xã Bát Tràng, huyện Gia Lâm, Hà Nội',
  adminUnitList: 'QD124-2004',
  adminUnitCode: '018',
  successorUnits: [['00136', 'Phúc Lợi'], ['00145', 'Long Biên'], ['00541', 'Phù Đổng'], ['00562', 'Thuận An'], ['00565', 'Gia Lâm'], ['00577', 'Bát Tràng']].map(([code, name]) => ({ list: 'QD19-2025', code, name })),
  province: { list: 'QD124-2004', code: '01', name: 'Hà Nội' },
  registeredOn: '2021-03-15',
  craftVillageId: '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c',
  phone: '0912345678',
  email: 'lienhe@gombattrang.vn',
  website: 'https://gombattrang.vn',
  socialUrl: 'https://www.facebook.com/gombattrang',
  status: 'active',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z'
}

export const Producer = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ maxLength: 300 }),
  type: StringEnum([...TYPES]),
  taxCode: Type.Union([Type.String({ maxLength: 14 }), Type.Null()], { description: '10 digits, or 10 digits and a branch suffix (0101234567-001)' }),
  representative: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  address: Type.String({ maxLength: 500 }),
  adminUnitList: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'The code list of `adminUnitCode`: `QD124-2004` (a district, before 2025-07-01) or `QD19-2025` (a commune-level unit); null outside Hanoi' }),
  adminUnitCode: Type.Union([Type.String({ maxLength: 10 }), Type.Null()], { description: 'Hanoi\'s administrative unit as recorded: on the registration date, or where the producer was moved since; null for a producer of another province' }),
  successorUnits: Type.Array(ref(UnitRef), { maxItems: 50, description: 'When the recorded unit has ended (a district, after 2025-06-30): the units of the current list that took any of its territory. Which one the producer is in now is known only once it is moved (PATCH `adminUnitCode`)' }),
  province: ref(UnitRef),
  registeredOn: DateString({ description: 'Registration date (the unit must be valid on it)' }),
  craftVillageId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  phone: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'National format: 0912345678, 02433334444' }),
  email: Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()]),
  website: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
  socialUrl: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
  status: StringEnum(['active', 'inactive']),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'Producer', additionalProperties: false, description: 'A producer (chủ thể OCOP)', examples: [example] })
export type ProducerBody = Static<typeof Producer>

const writable = {
  name: Type.String({ minLength: 1, maxLength: 300, examples: [example.name] }),
  type: StringEnum([...TYPES], { examples: ['cooperative'] }),
  taxCode: Type.Union([Type.String({ minLength: 10, maxLength: 20, examples: ['0101234567'] }), Type.Null()], { description: '10 digits, or 10 digits and a 3-digit branch suffix (`0101234567-001` or 13 digits)' }),
  representative: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { examples: [example.representative] }),
  address: Type.String({ minLength: 1, maxLength: 500, examples: [example.address] }),
  adminUnitCode: Type.String({ pattern: '^[0-9]{3,5}$', description: 'Hanoi\'s unit, valid on registeredOn: a district (list QD124-2004) before 2025-07-01, a commune-level unit (list QD19-2025) from then on. Required in Hanoi, refused outside it', examples: ['018'] }),
  adminUnitList: ListKey('The list of adminUnitCode. Default: the list in force on registeredOn (on a move: today)'),
  provinceCode: Type.String({ pattern: '^[0-9]{2}$', description: 'Default 01, Hà Nội. Another province (valid on registeredOn, GET /v1/provinces) for a producer whose products are recognised there', examples: ['15'] }),
  provinceList: ListKey('The list of provinceCode. Default: the list in force on registeredOn'),
  registeredOn: DateString({ description: 'Default: today in Hanoi', examples: ['2021-03-15'] }),
  craftVillageId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  phone: Type.Union([Type.String({ pattern: '^[+0-9 .()-]{9,20}$' }), Type.Null()], { description: 'Vietnamese mobile or landline; +84 accepted', examples: ['0912 345 678'] }),
  email: Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()], { examples: [example.email] }),
  website: Type.Union([WebUrl({ description: 'Website' }), Type.Null()], { examples: [example.website] }),
  socialUrl: Type.Union([WebUrl({ description: 'Social page (Facebook, Zalo, TikTok…)', examples: [example.socialUrl] }), Type.Null()], { examples: [example.socialUrl] })
}

export const ProducerCreate = Type.Object({
  name: writable.name,
  type: writable.type,
  taxCode: Type.Optional(writable.taxCode),
  representative: Type.Optional(writable.representative),
  address: writable.address,
  adminUnitCode: Type.Optional(writable.adminUnitCode),
  adminUnitList: Type.Optional(writable.adminUnitList),
  provinceCode: Type.Optional(writable.provinceCode),
  provinceList: Type.Optional(writable.provinceList),
  registeredOn: Type.Optional(writable.registeredOn),
  craftVillageId: Type.Optional(writable.craftVillageId),
  phone: Type.Optional(writable.phone),
  email: Type.Optional(writable.email),
  website: Type.Optional(writable.website),
  socialUrl: Type.Optional(writable.socialUrl)
}, {
  $id: 'ProducerCreate',
  additionalProperties: false,
  examples: [{ name: example.name, type: 'cooperative', taxCode: '0101234567', address: example.address, adminUnitCode: '018', registeredOn: '2021-03-15', phone: '0912 345 678' }]
})
export type ProducerCreateBody = Static<typeof ProducerCreate>

// The registration date and province stay as registered; a producer in Hanoi moves to another unit
// (valid today) with `adminUnitCode`; `status` deactivates or reactivates.
const { registeredOn: _registered, provinceCode: _province, provinceList: _provinceList, ...editable } = ProducerCreate.properties
export const ProducerPatch = Type.Partial(Type.Object({
  ...editable,
  status: StringEnum(['active', 'inactive'], { description: 'Reactivate (or deactivate) the producer' })
}), { $id: 'ProducerPatch', additionalProperties: false, minProperties: 1, examples: [{ phone: '024 3333 4444', website: 'https://gombattrang.vn' }] })
export type ProducerPatchBody = Static<typeof ProducerPatch>

export const ProducerPage = Page(ref(Producer), 'ProducerPage', example)

export const SortParam = Type.Optional(StringEnum(['name', 'updatedAt', 'relevance'], { description: '`name` (default), `updatedAt` (oldest change first, for sync with `updatedSince`) or `relevance` (default when `q` is given)', examples: ['name'] }))

export const ProducerQuery = Type.Object({
  ...UnitFilter,
  craftVillage: Type.Optional(Type.String({ format: 'uuid', description: 'Producers in this craft village' })),
  type: Type.Optional(StringEnum([...TYPES], { description: 'Producer type', examples: ['cooperative'] })),
  status: Type.Optional(StringEnum(['active', 'inactive'], { description: 'Staff only: inactive producers are hidden from others', examples: ['active'] })),
  updatedSince: Type.Optional(Type.String({ format: 'date-time', description: 'Changed at or after this instant', examples: ['2026-11-01T00:00:00Z'] })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name, insensitive to case and diacritics, typo-tolerant', examples: ['gom bat trang'] })),
  sort: SortParam,
  ...PageQuery
}, { additionalProperties: false })

export const producerSchemas = [Producer, ProducerCreate, ProducerPatch, ProducerPage]
