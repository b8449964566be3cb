import { Type, type Static } from 'typebox'
import { DateString, Page, PageQuery, ref, StringEnum } from '../../lib/schema.ts'
import { REMOVAL_REASONS, UPSERT_REASONS } from './tables.ts'
import { UnitFilter, UnitRef } from '../reference/schemas.ts'

export const listingExample = {
  productId: '6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d',
  productCode: 'HN-000123',
  nameVi: 'Bình gốm men lam Bát Tràng',
  nameEn: 'Bat Trang blue-glazed ceramic vase',
  group148: '4.1',
  imageUrls: ['https://cdn.ocop.example/products/hn-000123/1.jpg'],
  producer: { id: '3b8f6c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b', name: 'Hợp tác xã Gốm sứ Bát Tràng' },
  adminUnitList: 'QD124-2004',
  adminUnitCode: '018',
  province: { list: 'QD124-2004', code: '01', name: 'Hà Nội' },
  star: 4,
  certificateNumber: 'HN-OCOP-2024-0456',
  issuedOn: '2024-08-14',
  expiresOn: '2027-08-14',
  potentialFiveStar: false,
  venues: [{ id: '0f4c2a9e-7b1d-4e3f-9a8b-6c5d4e3f2a1b', name: 'Trung tâm OCOP Bát Tràng' }]
}

export const Listing = Type.Object({
  productId: Type.String({ format: 'uuid' }),
  productCode: Type.String({ maxLength: 20 }),
  nameVi: Type.String({ maxLength: 300 }),
  nameEn: Type.Union([Type.String({ maxLength: 300 }), Type.Null()]),
  group148: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
  imageUrls: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 }),
  producer: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String({ maxLength: 300 }) }, { additionalProperties: false }),
  adminUnitList: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'The code list of adminUnitCode; null outside Hanoi' }),
  adminUnitCode: Type.Union([Type.String({ maxLength: 10 }), Type.Null()], { description: 'The producer\'s unit in Hanoi as recorded; null for a product of another province' }),
  province: { ...ref(UnitRef), description: 'The producer\'s province: Hà Nội (01), or the province whose council recognised the product' },
  star: Type.Integer({ minimum: 3, maximum: 5 }),
  certificateNumber: Type.String({ maxLength: 50 }),
  issuedOn: DateString(),
  expiresOn: DateString({ description: 'The certificate\'s last valid day: the mark may be shown through this date (Hanoi time) and the listing is removed the day after' }),
  potentialFiveStar: Type.Boolean(),
  venues: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String({ maxLength: 300 }) }, { additionalProperties: false }), { description: 'Venues whose current assortment shows the product' })
}, { $id: 'Listing', additionalProperties: false, description: 'A product that may carry the OCOP mark today, as partners list it', examples: [listingExample] })
export type ListingBody = Static<typeof Listing>

export const ListingPage = Page(ref(Listing), 'ListingPage', listingExample)

export const ListingQuery = Type.Object({
  star: Type.Optional(Type.Integer({ minimum: 3, maximum: 5, description: 'Exactly this many stars', examples: [4] })),
  minStar: Type.Optional(Type.Integer({ minimum: 3, maximum: 5, description: 'At least this many stars', examples: [4] })),
  ...UnitFilter,
  producer: Type.Optional(Type.String({ format: 'uuid', description: 'Listings of this producer' })),
  group148: Type.Optional(Type.String({ maxLength: 20, description: 'QD148-2023 product group', examples: ['4.1'] })),
  expiresBefore: Type.Optional(DateString({ description: 'Certificates expiring before this date', examples: ['2027-01-01'] })),
  ...PageQuery
}, { additionalProperties: false })

const change = { seq: 1842, eventId: '9c1e7a52-3f4b-4d6a-8e2f-1a0b9c8d7e6f', productId: listingExample.productId, kind: 'upsert', reason: 'listed', listing: listingExample, at: '2026-11-23T09:00:00.000Z' }
const removal = { seq: 1843, eventId: '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', productId: listingExample.productId, kind: 'remove', reason: 'expired', listing: null, at: '2027-08-13T17:00:04.000Z' }
export const ListingChange = Type.Object({
  seq: Type.Integer({ description: 'Position in the feed' }),
  eventId: Type.String({ format: 'uuid', description: 'Also the id of the webhook event for this change' }),
  productId: Type.String({ format: 'uuid' }),
  kind: StringEnum(['upsert', 'remove'], { description: '`upsert`: create or replace the listing with `listing`; `remove`: drop it (a tombstone)' }),
  reason: StringEnum([...UPSERT_REASONS, ...REMOVAL_REASONS], { description: 'upsert: `listed` or `updated`; remove: one of ' + REMOVAL_REASONS.join(', ') }),
  listing: Type.Union([ref(Listing), Type.Null()]),
  at: Type.String({ format: 'date-time' })
}, { $id: 'ListingChange', additionalProperties: false, examples: [change, removal] })

export const ChangePage = Type.Object({
  items: Type.Array(ref(ListingChange), { maxItems: 1000 }),
  nextCursor: Type.String({ description: 'Pass as `after` next time; when `items` is empty, poll again later with the same cursor' })
}, { $id: 'ChangePage', additionalProperties: false, examples: [{ items: [change, removal], nextCursor: 'MTg0Mw' }] })

export const ChangeQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$', description: 'The `nextCursor` of the previous call, or of the export; omit to start from the beginning' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'At most this many changes (1 to 1000)', examples: [100] })),
  wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 30, default: 0, description: 'Long polling: when nothing follows the cursor, hold the request up to this many seconds (at most 30) and answer as soon as a change commits; an empty page after the wait means nothing new', examples: [25] }))
}, { additionalProperties: false })

export const Eligibility = Type.Object({
  productId: Type.String({ format: 'uuid' }),
  at: DateString(),
  eligible: Type.Boolean({ description: 'Whether the product may show the OCOP mark on that date' }),
  star: Type.Union([Type.Integer({ minimum: 3, maximum: 5 }), Type.Null()]),
  certificateNumber: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.Union([DateString(), Type.Null()], { description: 'The last day the mark may be shown under this certificate' }),
  reason: Type.Union([StringEnum(['never-recognised', 'not-yet-recognised', 'expired', 'revoked', 'archived']), Type.Null()], { description: 'Why not, when not eligible' }),
  since: Type.Union([DateString(), Type.Null()], { description: 'With `expired` or `revoked`: the day the mark stopped' })
}, {
  $id: 'Eligibility',
  additionalProperties: false,
  examples: [
    { productId: listingExample.productId, at: '2026-11-23', eligible: true, star: 4, certificateNumber: 'HN-OCOP-2024-0456', validUntil: '2027-08-13', reason: null, since: null },
    { productId: listingExample.productId, at: '2027-09-01', eligible: false, star: null, certificateNumber: 'HN-OCOP-2024-0456', validUntil: null, reason: 'expired', since: '2027-08-14' }
  ]
})

export const EligibilityQuery = Type.Object({
  at: Type.Optional(DateString({ description: 'The date to answer for (default: today in Hanoi)', examples: ['2026-11-23'] }))
}, { additionalProperties: false })

export const ReconcileResult = Type.Object({
  checked: Type.Integer({ minimum: 0, description: 'Products whose listing was recomputed: every product' }),
  changed: Type.Integer({ minimum: 0, description: 'Feed entries this run appended: 0 when the listings were already right' }),
  byReason: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { description: 'Those entries by reason (`listed`, `updated`, `archived`, `revoked`, `expired`, `not-recognised`)' }),
  firstSeq: Type.Union([Type.Integer(), Type.Null()], { description: 'The first feed entry of this run, or null' }),
  lastSeq: Type.Union([Type.Integer(), Type.Null()], { description: 'The last feed entry of this run, or null' })
}, { $id: 'ReconcileResult', additionalProperties: false, examples: [{ checked: 3317, changed: 2, byReason: { expired: 1, updated: 1 }, firstSeq: 1843, lastSeq: 1844 }] })

/** A line of the NDJSON export: one listing. */
export const ExportListingLine = Type.Object({ type: Type.Literal('listing'), listing: ref(Listing) }, { $id: 'ExportListingLine', additionalProperties: false, description: 'A line of the NDJSON export: one listing' })
/** The export's last line: how many listings it held, and where the change feed continues. */
export const ExportEndLine = Type.Object({
  type: Type.Literal('end'),
  count: Type.Integer({ minimum: 0 }),
  nextCursor: Type.String({ description: 'Continue with GET /v1/listings/changes?after=<this>' })
}, { $id: 'ExportEndLine', additionalProperties: false, description: 'The last line of the NDJSON export' })

export const listingSchemas = [ExportListingLine, ExportEndLine, Listing, ListingPage, ListingChange, ChangePage, Eligibility, ReconcileResult]
