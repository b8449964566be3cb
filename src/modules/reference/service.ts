import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { bodyField, noSuch, notFound, unprocessable } from '../../lib/problem.ts'
import { adminUnits, productGroupMappings, productGroups } from './tables.ts'
import type { AdminUnitBody, AdminUnitCreateBody, ProductGroupBody } from './schemas.ts'
import type { Principal } from '../../lib/principal.ts'
import { auditedCreate } from '../audit/write.ts'

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

/**
 * Adds a unit (the commune-level units of 2025-07-01 are loaded this way): kind and level must agree,
 * validity dates run forward, and the units it came from must exist.
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
  const former = body.formerCodes ?? []
  if (former.length) {
    const found = new Set((await db.select({ code: adminUnits.code }).from(adminUnits).where(inArray(adminUnits.code, former))).map((u) => u.code))
    const missing = former.flatMap((code, i) => found.has(code) ? [] : [bodyField(`formerCodes/${i}`, { vi: `${code} không phải là đơn vị hành chính`, en: `${code} is not an administrative unit` })])
    if (missing.length) throw unprocessable({ vi: 'formerCodes phải là các đơn vị có thật', en: 'formerCodes must name existing units' }, missing)
  }
  return auditedCreate(db, actor, 'admin_unit', async (tx) => {
    await tx.insert(adminUnits).values({ ...body, formerCodes: former })
    return body.code
  }, async (tx, code) => (await tx.select(adminUnitColumns).from(adminUnits).where(eq(adminUnits.code, code)))[0])
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

/**
 * Refuses (422, naming the field) an administrative unit that does not exist or, with `on`, was not
 * valid on that date (`what` names the date in the message: "the registration date").
 */
export async function requireUnitValidOn (db: Pick<Db, 'select'>, code: string, on?: { date: string, what: keyof typeof DATE_NAMES }, field = 'adminUnitCode'): Promise<void> {
  const [unit] = await db.select({ validFrom: adminUnits.validFrom, validTo: adminUnits.validTo }).from(adminUnits).where(eq(adminUnits.code, code))
  if (!unit) throw noSuch('admin unit', code, field)
  if (on && (unit.validFrom > on.date || (unit.validTo !== null && unit.validTo < on.date))) {
    throw unprocessable({
      vi: `đơn vị hành chính ${code} không có hiệu lực vào ngày ${on.date} (hiệu lực từ ${unit.validFrom} đến ${unit.validTo ?? 'nay'})`,
      en: `administrative unit ${code} was not valid on ${on.date} (valid ${unit.validFrom} to ${unit.validTo ?? 'today'})`
    }, [bodyField(field, { vi: `không có hiệu lực vào ${DATE_NAMES[on.what]} ${on.date}`, en: `was not valid on ${on.what} ${on.date}` })])
  }
}

const DATE_NAMES = { 'the opening date': 'ngày mở cửa', 'the registration date': 'ngày đăng ký', 'the start date': 'ngày bắt đầu' }
