import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { requireUnit, seesUnpublished, withinUnits, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, noSuch, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit, type Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { ratingOnSql } from '../evaluations/recognitions.ts'
import { countEvaluations } from '../evaluations/service.ts'
import { producers } from '../producers/tables.ts'
import { productGroupMappings, productGroups } from '../reference/tables.ts'
import { requireVillage } from '../villages/service.ts'
import { listProductRows, type ProductFilter } from './list.ts'
import type { ProductBody, ProductCreateBody, ProductPatchBody } from './schemas.ts'
import { products } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

const baseColumns = {
  id: products.id,
  code: products.code,
  producerId: products.producerId,
  producerName: producers.name,
  adminUnitCode: producers.adminUnitCode,
  nameVi: products.nameVi,
  nameEn: products.nameEn,
  description: products.description,
  group148: products.group148,
  group1048: products.group1048,
  unit: products.unit,
  packaging: products.packaging,
  shelfLifeDays: products.shelfLifeDays,
  priceVnd: products.priceVnd,
  imageUrls: products.imageUrls,
  craftVillageId: products.craftVillageId,
  status: products.status,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt
}
/** A product's columns with its rating on a day: the recognition in force that day, read from the timeline. */
export const productColumns = (day: SQL | string | ReturnType<typeof sql.placeholder>) => ({ ...baseColumns, rating: ratingOnSql(products.id, day).as('rating') })
type Row = { [K in keyof typeof baseColumns | 'rating']: unknown } & Record<string, unknown>

// Field by field rather than by spreading: this runs for every row of every list.
export function presentProduct (r: Row): ProductBody {
  return {
    id: r.id as string,
    code: r.code as string,
    producerId: r.producerId as string,
    producerName: r.producerName as string,
    adminUnitCode: r.adminUnitCode as string,
    nameVi: r.nameVi as string,
    nameEn: r.nameEn as string | null,
    description: r.description as string | null,
    group148: r.group148 as string | null,
    group1048: r.group1048 as string | null,
    unit: r.unit as string | null,
    packaging: r.packaging as string | null,
    shelfLifeDays: r.shelfLifeDays as number | null,
    priceVnd: r.priceVnd === null ? null : Number(r.priceVnd),
    imageUrls: r.imageUrls as string[],
    craftVillageId: r.craftVillageId as string | null,
    status: r.status as ProductBody['status'],
    rating: r.rating === null ? null : { ...(r.rating as NonNullable<ProductBody['rating']>), star: Number((r.rating as { star: unknown }).star) },
    createdAt: isoInstant(r.createdAt as string),
    updatedAt: isoInstant(r.updatedAt as string)
  }
}

/** The read of one product with its rating on a day, unexecuted (the benchmark sends the same SQL from a bare pg server). */
export const productByIdQuery = (tx: Tx, id: string, day: SQL | string | ReturnType<typeof sql.placeholder>) =>
  tx.select(productColumns(day)).from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, id))

async function load (tx: Tx, id: string, today: string, lock = false): Promise<ProductBody | undefined> {
  const query = productByIdQuery(tx, id, today)
  const [row] = lock ? await query.for('update', { of: products }) : await query
  return row && presentProduct(row)
}

// The hottest read: a statement prepared once per database (and per connection by the server).
const preparedById = new WeakMap<Db, ReturnType<typeof prepareById>>()
const prepareById = (db: Db) => productByIdQuery(db, sql.placeholder('id') as unknown as string, sql.placeholder('day')).prepare('product_by_id')

/** A product with its rating in force on `day`, whoever may see it (the route keeps it in the read cache). */
export async function readProduct (db: Db, id: string, day: string): Promise<ProductBody | undefined> {
  let byId = preparedById.get(db)
  if (!byId) preparedById.set(db, byId = prepareById(db))
  const [row] = await byId.execute({ id, day })
  return row && presentProduct(row)
}

/** Drafts and archived products of other units read as 404, as if they did not exist. */
export function visibleProduct (product: ProductBody | undefined, id: string, principal: Principal): ProductBody {
  if (!product || (product.status !== 'active' && !seesUnpublished(principal, product.adminUnitCode))) throw notFound('product', id)
  return product
}

/** A product as `principal` may read it, with the rating in force on `asOf` (default today). */
export const getProduct = async (db: Db, id: string, principal: Principal, today: string, asOf?: string): Promise<ProductBody> =>
  visibleProduct(await readProduct(db, id, asOf ?? today), id, principal)

export type { ProductFilter } from './list.ts'

export async function listProducts (db: Db, filter: ProductFilter, principal: Principal, today: string) {
  const page = await listProductRows(db, () => productColumns(sql.placeholder('day')), filter, principal, today)
  return { items: page.items.map((r) => presentProduct(r as Row)), nextCursor: page.nextCursor }
}

/** Checks the groups against the reference data and derives the 1048 group from the 148 one. */
async function resolveGroups (tx: Tx, group148: string | undefined, group1048: string | null | undefined): Promise<{ group148?: string, group1048?: string | null }> {
  const out: { group148?: string, group1048?: string | null } = {}
  if (group148 !== undefined) {
    const [found] = await tx.select({ code: productGroups.code }).from(productGroups).where(and(eq(productGroups.criteriaSet, 'QD148-2023'), eq(productGroups.code, group148)))
    if (!found) {
      throw unprocessable({ vi: `${group148} không phải là nhóm sản phẩm theo QD148-2023`, en: `${group148} is not a QD148-2023 product group` },
        [bodyField('group148', { vi: 'không phải là nhóm của QD148-2023 (xem /v1/product-groups)', en: 'is not a group of QD148-2023 (see /v1/product-groups)' })])
    }
    out.group148 = group148
    if (group1048 === undefined) {
      const [mapped] = await tx.select({ code: productGroupMappings.toCode }).from(productGroupMappings)
        .where(and(eq(productGroupMappings.fromSet, 'QD148-2023'), eq(productGroupMappings.fromCode, group148), eq(productGroupMappings.toSet, 'QD1048-2019')))
      out.group1048 = mapped?.code ?? null
    }
  }
  if (group1048 !== undefined && group1048 !== null) {
    const [found] = await tx.select({ code: productGroups.code }).from(productGroups).where(and(eq(productGroups.criteriaSet, 'QD1048-2019'), eq(productGroups.code, group1048)))
    if (!found) {
      throw unprocessable({ vi: `${group1048} không phải là nhóm sản phẩm theo QD1048-2019`, en: `${group1048} is not a QD1048-2019 product group` },
        [bodyField('group1048', { vi: 'không phải là nhóm của QD1048-2019 (xem /v1/product-groups?criteriaSet=QD1048-2019)', en: 'is not a group of QD1048-2019 (see /v1/product-groups?criteriaSet=QD1048-2019)' })])
    }
  }
  if (group1048 !== undefined) out.group1048 = group1048
  return out
}

export async function createProduct (db: Db, actor: Principal, input: ProductCreateBody, today: string): Promise<ProductBody> {
  return auditedCreate(db, actor, 'product', async (tx) => {
    const [producer] = await tx.select({ unit: producers.adminUnitCode, status: producers.status }).from(producers).where(eq(producers.id, input.producerId))
    if (!producer) throw noSuch('producer', input.producerId, 'producerId')
    requireUnit(actor, producer.unit, 'products')
    if (producer.status !== 'active') {
      throw unprocessable({ vi: `chủ thể ${input.producerId} đã ngừng hoạt động`, en: `producer ${input.producerId} is inactive` },
        [bodyField('producerId', { vi: 'là chủ thể đã ngừng hoạt động', en: 'is an inactive producer' })])
    }
    const groups = await resolveGroups(tx, input.group148, input.group1048)
    if (input.craftVillageId) await requireVillage(tx, input.craftVillageId)
    const [row] = await tx.insert(products).values({ ...input, ...groups }).returning({ id: products.id })
    return row!.id
  }, (tx, id) => load(tx, id, today))
}

export async function updateProduct (db: Db, actor: Principal, id: string, patch: ProductPatchBody, precondition: (current: ProductBody) => void, today: string): Promise<ProductBody> {
  return auditedUpdate(db, actor, {
    entity: 'product',
    id,
    load: (tx) => load(tx, id, today, true),
    check: async (current, tx) => {
      if (!withinUnits(actor, current.adminUnitCode) && current.status !== 'active') throw notFound('product', id)
      precondition(current)
      requireUnit(actor, current.adminUnitCode, 'products')
      if (patch.craftVillageId) await requireVillage(tx, patch.craftVillageId)
    },
    apply: async (tx) => {
      const groups = await resolveGroups(tx, patch.group148, patch.group1048)
      await tx.update(products).set({ ...patch, ...groups, updatedAt: sql`now()` }).where(eq(products.id, id))
    }
  })
}

export async function archiveProduct (db: Db, actor: Principal, id: string, precondition: (current: ProductBody) => void, today: string): Promise<ProductBody> {
  return auditedUpdate(db, actor, {
    entity: 'product',
    id,
    action: 'archive',
    load: (tx) => load(tx, id, today, true),
    check: (current) => {
      if (!withinUnits(actor, current.adminUnitCode) && current.status !== 'active') throw notFound('product', id)
      precondition(current)
      requireUnit(actor, current.adminUnitCode, 'products')
      if (current.status === 'archived') throw conflict({ vi: `sản phẩm ${id} đã được lưu trữ`, en: `product ${id} is already archived` })
    },
    apply: async (tx) => {
      await tx.update(products).set({ status: 'archived', updatedAt: sql`now()` }).where(eq(products.id, id))
    }
  })
}

/** Only a draft with no evaluations may be deleted; anything else is archived. */
export async function deleteProduct (db: Db, actor: Principal, id: string, precondition: (current: ProductBody) => void, today: string): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await load(tx, id, today, true)
    if (!current || (!withinUnits(actor, current.adminUnitCode) && current.status !== 'active')) throw notFound('product', id)
    precondition(current)
    requireUnit(actor, current.adminUnitCode, 'products')
    if (current.status !== 'draft') {
      throw conflict({ vi: `sản phẩm ${id} đang ở trạng thái ${current.status}: chỉ xóa được bản nháp; hãy lưu trữ sản phẩm`, en: `product ${id} is ${current.status}: only a draft can be deleted; archive it instead` })
    }
    const evaluated = await countEvaluations(tx, id)
    if (evaluated > 0) {
      throw conflict({ vi: `sản phẩm ${id} có ${evaluated} hồ sơ đánh giá nên không xóa được; hãy lưu trữ sản phẩm`, en: `product ${id} has ${evaluated} evaluation(s) and cannot be deleted; archive it instead` })
    }

    await tx.delete(products).where(eq(products.id, id))
    await recordAudit(tx, actor, { entity: 'product', entityId: id, action: 'delete', changes: changesBetween(current, null, ['createdAt', 'updatedAt']) })
  })
}
