import { Type, type Static } from 'typebox'
import { DateString, Page, PageQuery, ref, StringEnum } from '../../lib/schema.ts'
import { SortParam } from '../producers/schemas.ts'
import { UnitFilter } from '../reference/schemas.ts'

const example = {
  id: '6d2b9f3a-1c4e-4a5b-8c7d-9e0f1a2b3c4d',
  code: 'HN-000123',
  producerId: '3b8f6c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b',
  producerName: 'Hợp tác xã Gốm sứ Bát Tràng',
  adminUnitCode: '018',
  nameVi: 'Bình gốm men lam Bát Tràng',
  nameEn: 'Bat Trang blue-glazed ceramic vase',
  description: 'Bình gốm vẽ tay, men lam truyền thống.',
  group148: '4.1',
  group1048: 'keepsake',
  unit: 'chiếc',
  packaging: 'Hộp giấy',
  shelfLifeDays: null,
  priceVnd: 850000,
  imageUrls: ['https://cdn.ocop.example/products/hn-000123/1.jpg'],
  craftVillageId: '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c',
  status: 'active',
  rating: { star: 4, certificateNumber: 'HN-OCOP-2024-0456', certificateExpiresOn: '2027-08-14', potentialFiveStar: false },
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z'
}

export const Rating = Type.Object({
  star: Type.Integer({ minimum: 3, maximum: 5, description: 'Stars of the recognition in force' }),
  certificateNumber: Type.String({ maxLength: 50 }),
  certificateExpiresOn: DateString(),
  potentialFiveStar: Type.Boolean({ description: 'A 4-star recognition forwarded for central review' })
}, { $id: 'Rating', additionalProperties: false, description: 'The OCOP rating in force; computed from recognitions, never written by clients', examples: [example.rating] })

const Https = Type.String({ format: 'uri', pattern: '^https://', maxLength: 500, examples: [example.imageUrls[0]] })

export const Product = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String({ maxLength: 20, description: 'Human-readable code, generated' }),
  producerId: Type.String({ format: 'uuid' }),
  producerName: Type.String({ maxLength: 300 }),
  adminUnitCode: Type.String({ maxLength: 10, description: 'The producer\'s administrative unit' }),
  nameVi: Type.String({ maxLength: 300 }),
  nameEn: Type.Union([Type.String({ maxLength: 300 }), Type.Null()]),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  group148: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'Group in the QD148-2023 taxonomy' }),
  group1048: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'Group in the QD1048-2019 taxonomy' }),
  unit: Type.Union([Type.String({ maxLength: 50 }), Type.Null()]),
  packaging: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  shelfLifeDays: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  priceVnd: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Price in VND (integer)' }),
  imageUrls: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 }),
  craftVillageId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  status: StringEnum(['draft', 'active', 'archived']),
  rating: Type.Union([ref(Rating), Type.Null()], { description: 'Null until the product has a recognition in force' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'Product', additionalProperties: false, examples: [example] })
export type ProductBody = Static<typeof Product>

const writable = {
  nameVi: Type.String({ minLength: 1, maxLength: 300, examples: [example.nameVi] }),
  nameEn: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()], { examples: [example.nameEn] }),
  description: Type.Union([Type.String({ maxLength: 5000 }), Type.Null()]),
  group148: Type.String({ minLength: 1, maxLength: 20, description: 'Group or sub-group in QD148-2023 (see /v1/product-groups)', examples: ['4.1'] }),
  group1048: Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()], { description: 'Derived from group148 through the mapping when not given', examples: ['keepsake'] }),
  unit: Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()], { examples: ['chiếc'] }),
  packaging: Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { examples: ['Hộp giấy'] }),
  shelfLifeDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36500 }), Type.Null()], { examples: [180] }),
  priceVnd: Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }), Type.Null()], { examples: [850000] }),
  imageUrls: Type.Array(Https, { maxItems: 10, uniqueItems: true, description: 'https URLs only, at most 10', examples: [example.imageUrls] }),
  craftVillageId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()])
}

export const ProductCreate = Type.Object({
  producerId: Type.String({ format: 'uuid', examples: [example.producerId] }),
  nameVi: writable.nameVi,
  nameEn: Type.Optional(writable.nameEn),
  description: Type.Optional(writable.description),
  group148: writable.group148,
  group1048: Type.Optional(writable.group1048),
  unit: Type.Optional(writable.unit),
  packaging: Type.Optional(writable.packaging),
  shelfLifeDays: Type.Optional(writable.shelfLifeDays),
  priceVnd: Type.Optional(writable.priceVnd),
  imageUrls: Type.Optional(writable.imageUrls),
  craftVillageId: Type.Optional(writable.craftVillageId),
  status: Type.Optional(StringEnum(['draft', 'active'], { default: 'draft', description: 'Start as a draft (default) or publish at once' }))
}, { $id: 'ProductCreate', additionalProperties: false, examples: [{ producerId: example.producerId, nameVi: example.nameVi, nameEn: example.nameEn, group148: '4.1', priceVnd: 850000, imageUrls: example.imageUrls }] })
export type ProductCreateBody = Static<typeof ProductCreate>

// Every writable field but the producer, all optional; `status` publishes a draft or brings back an archived product.
const { producerId: _producer, status: _status, ...editable } = ProductCreate.properties
export const ProductPatch = Type.Partial(Type.Object({
  ...editable,
  status: StringEnum(['draft', 'active'], { description: 'Publish a draft, or bring back an archived product' })
}), { $id: 'ProductPatch', additionalProperties: false, minProperties: 1, examples: [{ priceVnd: 900000, status: 'active' }] })
export type ProductPatchBody = Static<typeof ProductPatch>

export const ProductPage = Page(ref(Product), 'ProductPage', example)

export const ProductQuery = Type.Object({
  ...UnitFilter,
  producer: Type.Optional(Type.String({ format: 'uuid', description: 'Products of this producer' })),
  group148: Type.Optional(Type.String({ maxLength: 20, description: 'A QD148-2023 group or sub-group (a group includes its sub-groups)', examples: ['4'] })),
  group1048: Type.Optional(Type.String({ maxLength: 20, description: 'A QD1048-2019 group or product set', examples: ['keepsake'] })),
  craftVillage: Type.Optional(Type.String({ format: 'uuid', description: 'Products of this craft village' })),
  status: Type.Optional(StringEnum(['draft', 'active', 'archived'], { description: 'Staff only: drafts and archived products are hidden from others', examples: ['active'] })),
  updatedSince: Type.Optional(Type.String({ format: 'date-time', description: 'Changed at or after this instant', examples: ['2026-11-01T00:00:00Z'] })),
  star: Type.Optional(Type.Integer({ minimum: 3, maximum: 5, description: 'Products whose rating in force (on `asOf`, default today) has this many stars', examples: [4] })),
  minStar: Type.Optional(Type.Integer({ minimum: 3, maximum: 5, description: 'Products rated at least this many stars', examples: [4] })),
  hasValidCertificate: Type.Optional(Type.Boolean({ description: 'Products with (true) or without (false) a certificate in force', examples: [true] })),
  asOf: Type.Optional(DateString({ description: 'Answer as of this day: ratings and rating filters read the recognition in force then', examples: ['2025-06-30'] })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Product name (Vietnamese or English), producer or craft village; insensitive to case and diacritics (đ included), typo-tolerant; exact diacritics rank first', examples: ['bat trang'] })),
  sort: SortParam,
  ...PageQuery
}, { additionalProperties: false })

export const ProductReadQuery = Type.Object({
  asOf: Type.Optional(DateString({ description: 'Show the rating in force on this day (default: today in Hanoi)', examples: ['2025-06-30'] }))
}, { additionalProperties: false })

export const productSchemas = [Rating, Product, ProductCreate, ProductPatch, ProductPage]
