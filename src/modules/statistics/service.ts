import { sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { potentialFiveOn } from '../evaluations/recognitions.ts'
import { recognitions as r } from '../evaluations/tables.ts'
import { listInForce, requireList } from '../reference/units.ts'
import { productsInForce, venuesOpen } from './measures.ts'
import { queryField, unprocessable } from '../../lib/problem.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { adminUnitOverlap, adminUnits, productGroups, provinceOverlap, provinces } from '../reference/tables.ts'
import { VENUE_TYPES } from '../venues/rules.ts'
import { venues } from '../venues/tables.ts'
import type { ProductStatisticsBody, VenueStatisticsBody } from './schemas.ts'

type By = NonNullable<ProductStatisticsBody['by']>
type Counts = ProductStatisticsBody['totals']

/**
 * What a product counts under, per grouping: an array of keys, because across the 2025 reform a product
 * recorded in a district counts in every new unit that took any of its territory (and the reverse).
 */
/** The keys of a record's unit, as recorded or (with a list) as the units of that list overlapping it. */
function unitKeys (list: AnyPgColumn, code: AnyPgColumn, unitList?: string): { keys: SQL, name: SQL } {
  return unitList
    ? {
        keys: sql`ARRAY(SELECT ${adminUnitOverlap.otherCode} FROM ${adminUnitOverlap} WHERE ${adminUnitOverlap.list} = ${list} AND ${adminUnitOverlap.code} = ${code} AND ${adminUnitOverlap.otherList} = ${unitList})`,
        name: sql`(SELECT ${adminUnits.name} FROM ${adminUnits} WHERE ${adminUnits.list} = ${unitList} AND ${adminUnits.code} = k.key)`
      }
    : { keys: sql`ARRAY[${code}]`, name: sql`(SELECT min(${adminUnits.name}) FROM ${adminUnits} WHERE ${adminUnits.code} = k.key)` }
}

function keysOf (by: By, target: { unitList?: string, provinceList: string }): { keys: SQL, name: SQL } {
  switch (by) {
    case 'adminUnit': return unitKeys(producers.adminUnitList, producers.adminUnitCode, target.unitList)
    case 'province': return {
      keys: sql`ARRAY(SELECT ${provinceOverlap.otherCode} FROM ${provinceOverlap} WHERE ${provinceOverlap.list} = ${producers.provinceList} AND ${provinceOverlap.code} = ${producers.provinceCode} AND ${provinceOverlap.otherList} = ${target.provinceList})`,
      name: sql`(SELECT ${provinces.name} FROM ${provinces} WHERE ${provinces.list} = ${target.provinceList} AND ${provinces.code} = k.key)`
    }
    case 'productGroup': return { keys: sql`ARRAY[split_part(${products.group148}, '.', 1)]`, name: sql`(SELECT ${productGroups.nameVi} FROM ${productGroups} WHERE ${productGroups.criteriaSet} = 'QD148-2023' AND ${productGroups.code} = k.key)` }
    case 'issuingLevel': return { keys: sql`ARRAY[${r.issuingLevel}::text]`, name: sql`NULL::text` }
  }
}

export interface ProductStatisticsQuery { on: string, adminUnit?: string, adminUnitList?: string, by?: By, unitList?: string }

/**
 * OCOP products on a day, as the city publishes them: products with a certificate in force that day,
 * by star, with "potential 5-star" (a 4-star forwarded to the central council and not yet reviewed by
 * that day) counted apart from the 4 stars. Hanoi's products only: products of other provinces (external
 * recognitions) are counted only when grouped by province. The recognition in force per product (at most
 * one: constraint recognitions_one_in_force), then the totals and, with `by`, the counts per key.
 */
export async function productStatistics (db: Db, q: ProductStatisticsQuery): Promise<ProductStatisticsBody> {
  if (q.unitList && q.by !== 'adminUnit') throw unprocessable({ vi: 'unitList chỉ dùng với by=adminUnit', en: 'unitList goes with by=adminUnit only' }, [queryField('unitList', { vi: 'chỉ dùng với by=adminUnit', en: 'goes with by=adminUnit only' })])
  if (q.unitList) await requireList(db, q.unitList, 'unitList', 'query')
  // The province list is read only when grouping by province: every other request skips that query.
  const provinceList = q.by === 'province' ? await listInForce(db, q.on) : ''
  const group = q.by ? keysOf(q.by, { unitList: q.unitList, provinceList }) : { keys: sql`ARRAY[]::text[]`, name: sql`NULL::text` }
  const counted = sql`count(*)::int AS products,
      count(*) FILTER (WHERE star = 5)::int AS "fiveStar", count(*) FILTER (WHERE potential)::int AS "potentialFiveStar",
      count(*) FILTER (WHERE star = 4 AND NOT potential)::int AS "fourStar", count(*) FILTER (WHERE star = 3)::int AS "threeStar"`
  const rows = await rowsOf<Counts & { total: boolean, key: string | null, name: string | null }>(db, sql`
    WITH rated AS (
      SELECT ${group.keys} AS keys, ${r.star} AS star, ${potentialFiveOn(q.on)} AS potential
      ${productsInForce(q.on, { everyProvince: q.by === 'province', adminUnit: q.adminUnit, adminUnitList: q.adminUnitList })}
    )
    SELECT true AS total, NULL::text AS key, NULL::text AS name, ${counted} FROM rated
    UNION ALL
    SELECT false, k.key, ${group.name}, ${counted} FROM rated CROSS JOIN unnest(rated.keys) AS k(key) GROUP BY k.key
    ORDER BY 1 DESC, 2`)
  const counts = ({ products, fiveStar, potentialFiveStar, fourStar, threeStar }: Counts): Counts => ({ products, fiveStar, potentialFiveStar, fourStar, threeStar })
  const total = rows.find((row) => row.total)
  return {
    on: q.on,
    adminUnit: q.adminUnit ?? null,
    by: q.by ?? null,
    unitList: q.unitList ?? null,
    totals: total ? counts(total) : { products: 0, fiveStar: 0, potentialFiveStar: 0, fourStar: 0, threeStar: 0 },
    breakdown: q.by ? rows.filter((row) => !row.total && row.key !== null).map((row) => ({ key: row.key ?? '', name: row.name, ...counts(row) })) : []
  }
}

/**
 * Venues open on a day, per type, and per administrative unit and type: as recorded, or (with
 * `unitList`) per unit of that list, a venue counting in every unit whose territory overlaps its own.
 */
export async function venueStatistics (db: Db, q: { on: string, adminUnit?: string, adminUnitList?: string, unitList?: string }): Promise<VenueStatisticsBody> {
  if (q.unitList) await requireList(db, q.unitList, 'unitList', 'query')
  const group = unitKeys(venues.adminUnitList, venues.adminUnitCode, q.unitList)
  const rows = await rowsOf<{ total: boolean, key: string | null, name: string | null, type: keyof VenueStatisticsBody['byType'], n: number }>(db, sql`
    WITH opened AS (
      SELECT ${venues.type} AS type, ${group.keys} AS keys ${venuesOpen(q.on, q)}
    )
    SELECT true AS total, NULL::text AS key, NULL::text AS name, type, count(*)::int AS n FROM opened GROUP BY type
    UNION ALL
    SELECT false, k.key, ${group.name}, type, count(*)::int FROM opened CROSS JOIN unnest(opened.keys) AS k(key) GROUP BY k.key, type
    ORDER BY 1 DESC, 2, 4`)
  const none = (): VenueStatisticsBody['byType'] => Object.fromEntries(VENUE_TYPES.map((type) => [type, 0])) as VenueStatisticsBody['byType']
  const byType = none()
  const units = new Map<string, VenueStatisticsBody['byAdminUnit'][number]>()
  for (const row of rows) {
    if (row.total) {
      byType[row.type] = row.n
    } else if (row.key !== null) {
      const unit = units.get(row.key) ?? { key: row.key, name: row.name ?? row.key, open: 0, byType: none() }
      unit.open += row.n
      unit.byType[row.type] = row.n
      units.set(row.key, unit)
    }
  }
  return { on: q.on, adminUnit: q.adminUnit ?? null, unitList: q.unitList ?? null, open: Object.values(byType).reduce((a, b) => a + b, 0), byType, byAdminUnit: [...units.values()] }
}
