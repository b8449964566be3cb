import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { hanoiDate } from '../../lib/clock.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { searchPattern } from '../../lib/keyset.ts'
import { visibleRows, type Principal } from '../../lib/principal.ts'
import { badRequest, queryField } from '../../lib/problem.ts'
import { overlapping } from '../reference/units.ts'
import { getProduct } from '../products/service.ts'
import { carriesSql } from './assortment-sql.ts'
import { hanoiMoment } from './rules.ts'
import type { VenueQueryBody } from './schemas.ts'
import { presentVenue, venueColumns } from './service.ts'
import { venues } from './tables.ts'

/** `lat,lng` of a nearby search, checked against the ranges of WGS84. */
export function parseNear (near: string): { lat: number, lng: number } {
  const [lat, lng] = near.split(',').map(Number) as [number, number]
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    throw badRequest({ vi: 'near không phải là một vị trí WGS84', en: 'near is not a WGS84 position' },
      [queryField('near', { vi: 'vĩ độ phải trong khoảng ±90 và kinh độ trong khoảng ±180', en: 'latitude must be within ±90 and longitude within ±180' })])
  }

  return { lat, lng }
}

/** Who sees which venues: planned ones are for staff (operators: of their units). */
function visibility (principal: Principal): SQL | undefined {
  return visibleRows(principal, inArray(venues.status, ['open', 'closed']), venues.adminUnitCode)
}

/** Open at an instant: open status, opened by that day, and an interval of that weekday covering the time. */
function openAtSql (instant: Date): SQL {
  const { day, time } = hanoiMoment(instant)
  const date = hanoiDate(instant)
  return sql`(${venues.status} = 'open' AND ${venues.openedOn} <= ${date}::date AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(COALESCE(${venues.openingHours} -> ${day}::text, '[]'::jsonb)) AS i
    WHERE i ->> 'opens' <= ${time}::text AND i ->> 'closes' > ${time}::text))`
}

export interface VenueFilter extends Omit<VenueQueryBody, 'limit'> { limit: number }

/**
 * Venues with filters, by name or (with `near`) nearest first. Nearby searches bound the candidates with
 * a GiST-indexed box around the point (earthdistance's earth_box on the `location` cube) and order by the
 * index's distance operator; the great-circle distance is returned in km.
 */
export async function listVenues (db: Db, filter: VenueFilter, principal: Principal, now: Date) {
  const today = hanoiDate(now)
  const near = filter.near ? parseNear(filter.near) : undefined
  const point = near && sql`ll_to_earth(${near.lat}::float8, ${near.lng}::float8)`
  const radiusM = (filter.radiusKm ?? 5) * 1000
  const distance = point && sql`(${venues.location} <-> ${point}::cube)`
  const after = decodeCursor(filter.cursor, [distance ? 'number' : 'text', 'uuid'])
  const openAt = filter.openAt ? new Date(filter.openAt) : filter.openNow ? now : undefined
  const rows = await db.select({
    ...venueColumns,
    ...(point ? { distanceKm: sql<number>`earth_distance(${point}, ll_to_earth(${venues.latitude}, ${venues.longitude})) / 1000`.mapWith(Number), chord: distance!.mapWith(Number) } : {})
  }).from(venues).where(and(
    visibility(principal),
    filter.type ? eq(venues.type, filter.type) : undefined,
    filter.locationKind ? eq(venues.locationKind, filter.locationKind) : undefined,
    filter.adminUnit ? overlapping('unit', venues.adminUnitList, venues.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined,
    filter.craftVillage ? eq(venues.craftVillageId, filter.craftVillage) : undefined,
    filter.status ? eq(venues.status, filter.status) : undefined,
    filter.carries ? sql`${venues.status} <> 'closed' AND ${carriesSql(venues.id, filter.carries, today)}` : undefined,
    openAt ? openAtSql(openAt) : undefined,
    filter.q ? sql`search_text(${venues.name} || ' ' || ${venues.address}) LIKE ${searchPattern(filter.q)}` : undefined,
    point ? sql`earth_box(${point}, ${radiusM}::float8) @> ${venues.location} AND earth_distance(${point}, ll_to_earth(${venues.latitude}, ${venues.longitude})) <= ${radiusM}::float8` : undefined,
    after && distance ? sql`(${distance}, ${venues.id}) > (${after[0]}::float8, ${after[1]}::uuid)` : undefined,
    after && !distance ? sql`(${venues.name}, ${venues.id}) > (${after[0]}::text, ${after[1]}::uuid)` : undefined
  )).orderBy(...(distance ? [distance, venues.id] : [venues.name, venues.id])).limit(filter.limit + 1)
  const page = pageOf(rows as (typeof rows[number] & { chord?: number })[], filter.limit, (r) => [distance ? r.chord! : r.name, r.id])
  return { items: page.items.map(({ chord: _c, ...row }) => presentVenue(row)), nextCursor: page.nextCursor }
}

/** The venues showing a product: 404 for a product the principal may not see. */
export async function listProductVenues (db: Db, productId: string, filter: Omit<VenueFilter, 'carries'>, principal: Principal, now: Date) {
  await getProduct(db, productId, principal, hanoiDate(now))
  return listVenues(db, { ...filter, carries: productId }, principal, now)
}
