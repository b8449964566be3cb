import { eq, inArray, sql } from 'drizzle-orm'
import type { Tx } from '../audit/service.ts'
import { potentialFiveOn, standingOn } from '../evaluations/timeline.ts'
import { recognitions } from '../evaluations/tables.ts'
import { producers } from '../producers/tables.ts'
import { products } from '../products/tables.ts'
import { named, PRODUCER_PROVINCE } from '../reference/units.ts'
import { periodOn } from '../venues/assortment-sql.ts'
import { venueProducts, venues } from '../venues/tables.ts'
import { recordEvents } from '../webhooks/outbox.ts'
import type { ListingBody } from './schemas.ts'
import { listingChanges, listings, type RemovalReason } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

export interface ListingChange { seq: number, eventId: string, productId: string, kind: 'upsert' | 'remove', reason: string, listing: ListingBody | null, at: string }

/**
 * What the listings of these products should be today, from the products, producers, recognitions and
 * venues as committed: a listing for an active product with a recognition in force, otherwise the reason
 * it may not carry the mark. The timeline is read with standingOn, on the rows in hand.
 */
async function desired (tx: Tx, productIds: string[], today: string) {
  const rows = await tx.select({
    id: products.id,
    code: products.code,
    status: products.status,
    nameVi: products.nameVi,
    nameEn: products.nameEn,
    group148: products.group148,
    imageUrls: products.imageUrls,
    producerId: producers.id,
    producerName: producers.name,
    adminUnitList: producers.adminUnitList,
    adminUnitCode: producers.adminUnitCode,
    province: named('province', PRODUCER_PROVINCE),
    // The product itself is checked below: a listing exists only while it is recognised.
    venues: sql<{ id: string, name: string }[]>`(SELECT COALESCE(json_agg(json_build_object('id', ${venues.id}, 'name', ${venues.name}) ORDER BY ${venues.name}, ${venues.id}), '[]'::json)
      FROM ${venueProducts} JOIN ${venues} ON ${venues.id} = ${venueProducts.venueId}
      WHERE ${venueProducts.productId} = ${products}.id AND ${periodOn(today)} AND ${venues.status} <> 'closed')`
  }).from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(inArray(products.id, productIds))
  const history = new Map<string, (typeof recognitions.$inferSelect)[]>()
  for (const h of await tx.select().from(recognitions).where(inArray(recognitions.productId, productIds))) history.set(h.productId, [...history.get(h.productId) ?? [], h])
  return rows.map((row) => {
    const standing = standingOn(history.get(row.id) ?? [], today)
    const r = standing.inForce
    if (row.status === 'active' && r) {
      const listing: ListingBody = {
        productId: row.id,
        productCode: row.code,
        nameVi: row.nameVi,
        nameEn: row.nameEn,
        group148: row.group148,
        imageUrls: row.imageUrls,
        producer: { id: row.producerId, name: row.producerName },
        adminUnitList: row.adminUnitList,
        adminUnitCode: row.adminUnitCode,
        province: row.province,
        star: Number(r.star),
        certificateNumber: r.certificateNumber,
        issuedOn: r.issuedOn,
        expiresOn: r.expiresOn,
        potentialFiveStar: potentialFiveOn(r, today),
        venues: row.venues
      }
      return { productId: row.id, listing, recognitionId: r.id }
    }
    const reason: RemovalReason = row.status !== 'active'
      ? 'archived'
      : standing.reason === 'revoked' || standing.reason === 'expired' ? standing.reason : 'not-recognised'
    return { productId: row.id, listing: null, reason }
  })
}

/**
 * Brings the listings of these products up to date and appends a feed entry for each that changed:
 * an upsert with the full listing, or a removal with its reason. Only the projector calls it, holding
 * the feed lock (projector.ts).
 */
export async function syncListings (tx: Tx, productIds: string[], today: string): Promise<ListingChange[]> {
  if (!productIds.length) return []
  const wanted = await desired(tx, [...new Set(productIds)].sort(), today)
  const listed = wanted.filter((w) => w.listing !== null)
  const unlisted = wanted.filter((w) => w.listing === null)
  const entries: (typeof listingChanges.$inferInsert)[] = []
  if (listed.length) {
    const changed = await tx.insert(listings).values(listed.map((w) => ({
      productId: w.productId,
      body: w.listing,
      recognitionId: w.recognitionId!,
      star: w.listing!.star,
      expiresOn: w.listing!.expiresOn,
      producerId: w.listing!.producer.id,
      adminUnitList: w.listing!.adminUnitList,
      adminUnitCode: w.listing!.adminUnitCode,
      provinceCode: w.listing!.province.code,
      group148: w.listing!.group148,
      name: w.listing!.nameVi
    }))).onConflictDoUpdate({
      target: listings.productId,
      set: {
        body: sql`excluded.body`,
        recognitionId: sql`excluded.recognition_id`,
        star: sql`excluded.star`,
        expiresOn: sql`excluded.expires_on`,
        producerId: sql`excluded.producer_id`,
        adminUnitList: sql`excluded.admin_unit_list`,
        adminUnitCode: sql`excluded.admin_unit_code`,
        provinceCode: sql`excluded.province_code`,
        group148: sql`excluded.group_148`,
        name: sql`excluded.name`,
        changedAt: sql`now()`
      },
      setWhere: sql`${listings.body} IS DISTINCT FROM excluded.body`
    }).returning({ productId: listings.productId, inserted: sql<boolean>`(xmax = 0)`, body: listings.body })
    for (const c of changed) entries.push({ productId: c.productId, kind: 'upsert', reason: c.inserted ? 'listed' : 'updated', listing: c.body })
  }
  if (unlisted.length) {
    const removed = await tx.delete(listings).where(inArray(listings.productId, unlisted.map((w) => w.productId))).returning({ productId: listings.productId })
    const reasons = new Map(unlisted.map((w) => [w.productId, w.reason!]))
    for (const r of removed) entries.push({ productId: r.productId, kind: 'remove', reason: reasons.get(r.productId)!, listing: null })
  }
  if (!entries.length) return []
  const inserted = await tx.insert(listingChanges).values(entries).returning()
  const changes = inserted.map((c) => ({ ...c, listing: c.listing as ListingBody | null, at: isoInstant(c.at) }))
  await recordEvents(tx, changes.map((c) => ({
    id: c.eventId,
    type: c.kind === 'upsert' ? 'listing.upserted' as const : 'listing.removed' as const,
    createdAt: c.at,
    data: { seq: c.seq, productId: c.productId, reason: c.reason, listing: c.listing }
  })))
  return changes
}
