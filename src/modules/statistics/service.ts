import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { inForce, potentialFiveOn } from '../evaluations/recognitions.ts'
import { recognitions as r } from '../evaluations/tables.ts'
import { unitAndSuccessors } from '../producers/service.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { adminUnits, productGroups } from '../reference/tables.ts'
import { VENUE_TYPES } from '../venues/rules.ts'
import { venues } from '../venues/tables.ts'
import type { ProductStatisticsBody, VenueStatisticsBody } from './schemas.ts'

type By = NonNullable<ProductStatisticsBody['by']>
type Counts = ProductStatisticsBody['totals']

const KEYS: Record<By, { key: SQL, name: SQL }> = {
  adminUnit: { key: sql`${producers.adminUnitCode}`, name: sql`(SELECT ${adminUnits.name} FROM ${adminUnits} WHERE ${adminUnits.code} = rated.key)` },
  productGroup: { key: sql`split_part(${products.group148}, '.', 1)`, name: sql`(SELECT ${productGroups.nameVi} FROM ${productGroups} WHERE ${productGroups.criteriaSet} = 'QD148-2023' AND ${productGroups.code} = rated.key)` },
  issuingLevel: { key: sql`${r.issuingLevel}`, name: sql`NULL::text` }
}

/**
 * OCOP products on a day, as the city publishes them: products with a certificate in force that day,
 * by star, with "potential 5-star" (a 4-star forwarded to the central council and not yet reviewed by
 * that day) counted apart from the 4 stars. One query: the recognition in force per product (at most one:
 * constraint recognitions_one_in_force), then
 * counts with FILTER, for the whole and (with `by`) per key through GROUPING SETS.
 */
export async function productStatistics (db: Db, q: { on: string, adminUnit?: string, by?: By }): Promise<ProductStatisticsBody> {
  const group = q.by ? KEYS[q.by] : { key: sql`NULL::text`, name: sql`NULL::text` }
  const rows = await rowsOf<Counts & { total: boolean, key: string | null, name: string | null }>(db, sql`
    WITH rated AS (
      SELECT ${group.key} AS key, ${r.star} AS star, ${potentialFiveOn(q.on)} AS potential
      FROM ${r} JOIN ${products} ON ${products.id} = ${r.productId} JOIN ${producers} ON ${producers.id} = ${products.producerId}
      WHERE ${inForce(q.on)} ${q.adminUnit ? sql`AND ${unitAndSuccessors(producers.adminUnitCode, q.adminUnit)}` : sql``}
    )
    SELECT GROUPING(rated.key) = 1 AS total, rated.key, ${group.name} AS name, count(*)::int AS products,
      count(*) FILTER (WHERE star = 5)::int AS "fiveStar", count(*) FILTER (WHERE potential)::int AS "potentialFiveStar",
      count(*) FILTER (WHERE star = 4 AND NOT potential)::int AS "fourStar", count(*) FILTER (WHERE star = 3)::int AS "threeStar"
    FROM rated GROUP BY GROUPING SETS ((), (rated.key)) ORDER BY rated.key NULLS FIRST`)
  const counts = ({ products, fiveStar, potentialFiveStar, fourStar, threeStar }: Counts): Counts => ({ products, fiveStar, potentialFiveStar, fourStar, threeStar })
  const total = rows.find((row) => row.total)
  return {
    on: q.on,
    adminUnit: q.adminUnit ?? null,
    by: q.by ?? null,
    totals: total ? counts(total) : { products: 0, fiveStar: 0, potentialFiveStar: 0, fourStar: 0, threeStar: 0 },
    breakdown: q.by ? rows.filter((row) => !row.total).map((row) => ({ key: row.key ?? '', name: row.name, ...counts(row) })) : []
  }
}

/** Venues open on a day, per type, and per administrative unit and type: one GROUPING SETS query. */
export async function venueStatistics (db: Db, q: { on: string, adminUnit?: string }): Promise<VenueStatisticsBody> {
  const rows = await rowsOf<{ total: boolean, key: string | null, name: string | null, type: keyof VenueStatisticsBody['byType'], n: number }>(db, sql`
    SELECT GROUPING(${venues.adminUnitCode}) = 1 AS total, ${venues.adminUnitCode} AS key, min(${adminUnits.name}) AS name, ${venues.type} AS type, count(*)::int AS n
    FROM ${venues} LEFT JOIN ${adminUnits} ON ${adminUnits.code} = ${venues.adminUnitCode}
    WHERE ${venues.openedOn} <= ${q.on}::date AND (${venues.closedOn} IS NULL OR ${venues.closedOn} > ${q.on}::date)
      ${q.adminUnit ? sql`AND ${unitAndSuccessors(venues.adminUnitCode, q.adminUnit)}` : sql``}
    GROUP BY GROUPING SETS ((${venues.type}), (${venues.adminUnitCode}, ${venues.type}))
    ORDER BY 2 NULLS FIRST, 4`)
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
  return { on: q.on, adminUnit: q.adminUnit ?? null, open: Object.values(byType).reduce((a, b) => a + b, 0), byType, byAdminUnit: [...units.values()] }
}
