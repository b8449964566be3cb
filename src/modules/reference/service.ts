import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.ts'
import { bodyField, notFound, unprocessable } from '../../lib/problem.ts'
import { adminUnitLinks, adminUnits, productGroupMappings, productGroups, provinces, unitLists } from './tables.ts'
import type { AdminUnitBody, AdminUnitCreateBody, ProductGroupBody, ProvinceBody, UnitListBody } from './schemas.ts'
import { ambiguousCode, linkedTo, listInForce, requireList } from './units.ts'
import type { Principal } from '../../lib/principal.ts'
import { auditedCreate } from '../audit/write.ts'
import { dayBefore } from '../../lib/clock.ts'

const adminUnitColumns = {
  list: adminUnits.list,
  code: adminUnits.code,
  name: adminUnits.name,
  nameEn: adminUnits.nameEn,
  kind: adminUnits.kind,
  level: adminUnits.level,
  validFrom: adminUnits.validFrom,
  validTo: adminUnits.validTo,
  formerUnits: linkedTo('unit', { table: 'admin_units', list: 'list', code: 'code' }, 'predecessors'),
  successorUnits: linkedTo('unit', { table: 'admin_units', list: 'list', code: 'code' }, 'successors')
}

/** Valid on a day: from validFrom through validTo (the last day), open-ended while validTo is null. */
const validOn = (t: { validFrom: AnyPgColumn, validTo: AnyPgColumn }, on: string) =>
  and(lte(t.validFrom, on), or(isNull(t.validTo), gte(t.validTo, on)))

export interface AdminUnitFilter { list?: string, level?: 'district' | 'commune', kind?: AdminUnitBody['kind'], validOn?: string }

export async function listAdminUnits (db: Db, filter: AdminUnitFilter): Promise<AdminUnitBody[]> {
  return db.select(adminUnitColumns).from(adminUnits).where(and(
    filter.list ? eq(adminUnits.list, filter.list) : undefined,
    filter.level ? eq(adminUnits.level, filter.level) : undefined,
    filter.kind ? eq(adminUnits.kind, filter.kind) : undefined,
    filter.validOn ? validOn(adminUnits, filter.validOn) : undefined
  )).orderBy(asc(adminUnits.validFrom), asc(adminUnits.list), asc(adminUnits.code))
}

export async function getAdminUnit (db: Db, code: string, list?: string): Promise<AdminUnitBody> {
  return theOne(await db.select(adminUnitColumns).from(adminUnits).where(and(eq(adminUnits.code, code), list ? eq(adminUnits.list, list) : undefined)), 'admin unit', code, list)
}

/** The one unit (or province) a read by code found: 404 for none, 422 naming `list` for several. */
function theOne<T extends { list: string }> (found: T[], entity: 'admin unit' | 'province', code: string, list?: string): T {
  if (!found[0]) throw notFound(entity, list ? `${list}:${code}` : code)
  if (found.length > 1) throw ambiguousCode(code, found.map((u) => u.list), 'list', 'query')
  return found[0]
}

export async function listUnitLists (db: Db): Promise<UnitListBody[]> {
  return db.select({ key: unitLists.key, name: unitLists.name, nameEn: unitLists.nameEn, source: unitLists.source, validFrom: unitLists.validFrom, validTo: unitLists.validTo })
    .from(unitLists).orderBy(asc(unitLists.validFrom))
}

const provinceColumns = {
  list: provinces.list,
  code: provinces.code,
  name: provinces.name,
  nameEn: provinces.nameEn,
  kind: provinces.kind,
  validFrom: provinces.validFrom,
  validTo: provinces.validTo,
  formerProvinces: linkedTo('province', { table: 'provinces', list: 'list', code: 'code' }, 'predecessors'),
  successorProvinces: linkedTo('province', { table: 'provinces', list: 'list', code: 'code' }, 'successors')
}

export async function listProvinces (db: Db, filter: { list?: string, validOn?: string }): Promise<ProvinceBody[]> {
  return db.select(provinceColumns).from(provinces).where(and(
    filter.list ? eq(provinces.list, filter.list) : undefined,
    filter.validOn ? validOn(provinces, filter.validOn) : undefined
  )).orderBy(asc(provinces.validFrom), asc(provinces.code))
}

export async function getProvince (db: Db, code: string, list?: string): Promise<ProvinceBody> {
  return theOne(await db.select(provinceColumns).from(provinces).where(and(eq(provinces.code, code), list ? eq(provinces.list, list) : undefined)), 'province', code, list)
}

/**
 * Adds a unit (a later change of the units, for example): kind and level must agree, validity dates run
 * forward, and the units it came from must be units of the list in force the day before it begins.
 */
export async function createAdminUnit (db: Db, actor: Principal, body: AdminUnitCreateBody): Promise<AdminUnitBody> {
  const districtKinds = ['urban_district', 'town', 'rural_district']
  if ((body.level === 'district') !== districtKinds.includes(body.kind)) {
    throw unprocessable({ vi: `đơn vị cấp ${body.level} không thể là ${body.kind}`, en: `a ${body.level}-level unit cannot be a ${body.kind}` },
      [bodyField('kind', { vi: `không khớp với cấp ${body.level}`, en: `does not match level ${body.level}` })])
  }
  if (body.validTo && body.validTo < body.validFrom) {
    throw unprocessable({ vi: 'validTo trước validFrom', en: 'validTo is before validFrom' }, [bodyField('validTo', { vi: `trước validFrom (${body.validFrom})`, en: `is before validFrom (${body.validFrom})` })])
  }
  const list = body.list ?? await listInForce(db, body.validFrom)
  await requireList(db, list, 'list', 'body')
  const before = dayBefore(body.validFrom)
  const formerList = await listInForce(db, before)
  const former = body.formerCodes ?? []
  if (former.length) {
    const found = new Set((await db.select({ code: adminUnits.code }).from(adminUnits).where(and(eq(adminUnits.list, formerList), inArray(adminUnits.code, former)))).map((u) => u.code))
    const missing = former.flatMap((code, i) => found.has(code) ? [] : [bodyField(`formerCodes/${i}`, { vi: `${code} không phải là đơn vị của danh mục ${formerList}`, en: `${code} is not a unit of list ${formerList}` })])
    if (missing.length) throw unprocessable({ vi: `formerCodes phải là các đơn vị của danh mục ${formerList}, có hiệu lực ngày ${before}`, en: `formerCodes must name units of list ${formerList}, in force on ${before}` }, missing)
  }
  const { list: _list, formerCodes: _former, ...unit } = body
  return auditedCreate(db, actor, 'admin_unit', async (tx) => {
    await tx.insert(adminUnits).values({ ...unit, list })
    if (former.length) await tx.insert(adminUnitLinks).values(former.map((formerCode) => ({ list, code: body.code, formerList, formerCode })))
    return `${list}:${body.code}`
  }, async (tx) => (await tx.select(adminUnitColumns).from(adminUnits).where(and(eq(adminUnits.list, list), eq(adminUnits.code, body.code))))[0])
}

export async function listProductGroups (db: Db, criteriaSet: ProductGroupBody['criteriaSet']): Promise<ProductGroupBody[]> {
  const rows = await db.select({
    criteriaSet: productGroups.criteriaSet,
    code: productGroups.code,
    parentCode: productGroups.parentCode,
    level: productGroups.level,
    nameVi: productGroups.nameVi,
    nameEn: productGroups.nameEn,
    mapsTo: sql<ProductGroupBody['mapsTo']>`coalesce(json_agg(json_build_object('criteriaSet', ${productGroupMappings.toSet}, 'code', ${productGroupMappings.toCode}) ORDER BY ${productGroupMappings.toCode}) FILTER (WHERE ${productGroupMappings.toCode} IS NOT NULL), '[]'::json)`
  }).from(productGroups)
    .leftJoin(productGroupMappings, and(eq(productGroupMappings.fromSet, productGroups.criteriaSet), eq(productGroupMappings.fromCode, productGroups.code)))
    .where(eq(productGroups.criteriaSet, criteriaSet))
    .groupBy(productGroups.criteriaSet, productGroups.code)
    .orderBy(asc(productGroups.position))
  return rows
}

// Product groups come only from migrations, so each database's taxonomy is read once per process.
const taxonomies = new WeakMap<Db, Promise<Map<string, string[]>>>()

/** A group's code with its sub-groups' (148) or product sets' (1048) codes: what a filter on it matches. */
export async function groupAndChildren (db: Db, criteriaSet: string, code: string): Promise<string[]> {
  let taxonomy = taxonomies.get(db)
  if (!taxonomy) {
    taxonomy = db.select({ criteriaSet: productGroups.criteriaSet, code: productGroups.code, parentCode: productGroups.parentCode }).from(productGroups).then((rows) => {
      const map = new Map<string, string[]>()
      for (const row of rows) {
        map.set(`${row.criteriaSet}:${row.code}`, [...(map.get(`${row.criteriaSet}:${row.code}`) ?? []), row.code])
        if (row.parentCode) map.set(`${row.criteriaSet}:${row.parentCode}`, [...(map.get(`${row.criteriaSet}:${row.parentCode}`) ?? []), row.code])
      }
      return map
    })
    taxonomies.set(db, taxonomy)
    taxonomy.catch(() => taxonomies.delete(db))
  }
  return (await taxonomy).get(`${criteriaSet}:${code}`) ?? []
}
