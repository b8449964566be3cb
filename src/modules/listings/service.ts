import { and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, encodeCursor, pageOf } from '../../lib/cursor.ts'
import { rowsOf } from '../../db/rows.ts'
import { seesUnpublished, type Principal } from '../../lib/principal.ts'
import { badRequest, notFound, queryField } from '../../lib/problem.ts'
import { auditLog } from '../audit/tables.ts'
import { recognitions } from '../evaluations/tables.ts'
import { standingOn, validThrough } from '../evaluations/timeline.ts'
import { overlapping } from '../reference/units.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import type { ListingBody } from './schemas.ts'
import type { ListingChange } from './sync.ts'
import { listingChanges, listings } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

export interface ListingFilter { star?: number, minStar?: number, adminUnit?: string, adminUnitList?: string, producer?: string, group148?: string, expiresBefore?: string, limit: number, cursor?: string }

const listingWhere = (filter: Omit<ListingFilter, 'limit' | 'cursor'>) => [
  filter.star ? eq(listings.star, filter.star) : undefined,
  filter.minStar ? gte(listings.star, filter.minStar) : undefined,
  filter.adminUnit ? overlapping('unit', listings.adminUnitList, listings.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined,
  filter.producer ? eq(listings.producerId, filter.producer) : undefined,
  filter.group148 ? eq(listings.group148, filter.group148) : undefined,
  filter.expiresBefore ? lt(listings.expiresOn, filter.expiresBefore) : undefined
]

/** Listings by product id: a stable order for partners that page through everything. */
export async function listListings (db: Db, filter: ListingFilter) {
  const after = decodeCursor(filter.cursor, ['uuid'])
  const rows = await db.select({ productId: listings.productId, body: listings.body }).from(listings)
    .where(and(...listingWhere(filter), after ? gt(listings.productId, String(after[0])) : undefined))
    .orderBy(asc(listings.productId)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.productId])
  return { items: page.items.map((r) => r.body as ListingBody), nextCursor: page.nextCursor }
}

export async function getListing (db: Db, productId: string): Promise<ListingBody> {
  const [row] = await db.select({ body: listings.body }).from(listings).where(eq(listings.productId, productId))
  if (!row) throw notFound('listing', productId)
  return row.body as ListingBody
}

export const feedCursor = (seq: number) => encodeCursor([seq])
const feedPosition = (after: string | undefined) => Number(decodeCursor(after, ['position'], 'after')?.[0] ?? 0)

/** The feed's latest position (0 while it is empty); what a snapshot holds is every change up to it. */
export const FEED_HEAD = 'SELECT COALESCE(max(seq), 0)::int8 AS seq FROM listing_changes'

/**
 * A cursor past the feed's latest position was never issued by this feed: made by hand, or kept from
 * before the database was restored from a backup. Answering it with empty pages would hide every
 * change up to that position for good, so it is refused, saying where to start again.
 */
async function refuseIfAhead (db: Db, from: number) {
  const [{ seq } = { seq: '0' }] = await rowsOf<{ seq: string }>(db, sql.raw(FEED_HEAD))
  const head = Number(seq)
  if (from <= head) return
  throw badRequest({ vi: `after vượt quá vị trí mới nhất của feed (${head}): con trỏ này không do feed này cấp, hoặc cơ sở dữ liệu đã được khôi phục; hãy đồng bộ lại từ GET /v1/listings/export`, en: `after is past the feed's latest position (${head}): this feed did not issue it, or the database was restored; sync again from GET /v1/listings/export` },
    [queryField('after', { vi: `vượt quá vị trí mới nhất của feed (${head})`, en: `is past the feed's latest position (${head})` })])
}

/**
 * Changes after a cursor, in feed order. Sequence order is commit order (see sync.ts), so reading
 * everything visible after the cursor can never skip a change that commits later.
 */
export async function listChanges (db: Db, after: string | undefined, limit: number): Promise<{ items: ListingChange[], nextCursor: string }> {
  const from = feedPosition(after)
  const rows = await db.select().from(listingChanges).where(gt(listingChanges.seq, from)).orderBy(asc(listingChanges.seq)).limit(limit)
  const items = rows.map((c) => ({ ...c, seq: Number(c.seq), listing: c.listing as ListingBody | null, at: isoInstant(c.at) }))
  if (!items.length && from > 0) await refuseIfAhead(db, from)
  return { items, nextCursor: feedCursor(items.length ? items[items.length - 1]!.seq : from) }
}

/** Whether a product may show the OCOP mark on a date, and if not, why. */
export async function eligibility (db: Db, productId: string, at: string, principal: Principal) {
  const [product] = await db.select({ status: products.status, unit: producers.adminUnitCode }).from(products)
    .innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, productId))
  if (!product || (product.status === 'draft' && !seesUnpublished(principal, product.unit))) throw notFound('product', productId)
  const none = { productId, at, eligible: false, star: null, certificateNumber: null, validUntil: null, since: null }
  if (product.status === 'archived') {
    const [archived] = await db.select({ on: sql<string>`to_char(min(${auditLog.at}) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')` }).from(auditLog)
      .where(and(eq(auditLog.entity, 'product'), eq(auditLog.entityId, productId), eq(auditLog.action, 'archive')))
    if (!archived?.on || archived.on <= at) return { ...none, reason: 'archived' as const, since: archived?.on ?? null }
  }
  const history = await db.select().from(recognitions).where(eq(recognitions.productId, productId))
  const standing = standingOn(history, at)
  if (standing.inForce) {
    const r = standing.inForce
    return { productId, at, eligible: true, star: r.star, certificateNumber: r.certificateNumber, validUntil: validThrough(r), reason: null, since: null }
  }
  return { ...none, certificateNumber: standing.last?.certificateNumber ?? null, reason: standing.reason, since: standing.since }
}
