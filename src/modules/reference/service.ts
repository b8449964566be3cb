import { and, asc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { notFound } from '../../lib/problem.ts'
import { adminUnits, productGroupMappings, productGroups } from './tables.ts'
import type { AdminUnitBody, ProductGroupBody } from './schemas.ts'

const adminUnitColumns = {
  code: adminUnits.code,
  name: adminUnits.name,
  nameEn: adminUnits.nameEn,
  kind: adminUnits.kind,
  level: adminUnits.level,
  validFrom: adminUnits.validFrom,
  validTo: adminUnits.validTo
}

export interface AdminUnitFilter { level?: 'district' | 'commune', kind?: AdminUnitBody['kind'], validOn?: string }

export async function listAdminUnits (db: Db, filter: AdminUnitFilter): Promise<AdminUnitBody[]> {
  return db.select(adminUnitColumns).from(adminUnits).where(and(
    filter.level ? eq(adminUnits.level, filter.level) : undefined,
    filter.kind ? eq(adminUnits.kind, filter.kind) : undefined,
    filter.validOn ? lte(adminUnits.validFrom, filter.validOn) : undefined,
    filter.validOn ? or(isNull(adminUnits.validTo), gte(adminUnits.validTo, filter.validOn)) : undefined
  )).orderBy(asc(adminUnits.level), asc(adminUnits.code))
}

export async function getAdminUnit (db: Db, code: string): Promise<AdminUnitBody> {
  const [unit] = await db.select(adminUnitColumns).from(adminUnits).where(eq(adminUnits.code, code))
  if (!unit) throw notFound('admin unit', code)
  return unit
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
