import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import type { Text } from '../../lib/i18n.ts'
import type { Principal } from '../../lib/principal.ts'
import type { Tx } from '../audit/service.ts'
import { normalizePhone, normalizeTaxCode } from '../producers/rules.ts'
import { ProducerCreate, ProducerPatch, type ProducerBody, type ProducerCreateBody, type ProducerPatchBody } from '../producers/schemas.ts'
import { createProducer, getProducer, updateProducer } from '../producers/service.ts'
import { producers } from '../producers/tables.ts'
import { ProductCreate, ProductPatch, type ProductBody, type ProductCreateBody, type ProductPatchBody } from '../products/schemas.ts'
import { createProduct, getProduct, updateProduct } from '../products/service.ts'
import { products } from '../products/tables.ts'

/** What an import needs around a row: the caller, the day, and a transaction. */
export interface RowContext { tx: Tx & Pick<Db, 'transaction'>, actor: Principal, now: Date, today: string }

/** A row's record, or why it cannot be one (a column and a message). */
export type Refusal = { column: string | null, detail: Text }

/**
 * One kind of record a spreadsheet can hold. Rows become the same bodies the API takes (the create
 * schema's fields, in the export's column names) and go through the same service functions, so every
 * rule of the API applies; a row matches an existing record by its natural key and then updates only
 * what differs.
 */
export interface ImportKind<Current extends Record<string, unknown>> {
  create: { properties: Record<string, object> }
  patch: { properties: Record<string, object> }
  /** Columns the file must have. */
  required: string[]
  /** Columns read besides the create schema's (references by natural key). */
  extra: string[]
  /** Columns of the export that the service computes: read past, never written (besides id, createdAt, updatedAt). */
  ignored: string[]
  /** Fills references (a producer by tax code) and normalises the key fields; refusals name the column. */
  prepare: (body: Record<string, unknown>, row: Record<string, string>, ctx: RowContext) => Promise<Refusal | undefined>
  /** The row's natural key, to find duplicates inside the file and the record it updates. */
  key: (body: Record<string, unknown>) => string | undefined
  /** The column named in "duplicates row N". */
  keyColumn: string
  find: (body: Record<string, unknown>, ctx: RowContext) => Promise<Current | undefined>
  insert: (body: Record<string, unknown>, ctx: RowContext) => Promise<unknown>
  update: (current: Current, patch: Record<string, unknown>, ctx: RowContext) => Promise<unknown>
  /** Fields given at creation only: a different value in a matched row is refused, not applied. */
  fixed: string[]
}

const db = (ctx: RowContext) => ctx.tx as unknown as Db
const unconditional = () => {}

export const producerImport: ImportKind<ProducerBody> = {
  create: ProducerCreate,
  patch: ProducerPatch,
  required: ['name', 'type', 'taxCode', 'address', 'adminUnitCode'],
  extra: [],
  // Read from the units and provinces, not imported: a producer outside Hanoi is recorded through the API.
  ignored: ['successorUnits', 'province'],
  keyColumn: 'taxCode',
  fixed: ['adminUnitCode', 'adminUnitList', 'registeredOn'],
  prepare: async (body) => {
    // Rows match producers by tax code: a row without one could never be matched again.
    if (typeof body.taxCode !== 'string') return { column: 'taxCode', detail: { vi: 'là bắt buộc khi nhập: các dòng khớp với chủ thể đã có theo mã số thuế', en: 'is required to import: rows match existing producers by it' } }
    // Normalised as the service stores them, so a row compares equal to the record it created.
    body.taxCode = normalizeTaxCode(body.taxCode)
    if (typeof body.phone === 'string') body.phone = normalizePhone(body.phone)
    return undefined
  },
  key: (body) => body.taxCode as string,
  find: async (body, ctx) => {
    const [row] = await ctx.tx.select({ id: producers.id }).from(producers).where(eq(producers.taxCode, body.taxCode as string))
    return row && getProducer(db(ctx), row.id, ctx.actor)
  },
  insert: (body, ctx) => createProducer(db(ctx), ctx.actor, body as ProducerCreateBody, ctx.now),
  update: (current, patch, ctx) => updateProducer(db(ctx), ctx.actor, current.id, patch as ProducerPatchBody, unconditional, ctx.today)
}

export const productImport: ImportKind<ProductBody> = {
  create: ProductCreate,
  patch: ProductPatch,
  required: ['nameVi', 'group148'],
  extra: ['producerTaxCode', 'code'],
  ignored: ['producerName', 'adminUnitCode', 'rating'],
  keyColumn: 'code',
  fixed: ['producerId'],
  prepare: async (body, row, ctx) => {
    const taxCode = row.producerTaxCode
    if (!body.producerId && taxCode) {
      const [producer] = await ctx.tx.select({ id: producers.id }).from(producers).where(eq(producers.taxCode, normalizeTaxCode(taxCode)))
      if (!producer) return { column: 'producerTaxCode', detail: { vi: `không có chủ thể nào có mã số thuế ${taxCode}`, en: `no producer has tax code ${taxCode}` } }
      body.producerId = producer.id
    }
    // A row with a product code finds its product by it; a new product needs its producer.
    if (!body.producerId && typeof body.code !== 'string') return { column: 'producerId', detail: { vi: 'cần producerId hoặc producerTaxCode', en: 'needs producerId or producerTaxCode' } }
    return undefined
  },
  // By code when the file has one; a new product (no code yet) by its producer and Vietnamese name.
  key: (body) => typeof body.code === 'string' ? body.code : `${String(body.producerId)}|${String(body.nameVi ?? '').toLowerCase()}`,
  find: async (body, ctx) => {
    const where = typeof body.code === 'string'
      ? eq(products.code, body.code)
      : sql`${products.producerId} = ${body.producerId as string}::uuid AND lower(${products.nameVi}) = lower(${String(body.nameVi ?? '')})`
    const [row] = await ctx.tx.select({ id: products.id }).from(products).where(where).limit(1)
    return row && getProduct(db(ctx), row.id, ctx.actor, ctx.today)
  },
  insert: async (body, ctx) => {
    const { code: _code, status, ...create } = body
    const created = await createProduct(db(ctx), ctx.actor, create as ProductCreateBody, ctx.today)
    if (status === 'active') await updateProduct(db(ctx), ctx.actor, created.id, { status: 'active' }, unconditional, ctx.today)
  },
  update: (current, patch, ctx) => updateProduct(db(ctx), ctx.actor, current.id, patch as ProductPatchBody, unconditional, ctx.today)
}
