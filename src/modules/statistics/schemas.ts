import { Type, type Static } from 'typebox'
import { DateString, StringEnum } from '../../lib/schema.ts'
import { VENUE_TYPES } from '../venues/rules.ts'
import { ListKey, UnitFilter } from '../reference/schemas.ts'

export const ProductStatisticsQuery = Type.Object({
  on: Type.Optional(DateString({ description: 'The day counted (default today, Asia/Ho_Chi_Minh)', examples: ['2025-06-30'] })),
  ...UnitFilter,
  by: Type.Optional(StringEnum(['adminUnit', 'productGroup', 'issuingLevel', 'province'], { description: 'Also break the counts down by the producer\'s administrative unit (as recorded, or with `unitList` by the units of that list), the product\'s main group (Decision 148), the council level that issued the certificate, or the province (of the list in force on `on`). Only `province` counts the products of other provinces, recognised by their own councils', examples: ['adminUnit'] })),
  unitList: Type.Optional(ListKey('With by=adminUnit: group by the units of this list, by territorial overlap: `QD19-2025` by new unit, `QD124-2004` by former district. A product counts in every unit of the list whose territory overlaps its recorded unit, so the breakdown can add up to more than the totals'))
}, { additionalProperties: false })

const counts = {
  products: Type.Integer({ minimum: 0, description: 'OCOP products (3 stars and up) with a certificate in force that day' }),
  fiveStar: Type.Integer({ minimum: 0 }),
  potentialFiveStar: Type.Integer({ minimum: 0, description: '4-star products forwarded for 5 stars and not yet reviewed that day: counted apart from fourStar, as the city publishes them' }),
  fourStar: Type.Integer({ minimum: 0 }),
  threeStar: Type.Integer({ minimum: 0 })
}
export const productStatisticsExample = {
  on: '2025-06-30',
  adminUnit: null,
  by: 'adminUnit',
  unitList: null,
  totals: { products: 3317, fiveStar: 6, potentialFiveStar: 22, fourStar: 1571, threeStar: 1718 },
  breakdown: [{ key: '281', name: 'Ứng Hòa', products: 44, fiveStar: 0, potentialFiveStar: 0, fourStar: 20, threeStar: 24 }]
}
export const ProductStatistics = Type.Object({
  on: DateString(),
  adminUnit: Type.Union([Type.String(), Type.Null()]),
  by: Type.Union([StringEnum(['adminUnit', 'productGroup', 'issuingLevel', 'province']), Type.Null()]),
  unitList: Type.Union([Type.String(), Type.Null()], { description: 'The list grouped by, with by=adminUnit' }),
  totals: Type.Object(counts, { additionalProperties: false }),
  breakdown: Type.Array(Type.Object({
    key: Type.String({ description: 'The unit code, group code or council level' }),
    name: Type.Union([Type.String(), Type.Null()], { description: 'The unit\'s or group\'s name' }),
    ...counts
  }, { additionalProperties: false }), { description: 'Empty without `by`; by key' })
}, { $id: 'ProductStatistics', additionalProperties: false, examples: [productStatisticsExample] })
export type ProductStatisticsBody = Static<typeof ProductStatistics>

export const VenueStatisticsQuery = Type.Object({
  on: Type.Optional(DateString({ description: 'The day counted (default today, Asia/Ho_Chi_Minh)', examples: ['2024-12-31'] })),
  ...UnitFilter,
  unitList: Type.Optional(ListKey('Break the venues down by the units of this list, by territorial overlap (`QD19-2025`: by new unit; `QD124-2004`: by former district); without it, by the unit as recorded'))
}, { additionalProperties: false })

export const venueStatisticsExample = { on: '2024-12-31', adminUnit: null, unitList: null, open: 12, byType: { point_of_sale: 6, showroom: 1, design_centre: 5, craft_village_venue: 0, other: 0 }, byAdminUnit: [{ key: '018', name: 'Gia Lâm', open: 3, byType: { point_of_sale: 2, showroom: 0, design_centre: 1, craft_village_venue: 0, other: 0 } }] }
const ByType = Type.Object(Object.fromEntries(VENUE_TYPES.map((type) => [type, Type.Integer({ minimum: 0 })])) as Record<typeof VENUE_TYPES[number], ReturnType<typeof Type.Integer>>,
  { additionalProperties: false, description: 'Open venues per type, each counted as recorded' })
export const VenueStatistics = Type.Object({
  on: DateString(),
  adminUnit: Type.Union([Type.String(), Type.Null()]),
  unitList: Type.Union([Type.String(), Type.Null()], { description: 'The list byAdminUnit is grouped by; null: as recorded' }),
  open: Type.Integer({ minimum: 0, description: 'Venues open that day (opened on or before it, not closed by it)' }),
  byType: ByType,
  byAdminUnit: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), open: Type.Integer({ minimum: 1 }), byType: ByType }, { additionalProperties: false }), { description: 'With `unitList`, a venue counts in every unit of that list overlapping its own, so the units can add up to more than `open`' })
}, { $id: 'VenueStatistics', additionalProperties: false, examples: [venueStatisticsExample] })
export type VenueStatisticsBody = Static<typeof VenueStatistics>

export const statisticsSchemas = [ProductStatistics, VenueStatistics]
