import { Type, type Static } from 'typebox'
import { DateString, Page, PageQuery, ref, StringEnum, WebUrl } from '../../lib/schema.ts'
import { LOCATION_KINDS, VENUE_STATUSES, VENUE_TYPES, WEEKDAYS } from './rules.ts'
import { RecordedList, UnitFilter, WrittenList } from '../reference/schemas.ts'

const example = {
  id: '0f4c2a9e-7b1d-4e3f-9a8b-6c5d4e3f2a1b',
  name: 'Trung tâm thiết kế sáng tạo và quảng bá sản phẩm OCOP Bát Tràng',
  type: 'design_centre',
  locationKind: 'craft_village_area',
  address: 'Thôn 5, xã Bát Tràng, huyện Gia Lâm, Hà Nội',
  adminUnitList: 'QD124-2004',
  adminUnitCode: '018',
  craftVillageId: '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c',
  latitude: 20.9758,
  longitude: 105.9127,
  operatorName: 'Sở Nông nghiệp và Môi trường Hà Nội',
  phone: '02438765432',
  email: 'ocop.battrang@hanoi.gov.vn',
  website: 'https://ocop.hanoi.gov.vn',
  openingHours: { mon: [{ opens: '08:00', closes: '17:30' }], sat: [{ opens: '08:00', closes: '12:00' }, { opens: '13:30', closes: '21:00' }] },
  openedOn: '2022-11-12',
  closedOn: null,
  closureReason: null,
  status: 'open',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z'
}

const Time = (closing: boolean) => closing
  ? Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: '"HH:MM", or "24:00" for midnight', examples: ['17:30'] })
  : Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: '"HH:MM"', examples: ['08:00'] })
const Interval = Type.Object({ opens: Time(false), closes: Time(true) }, { additionalProperties: false })
export const OpeningHours = Type.Object(
  Object.fromEntries(WEEKDAYS.map((day) => [day, Type.Optional(Type.Array(Interval, { maxItems: 6 }))])),
  { $id: 'OpeningHours', additionalProperties: false, description: 'Opening intervals per weekday in Hanoi time (Asia/Ho_Chi_Minh); a day left out is closed. Intervals of a day must not overlap.', examples: [example.openingHours] }
)

const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'WGS84 latitude', examples: [example.latitude] })
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'WGS84 longitude', examples: [example.longitude] })
const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

export const Venue = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ maxLength: 300 }),
  type: StringEnum([...VENUE_TYPES], { description: 'Point of introduction and sale, showroom, creative design / OCOP centre, craft-village or rural-tourism venue, other' }),
  locationKind: StringEnum([...LOCATION_KINDS], { description: 'Where it stands (Decision 950/QĐ-BCT)' }),
  address: Type.String({ maxLength: 500 }),
  adminUnitList: RecordedList,
  adminUnitCode: Type.String({ maxLength: 10, description: 'Administrative unit on the opening date' }),
  craftVillageId: nullable(Type.String({ format: 'uuid' })),
  latitude: Type.Number(),
  longitude: Type.Number(),
  operatorName: nullable(Type.String({ maxLength: 300 })),
  phone: nullable(Type.String({ maxLength: 20 })),
  email: nullable(Type.String({ maxLength: 200 })),
  website: nullable(Type.String({ maxLength: 500 })),
  openingHours: Type.Union([ref(OpeningHours), Type.Null()]),
  openedOn: Type.Union([DateString(), Type.Null()]),
  closedOn: Type.Union([DateString(), Type.Null()]),
  closureReason: nullable(Type.String({ maxLength: 1000 })),
  status: StringEnum([...VENUE_STATUSES]),
  distanceKm: Type.Optional(Type.Number({ description: 'Great-circle distance from `near`, in km (nearby searches only)' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'Venue', additionalProperties: false, description: 'An OCOP venue: a point of introduction and sale, a showroom, a centre', examples: [example] })
export type VenueBody = Static<typeof Venue>

const writable = {
  name: Type.String({ minLength: 1, maxLength: 300, examples: [example.name] }),
  type: StringEnum([...VENUE_TYPES], { examples: ['design_centre'] }),
  locationKind: StringEnum([...LOCATION_KINDS], { examples: ['craft_village_area'] }),
  address: Type.String({ minLength: 1, maxLength: 500, examples: [example.address] }),
  adminUnitCode: Type.String({ pattern: '^[0-9]{3,5}$', description: 'Must be valid on `openedOn` (checked when a planned venue opens): a district before 2025-07-01, a commune-level unit from then on', examples: ['018'] }),
  adminUnitList: WrittenList,
  craftVillageId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  latitude: Latitude,
  longitude: Longitude,
  allowOutsideHanoi: Type.Boolean({ description: 'Coordinates outside Hanoi\'s bounding box are refused unless this is true (a showroom in another province)', examples: [false] }),
  operatorName: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()], { examples: [example.operatorName] }),
  phone: Type.Union([Type.String({ pattern: '^[+0-9 .()-]{9,20}$' }), Type.Null()], { description: 'Vietnamese mobile or landline; +84 accepted', examples: ['024 3876 5432'] }),
  email: Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()], { examples: [example.email] }),
  website: Type.Union([WebUrl(), Type.Null()], { examples: [example.website] }),
  openingHours: Type.Union([ref(OpeningHours), Type.Null()]),
  openedOn: DateString({ description: 'Required with status `open`; default today', examples: ['2022-11-12'] }),
  status: StringEnum(['planned', 'open'], { description: 'A venue starts planned (default) or open; close it with POST …/close', examples: ['open'] })
}

export const VenueCreate = Type.Object({
  ...writable,
  craftVillageId: Type.Optional(writable.craftVillageId),
  allowOutsideHanoi: Type.Optional(writable.allowOutsideHanoi),
  operatorName: Type.Optional(writable.operatorName),
  phone: Type.Optional(writable.phone),
  email: Type.Optional(writable.email),
  website: Type.Optional(writable.website),
  openingHours: Type.Optional(writable.openingHours),
  openedOn: Type.Optional(writable.openedOn),
  status: Type.Optional(writable.status)
}, {
  $id: 'VenueCreate',
  additionalProperties: false,
  examples: [{ name: example.name, type: 'design_centre', locationKind: 'craft_village_area', address: example.address, adminUnitCode: '018', latitude: 20.9758, longitude: 105.9127, status: 'open', openedOn: '2022-11-12', openingHours: example.openingHours }]
})
export type VenueCreateBody = Static<typeof VenueCreate>

// The unit stays as registered (it was checked on the opening date); closing has its own action.
const { adminUnitCode: _unit, adminUnitList: _list, ...editable } = VenueCreate.properties
export const VenuePatch = Type.Partial(Type.Object(editable), {
  $id: 'VenuePatch',
  additionalProperties: false,
  minProperties: 1,
  description: 'Moving `status` from planned to open records `openedOn` (default today). Coordinates must be sent together.',
  examples: [{ status: 'open', openedOn: '2026-12-01' }, { openingHours: { sun: [{ opens: '09:00', closes: '18:00' }] } }]
})
export type VenuePatchBody = Static<typeof VenuePatch>

export const VenueClose = Type.Object({
  closedOn: Type.Optional(DateString({ description: 'Default: today in Hanoi; not before the opening date', examples: ['2026-12-31'] })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, examples: ['Hết hợp đồng thuê mặt bằng'] }))
}, { $id: 'VenueClose', additionalProperties: false, examples: [{ closedOn: '2026-12-31', reason: 'Hết hợp đồng thuê mặt bằng' }] })

const GeoPoint = Type.Object({
  type: Type.Literal('Point'),
  coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[longitude, latitude] (RFC 7946)' })
}, { additionalProperties: false })
const { latitude: _lat, longitude: _lng, id: _id, ...properties } = Venue.properties
export const VenueFeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String({ format: 'uuid' }),
    geometry: GeoPoint,
    properties: Type.Object(properties, { additionalProperties: false })
  }, { additionalProperties: false }), { maxItems: 100 }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'A foreign member (RFC 7946 §6.1): the cursor of the next page, also in the `Link: rel="next"` header' })
}, {
  $id: 'VenueFeatureCollection',
  additionalProperties: false,
  description: 'A page of venues as a GeoJSON FeatureCollection (RFC 7946), for map libraries',
  examples: [{ type: 'FeatureCollection', features: [{ type: 'Feature', id: example.id, geometry: { type: 'Point', coordinates: [example.longitude, example.latitude] }, properties: (({ id: _i, latitude: _a, longitude: _o, ...rest }) => rest)(example) }], nextCursor: null }]
})

export const VenuePage = Page(ref(Venue), 'VenuePage', { ...example, distanceKm: 1.37 })

export const VenueQuery = Type.Object({
  type: Type.Optional(StringEnum([...VENUE_TYPES], { description: 'Venue type', examples: ['design_centre'] })),
  locationKind: Type.Optional(StringEnum([...LOCATION_KINDS], { description: 'Kind of location', examples: ['craft_village_area'] })),
  ...UnitFilter,
  craftVillage: Type.Optional(Type.String({ format: 'uuid', description: 'Venues in this craft village' })),
  status: Type.Optional(StringEnum([...VENUE_STATUSES], { description: 'Planned venues are shown to staff only', examples: ['open'] })),
  carries: Type.Optional(Type.String({ format: 'uuid', description: 'Venues whose current assortment shows this product' })),
  openNow: Type.Optional(Type.Boolean({ description: 'Open venues whose opening hours include the present moment in Hanoi', examples: [true] })),
  openAt: Type.Optional(Type.String({ format: 'date-time', description: 'Open venues whose opening hours include this instant (read in Asia/Ho_Chi_Minh)', examples: ['2026-11-28T19:30:00+07:00'] })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name or address, insensitive to case and diacritics', examples: ['bat trang'] })),
  near: Type.Optional(Type.String({ pattern: '^-?[0-9]{1,2}(\\.[0-9]+)?,-?[0-9]{1,3}(\\.[0-9]+)?$', description: '`lat,lng`: venues within `radiusKm`, nearest first, each with `distanceKm`', examples: ['21.0285,105.8542'] })),
  radiusKm: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200, description: 'With `near`: the search radius in km (default 5)', examples: [10] })),
  ...PageQuery
}, { additionalProperties: false })
export type VenueQueryBody = Static<typeof VenueQuery>

export const venueSchemas = [OpeningHours, Venue, VenueCreate, VenuePatch, VenueClose, VenuePage, VenueFeatureCollection]

const entryExample = {
  id: '5e7a9c1b-3d2f-4a6e-8b0c-1d2e3f4a5b6c',
  venueId: example.id,
  productId: '6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d',
  productCode: 'HN-000123',
  productName: 'Bình gốm men lam Bát Tràng',
  star: 4,
  certificateExpiresOn: '2027-08-14',
  since: '2026-01-10',
  until: null,
  shown: true
}
export const AssortmentEntry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  venueId: Type.String({ format: 'uuid' }),
  productId: Type.String({ format: 'uuid' }),
  productCode: Type.String({ maxLength: 20 }),
  productName: Type.String({ maxLength: 300 }),
  star: Type.Union([Type.Integer({ minimum: 3, maximum: 5 }), Type.Null()], { description: 'The product\'s star today; null when its certificate has expired or was revoked' }),
  certificateExpiresOn: Type.Union([DateString(), Type.Null()]),
  since: DateString({ description: 'Carried from this day' }),
  until: Type.Union([DateString(), Type.Null()], { description: 'Carried until this day (withdrawn or venue closed); null while carried' }),
  shown: Type.Boolean({ description: 'In the current assortment: carried today and the product holds a recognition in force' })
}, { $id: 'AssortmentEntry', additionalProperties: false, description: 'A period during which a venue carries a product', examples: [entryExample] })
export type AssortmentEntryBody = Static<typeof AssortmentEntry>

export const AssortmentPage = Page(ref(AssortmentEntry), 'AssortmentPage', entryExample)

export const AssortmentAdd = Type.Object({
  productIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Each must hold a recognition of 3 stars or more in force (on `since` and today)', examples: [[entryExample.productId]] }),
  since: Type.Optional(DateString({ description: 'Default: today in Hanoi; not before the venue opened', examples: ['2026-01-10'] }))
}, { $id: 'AssortmentAdd', additionalProperties: false, examples: [{ productIds: [entryExample.productId], since: '2026-01-10' }] })
export type AssortmentAddBody = Static<typeof AssortmentAdd>

export const AssortmentAdded = Type.Object({ items: Type.Array(ref(AssortmentEntry), { maxItems: 100 }) }, { $id: 'AssortmentAdded', additionalProperties: false, examples: [{ items: [entryExample] }] })

export const AssortmentWithdraw = Type.Object({
  until: Type.Optional(DateString({ description: 'Last day carried; default today in Hanoi', examples: ['2026-12-31'] }))
}, { $id: 'AssortmentWithdraw', additionalProperties: false, examples: [{ until: '2026-12-31' }] })

export const AssortmentQuery = Type.Object({
  history: Type.Optional(Type.Boolean({ description: 'Every period ever carried, ended ones and products no longer recognised included (default: the current assortment only)', examples: [true] })),
  ...PageQuery
}, { additionalProperties: false })

export const VenueProductParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Venue id', examples: [example.id] }),
  productId: Type.String({ format: 'uuid', description: 'Product id', examples: [entryExample.productId] })
}, { additionalProperties: false })

export const assortmentSchemas = [AssortmentEntry, AssortmentPage, AssortmentAdd, AssortmentAdded, AssortmentWithdraw]
