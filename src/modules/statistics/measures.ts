// What the programme counts, each written once: the statistics endpoints, the MOU figures and the
// targets' progress all read these definitions (README, "Targets").
import { and, sql, type SQL } from 'drizzle-orm'
import { inForce } from '../evaluations/recognitions.ts'
import { evaluations, recognitions as r } from '../evaluations/tables.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { HANOI, overlapping } from '../reference/units.ts'
import { mous, mouProducts } from '../trade/tables.ts'
import { venues } from '../venues/tables.ts'

/** Where a count looks: Hanoi only (or every province), a unit's territory (across reforms), a product group (a 148 group or sub-group). */
export interface Scope {
  everyProvince?: boolean
  adminUnit?: string
  adminUnitList?: string | null
  productGroup?: string | null
}

const inGroup = (group: string) => sql`(${products.group148} = ${group} OR ${products.group148} LIKE ${group} || '.%')`

/** The conditions on a producer row that a scope sets: its province, its unit's territory. */
const producerScope = (scope: Scope): SQL | undefined => and(
  scope.everyProvince ? undefined : sql`${producers.provinceCode} = ${HANOI}`,
  scope.adminUnit ? overlapping('unit', producers.adminUnitList, producers.adminUnitCode, scope.adminUnit, scope.adminUnitList) : undefined
)

/** The conditions on a product row (joined with its producer) that a scope sets. */
const productScope = (scope: Scope): SQL | undefined => and(producerScope(scope), scope.productGroup ? inGroup(scope.productGroup) : undefined)

const recognisedProducts = sql`${r} JOIN ${products} ON ${products.id} = ${r.productId} JOIN ${producers} ON ${producers.id} = ${products.producerId}`

/**
 * OCOP products on a day: one row per product holding a recognition in force that day (at most one:
 * constraint recognitions_one_in_force), with the recognition's columns. `FROM … WHERE …`.
 */
export const productsInForce = (on: string, scope: Scope, minStar?: number): SQL =>
  sql`FROM ${recognisedProducts} WHERE ${and(inForce(on), minStar ? sql`${r.star} >= ${minStar}` : undefined, productScope(scope))}`

/**
 * Products newly recognised in a period: the product's first recognition ever (its earliest, by issue
 * date then record order) was issued within [from, to] at `minStar` or more. A re-recognition, or a
 * product first recognised before the period and upgraded in it, does not count. `FROM … WHERE …`.
 */
export const productsNewlyRecognised = (from: string, to: string, scope: Scope, minStar: number): SQL =>
  sql`FROM ${recognisedProducts} WHERE ${and(
    sql`${r.issuedOn} BETWEEN ${from}::date AND ${to}::date`,
    sql`${r.star} >= ${minStar}`,
    sql`NOT EXISTS (SELECT 1 FROM ${r} AS earlier WHERE earlier.product_id = ${r.productId} AND (earlier.issued_on, earlier.created_at, earlier.id) < (${r.issuedOn}, ${r.createdAt}, ${r.id}))`,
    productScope(scope))}`

/** Evaluations decided (a decision number and date recorded, whatever the stars) within [from, to]. `FROM … WHERE …`. */
export const evaluationsDecided = (from: string, to: string, scope: Scope): SQL =>
  sql`FROM ${evaluations} JOIN ${products} ON ${products.id} = ${evaluations.productId} JOIN ${producers} ON ${producers.id} = ${products.producerId}
    WHERE ${and(sql`${evaluations.status} = 'decided'`, sql`${evaluations.decisionDate} BETWEEN ${from}::date AND ${to}::date`, productScope(scope))}`

/** The condition of an MOU signed within [from, to]; the MOU figures' years use it too. */
export const signedWithin = (from: string, to: string): SQL => sql`${mous.signedOn} BETWEEN ${from}::date AND ${to}::date`

/**
 * MOUs signed within [from, to], whatever became of them later, by producers of the scope (their unit;
 * a product group: MOUs covering at least one product of it). `FROM … WHERE …`.
 */
export const mousSigned = (from: string, to: string, scope: Scope): SQL =>
  sql`FROM ${mous} JOIN ${producers} ON ${producers.id} = ${mous.producerId} WHERE ${and(
    signedWithin(from, to),
    producerScope(scope),
    scope.productGroup ? sql`EXISTS (SELECT 1 FROM ${mouProducts} JOIN ${products} ON ${products.id} = ${mouProducts.productId} WHERE ${mouProducts.mouId} = ${mous.id} AND ${inGroup(scope.productGroup)})` : undefined)}`

/** Venues open on a day (opened by then, not closed by then), optionally of one type, in a unit's territory. `FROM … WHERE …`. */
export const venuesOpen = (on: string, scope: Pick<Scope, 'adminUnit' | 'adminUnitList'>, type?: string | null): SQL =>
  sql`FROM ${venues} WHERE ${and(
    sql`${venues.openedOn} <= ${on}::date AND (${venues.closedOn} IS NULL OR ${venues.closedOn} > ${on}::date)`,
    type ? sql`${venues.type} = ${type}` : undefined,
    scope.adminUnit ? overlapping('unit', venues.adminUnitList, venues.adminUnitCode, scope.adminUnit, scope.adminUnitList) : undefined)}`
