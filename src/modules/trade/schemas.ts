import { Type, type Static } from 'typebox'
import { DateString, Page, PageQuery, ref, StringEnum, WebUrl } from '../../lib/schema.ts'
import { FAIR_KINDS, FAIR_STATUSES, MOU_STATUSES, PARTNER_KINDS, REGIONS } from './rules.ts'
import { RecordedList, UnitFilter, WrittenList } from '../reference/schemas.ts'

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])
const Stamp = Type.String({ format: 'date-time' })
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2', examples: ['VN'] })

// Distribution partners
const partnerExample = { id: '4f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8', name: 'Hệ thống siêu thị BRG Mart', kind: 'supermarket_chain', country: 'VN', taxCode: '0100100953', contactName: 'Phòng thu mua', phone: '02439393939', email: 'thumua@brgmart.vn', website: 'https://brgmart.vn', createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z' }
export const Partner = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ maxLength: 300 }),
  kind: StringEnum([...PARTNER_KINDS]),
  country: Type.String({ maxLength: 2 }),
  taxCode: nullable(Type.String({ maxLength: 30 })),
  contactName: nullable(Type.String({ maxLength: 200 })),
  phone: nullable(Type.String({ maxLength: 30 })),
  email: nullable(Type.String({ maxLength: 200 })),
  website: nullable(Type.String({ maxLength: 500 })),
  createdAt: Stamp,
  updatedAt: Stamp
}, { $id: 'Partner', additionalProperties: false, description: 'A distribution partner that signs MOUs: a supermarket chain, an e-commerce platform, a distributor, an exporter…', examples: [partnerExample] })
export type PartnerBody = Static<typeof Partner>
export const PartnerCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 300, examples: [partnerExample.name] }),
  kind: StringEnum([...PARTNER_KINDS], { examples: ['supermarket_chain'] }),
  country: Type.Optional(Country),
  taxCode: Type.Optional(Type.Union([Type.String({ minLength: 3, maxLength: 30 }), Type.Null()], { description: 'For a Vietnamese partner: 10 digits, or 10 digits and a branch suffix', examples: ['0100100953'] })),
  contactName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ pattern: '^[+0-9 .()-]{6,30}$' }), Type.Null()], { examples: ['024 3939 3939'] })),
  email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()])),
  website: Type.Optional(Type.Union([WebUrl(), Type.Null()]))
}, { $id: 'PartnerCreate', additionalProperties: false, examples: [{ name: partnerExample.name, kind: 'supermarket_chain', taxCode: '0100100953' }] })
export type PartnerCreateBody = Static<typeof PartnerCreate>
export const PartnerPatch = Type.Partial(PartnerCreate, { $id: 'PartnerPatch', additionalProperties: false, minProperties: 1, examples: [{ email: 'ocop@brgmart.vn' }] })
export const PartnerPage = Page(ref(Partner), 'PartnerPage', partnerExample)
export const PartnerQuery = Type.Object({
  kind: Type.Optional(StringEnum([...PARTNER_KINDS], { description: 'Partner kind', examples: ['ecommerce_platform'] })),
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO country code', examples: ['VN'] })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name, insensitive to case and diacritics', examples: ['brg'] })),
  ...PageQuery
}, { additionalProperties: false })

// Fairs and booths
const fairExample = { id: '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d', name: 'Hội chợ sản phẩm OCOP Hà Nội 2020', kind: 'ocop_fair', organiser: 'Sở Nông nghiệp và Phát triển nông thôn Hà Nội', address: 'Cung Văn hóa Hữu nghị, 91 Trần Hưng Đạo, Hoàn Kiếm', venueId: null, adminUnitList: 'QD124-2004', adminUnitCode: '002', startsOn: '2020-12-25', endsOn: '2020-12-27', regions: ['red_river_delta', 'northern_mountains'], status: 'closed', statusReason: null, createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z' }
export const Fair = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ maxLength: 300 }),
  kind: StringEnum([...FAIR_KINDS]),
  organiser: Type.String({ maxLength: 300 }),
  address: nullable(Type.String({ maxLength: 500 })),
  venueId: nullable(Type.String({ format: 'uuid' })),
  adminUnitList: RecordedList,
  adminUnitCode: Type.String({ maxLength: 10 }),
  startsOn: DateString(),
  endsOn: DateString(),
  regions: Type.Array(StringEnum([...REGIONS]), { description: 'Regions whose products are featured' }),
  status: StringEnum([...FAIR_STATUSES]),
  statusReason: nullable(Type.String({ maxLength: 1000 })),
  createdAt: Stamp,
  updatedAt: Stamp
}, { $id: 'Fair', additionalProperties: false, description: 'A trade fair or promotion event', examples: [fairExample] })
export type FairBody = Static<typeof Fair>
export const FairCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 300, examples: [fairExample.name] }),
  kind: StringEnum([...FAIR_KINDS], { examples: ['ocop_fair'] }),
  organiser: Type.String({ minLength: 1, maxLength: 300, examples: [fairExample.organiser] }),
  address: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Null()], { description: 'An address, or a `venueId` (at least one)', examples: [fairExample.address] })),
  venueId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  adminUnitCode: Type.String({ pattern: '^[0-9]{3,5}$', description: 'Must be valid on the start date', examples: ['002'] }),
  adminUnitList: WrittenList,
  startsOn: DateString({ examples: ['2020-12-25'] }),
  endsOn: DateString({ description: 'Not before startsOn', examples: ['2020-12-27'] }),
  regions: Type.Optional(Type.Array(StringEnum([...REGIONS]), { uniqueItems: true, maxItems: REGIONS.length, examples: [['red_river_delta']] }))
}, { $id: 'FairCreate', additionalProperties: false, examples: [{ name: fairExample.name, kind: 'ocop_fair', organiser: fairExample.organiser, address: fairExample.address, adminUnitCode: '002', startsOn: '2020-12-25', endsOn: '2020-12-27', regions: ['red_river_delta'] }] })
export type FairCreateBody = Static<typeof FairCreate>
const { adminUnitCode: _u, adminUnitList: _l, ...fairEditable } = FairCreate.properties
export const FairPatch = Type.Partial(Type.Object({
  ...fairEditable,
  status: StringEnum([...FAIR_STATUSES], { description: 'planned → open → closed; planned or open → cancelled' }),
  statusReason: Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()])
}), { $id: 'FairPatch', additionalProperties: false, minProperties: 1, examples: [{ status: 'open' }, { endsOn: '2020-12-28' }] })
export type FairPatchBody = Static<typeof FairPatch>
export const FairPage = Page(ref(Fair), 'FairPage', fairExample)
export const FairQuery = Type.Object({
  kind: Type.Optional(StringEnum([...FAIR_KINDS], { description: 'Fair kind', examples: ['ocop_fair'] })),
  status: Type.Optional(StringEnum([...FAIR_STATUSES], { description: 'Fair status', examples: ['closed'] })),
  ...UnitFilter,
  from: Type.Optional(DateString({ description: 'Fairs ending on or after this date', examples: ['2020-01-01'] })),
  to: Type.Optional(DateString({ description: 'Fairs starting on or before this date', examples: ['2020-12-31'] })),
  ...PageQuery
}, { additionalProperties: false })

const boothExample = { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', fairId: fairExample.id, number: 'A12', producerId: '3b8f6c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b', productIds: ['6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d'], createdAt: '2026-11-23T09:00:00.000Z' }
export const Booth = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fairId: Type.String({ format: 'uuid' }),
  number: Type.String({ maxLength: 20 }),
  producerId: Type.String({ format: 'uuid' }),
  productIds: Type.Array(Type.String({ format: 'uuid' }), { description: 'Products shown (the producer\'s own)' }),
  createdAt: Stamp
}, { $id: 'Booth', additionalProperties: false, examples: [boothExample] })
export type BoothBody = Static<typeof Booth>
export const BoothCreate = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 20, description: 'Unique within the fair', examples: ['A12'] }),
  producerId: Type.String({ format: 'uuid', examples: [boothExample.producerId] }),
  productIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { uniqueItems: true, maxItems: 100, description: 'Each must belong to the producer', examples: [boothExample.productIds] }))
}, { $id: 'BoothCreate', additionalProperties: false, examples: [{ number: 'A12', producerId: boothExample.producerId, productIds: boothExample.productIds }] })
export type BoothCreateBody = Static<typeof BoothCreate>
export const BoothList = Type.Object({ items: Type.Array(ref(Booth)) }, { $id: 'BoothList', additionalProperties: false, examples: [{ items: [boothExample] }] })

export const FairFigures = Type.Object({
  fairId: Type.String({ format: 'uuid' }),
  booths: Type.Integer({ minimum: 0 }),
  producers: Type.Integer({ minimum: 0, description: 'Distinct producers with a booth' }),
  productsShown: Type.Integer({ minimum: 0, description: 'Distinct products shown on the booths' }),
  mousSigned: Type.Integer({ minimum: 0, description: 'MOUs signed at the fair' }),
  mouValueVnd: Type.Integer({ minimum: 0, description: 'Their total estimated value, VND' })
}, { $id: 'FairFigures', additionalProperties: false, examples: [{ fairId: fairExample.id, booths: 120, producers: 104, productsShown: 830, mousSigned: 179, mouValueVnd: 52_000_000_000 }] })

// MOUs
const mouExample = { id: '0c9b8a7f-6e5d-4c3b-a2f1-e0d9c8b7a6f5', producerId: boothExample.producerId, partnerId: partnerExample.id, witness: 'Sở Công Thương Hà Nội', fairId: fairExample.id, signedOn: '2020-12-26', termStart: '2021-01-01', termEnd: '2022-12-31', valueVnd: 1_500_000_000, market: 'domestic', exportCountries: [], documentUrls: ['https://docs.ocop.example/mou/2020-179.pdf'], productIds: boothExample.productIds, status: 'in_effect', recordedStatus: 'in_effect', statusReason: null, statusChangedOn: '2021-01-01', createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z' }
export const Mou = Type.Object({
  id: Type.String({ format: 'uuid' }),
  producerId: Type.String({ format: 'uuid' }),
  partnerId: Type.String({ format: 'uuid' }),
  witness: nullable(Type.String({ maxLength: 300 })),
  fairId: nullable(Type.String({ format: 'uuid' })),
  signedOn: DateString(),
  termStart: DateString(),
  termEnd: DateString(),
  valueVnd: Type.Integer({ minimum: 0 }),
  market: StringEnum(['domestic', 'export']),
  exportCountries: Type.Array(Type.String({ maxLength: 2 })),
  documentUrls: Type.Array(Type.String({ maxLength: 500 })),
  productIds: Type.Array(Type.String({ format: 'uuid' })),
  status: StringEnum([...MOU_STATUSES], { description: 'As of today: a signed or in-effect MOU whose term has ended reads `expired`' }),
  recordedStatus: StringEnum([...MOU_STATUSES], { description: 'The last status recorded' }),
  statusReason: nullable(Type.String({ maxLength: 1000 })),
  statusChangedOn: Type.Union([DateString(), Type.Null()]),
  createdAt: Stamp,
  updatedAt: Stamp
}, { $id: 'Mou', additionalProperties: false, description: 'A memorandum of understanding between a producer and a distribution partner', examples: [mouExample] })
export type MouBody = Static<typeof Mou>
export const MouCreate = Type.Object({
  producerId: Type.String({ format: 'uuid', examples: [mouExample.producerId] }),
  partnerId: Type.String({ format: 'uuid', examples: [mouExample.partnerId] }),
  witness: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()], { description: 'The city department witnessing it, if any', examples: ['Sở Công Thương Hà Nội'] })),
  fairId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The fair where it was signed: `signedOn` must fall within it' })),
  signedOn: DateString({ examples: ['2020-12-26'] }),
  termStart: DateString({ description: 'Not before signedOn', examples: ['2021-01-01'] }),
  termEnd: DateString({ description: 'Not before termStart', examples: ['2022-12-31'] }),
  valueVnd: Type.Integer({ minimum: 0, maximum: 1e15, description: 'Estimated value, VND', examples: [1_500_000_000] }),
  market: StringEnum(['domestic', 'export'], { examples: ['domestic'] }),
  exportCountries: Type.Optional(Type.Array(Country, { uniqueItems: true, maxItems: 50, description: 'Required (at least one) for an export MOU, empty otherwise', examples: [['JP', 'KR']] })),
  documentUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', pattern: '^https://', maxLength: 500 }), { maxItems: 20, examples: [mouExample.documentUrls] })),
  productIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Products of that producer', examples: [mouExample.productIds] })
}, { $id: 'MouCreate', additionalProperties: false, examples: [{ producerId: mouExample.producerId, partnerId: mouExample.partnerId, fairId: mouExample.fairId, signedOn: '2020-12-26', termStart: '2021-01-01', termEnd: '2022-12-31', valueVnd: 1_500_000_000, market: 'domestic', productIds: mouExample.productIds }] })
export type MouCreateBody = Static<typeof MouCreate>
export const MouStatusChange = Type.Object({
  status: StringEnum(['in_effect', 'fulfilled', 'expired', 'terminated'], { description: 'signed → in_effect → fulfilled; signed or in_effect → expired or terminated', examples: ['in_effect'] }),
  on: Type.Optional(DateString({ description: 'When it happened; default today', examples: ['2021-01-01'] })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Required to terminate', examples: ['Đối tác ngừng kinh doanh ngành hàng'] }))
}, { $id: 'MouStatusChange', additionalProperties: false, examples: [{ status: 'in_effect', on: '2021-01-01' }, { status: 'terminated', reason: 'Đối tác ngừng kinh doanh ngành hàng' }] })
export type MouStatusChangeBody = Static<typeof MouStatusChange>
export const MouPage = Page(ref(Mou), 'MouPage', mouExample)
export const MouQuery = Type.Object({
  producer: Type.Optional(Type.String({ format: 'uuid', description: 'MOUs of this producer' })),
  partner: Type.Optional(Type.String({ format: 'uuid', description: 'MOUs with this partner' })),
  fair: Type.Optional(Type.String({ format: 'uuid', description: 'MOUs signed at this fair' })),
  status: Type.Optional(StringEnum([...MOU_STATUSES], { description: 'Status as of today', examples: ['in_effect'] })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Signed in this year', examples: [2020] })),
  market: Type.Optional(StringEnum(['domestic', 'export'], { description: 'Market', examples: ['export'] })),
  ...PageQuery
}, { additionalProperties: false })

const figureExample = { year: 2020, adminUnitCode: '018', mous: 42, valueVnd: 63_000_000_000, byPartnerKind: { supermarket_chain: 30, ecommerce_platform: 12 }, byStatus: { signed: 5, in_effect: 30, fulfilled: 7 } }
export const MouFigures = Type.Object({
  items: Type.Array(Type.Object({
    year: Type.Integer(),
    adminUnitCode: Type.Union([Type.String(), Type.Null()], { description: 'The producer\'s administrative unit as recorded; null for producers of other provinces' }),
    mous: Type.Integer({ minimum: 0 }),
    valueVnd: Type.Integer({ minimum: 0 }),
    byPartnerKind: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    byStatus: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'By status as of today' })
  }, { additionalProperties: false }))
}, { $id: 'MouFigures', additionalProperties: false, description: 'MOUs signed, per year and administrative unit, computed by SQL aggregation', examples: [{ items: [figureExample] }] })
export const MouFigureQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Only this year', examples: [2020] })),
  ...UnitFilter
}, { additionalProperties: false })

export const tradeSchemas = [Partner, PartnerCreate, PartnerPatch, PartnerPage, Fair, FairCreate, FairPatch, FairPage, Booth, BoothCreate, BoothList, FairFigures, Mou, MouCreate, MouStatusChange, MouPage, MouFigures]
