import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { requireUnit, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import { recordAudit, type Tx } from '../audit/service.ts'
import { ratingOnSql } from '../evaluations/recognitions.ts'
import { products } from '../products/tables.ts'
import { shownOn } from './assortment-sql.ts'
import type { AssortmentAddBody, AssortmentEntryBody, VenueBody } from './schemas.ts'
import { getVenue, loadVenue, requireVisible } from './service.ts'
import { venueProducts } from './tables.ts'
import { joinText } from '../../lib/i18n.ts'

const vp = venueProducts
const entryColumns = (today: string) => ({
  id: vp.id,
  venueId: vp.venueId,
  productId: vp.productId,
  productCode: products.code,
  productName: products.nameVi,
  star: sql<number | null>`(${ratingOnSql(products.id, today)} ->> 'star')::int`.mapWith((v) => v === null ? null : Number(v)),
  certificateExpiresOn: sql<string | null>`(${ratingOnSql(products.id, today)} ->> 'certificateExpiresOn')`,
  since: vp.since,
  until: vp.until,
  shown: sql<boolean>`${shownOn(today)}`.mapWith(Boolean)
})

/**
 * A venue's assortment: by default what it shows today (carried, and the product still recognised);
 * with `history`, every period it ever carried a product, newest first.
 */
export async function listAssortment (db: Db, venueId: string, principal: Principal, filter: { history?: boolean, limit: number, cursor?: string }, today: string) {
  const venue = await getVenue(db, venueId, principal)
  // A closed venue shows nothing; its history stays.
  if (venue.status === 'closed' && !filter.history) return { items: [], nextCursor: null }
  const after = decodeCursor(filter.cursor, ['date', 'uuid'])
  const rows = await db.select(entryColumns(today)).from(vp).innerJoin(products, eq(products.id, vp.productId)).where(and(
    eq(vp.venueId, venueId),
    filter.history ? undefined : shownOn(today),
    after ? sql`(${vp.since}, ${vp.id}) < (${after[0]}::date, ${after[1]}::uuid)` : undefined
  )).orderBy(sql`${vp.since} DESC`, sql`${vp.id} DESC`).limit(filter.limit + 1)
  return pageOf(rows, filter.limit, (r) => [r.since, r.id])
}

async function lockVenueForWrite (tx: Tx, actor: Principal, venueId: string): Promise<VenueBody> {
  const venue = await loadVenue(tx, venueId, true)
  requireVisible(venue, actor, venueId)
  requireUnit(actor, venue.adminUnitCode, 'venues')
  if (venue.status === 'closed') {
    throw conflict({ vi: `điểm bán ${venueId} đã đóng cửa ngày ${venue.closedOn}; danh mục hàng không còn thay đổi`, en: `venue ${venueId} closed on ${venue.closedOn}; its assortment no longer changes` })
  }
  return venue
}

/**
 * Adds products to a venue, all or none. Each must be active and hold a recognition of 3 stars or more
 * in force both today and on `since`; a product already carried is a conflict. Errors name the product.
 */
export async function addToAssortment (db: Db, actor: Principal, venueId: string, body: AssortmentAddBody, today: string): Promise<AssortmentEntryBody[]> {
  const since = body.since ?? today
  return db.transaction(async (tx) => {
    const venue = await lockVenueForWrite(tx, actor, venueId)
    if (venue.openedOn && since < venue.openedOn) {
      throw unprocessable({ vi: 'điểm bán chỉ bày bán sản phẩm từ ngày mở cửa', en: 'a venue carries products from its opening day' },
        [bodyField('since', { vi: `trước ngày mở cửa ${venue.openedOn}`, en: `is before the opening date ${venue.openedOn}` })])
    }
    const found = await tx.select({
      id: products.id,
      status: products.status,
      star: sql<number | null>`(${ratingOnSql(sql`${products}.id`, today)} ->> 'star')::int`,
      // Qualified by hand: in the select list of a one-table query Drizzle writes columns without their table.
      ratingOnSince: ratingOnSql(sql`${products}.id`, since),
      carried: sql<boolean>`EXISTS (SELECT 1 FROM ${vp} WHERE ${vp.venueId} = ${venueId} AND ${vp.productId} = ${products}.id AND ${vp.until} IS NULL)`
    }).from(products).where(inArray(products.id, body.productIds))
    const byId = new Map(found.map((p) => [p.id, p]))
    const refused = body.productIds.flatMap((id, i) => {
      const p = byId.get(id)
      const field = `productIds/${i}`
      if (!p) return [bodyField(field, { vi: `không có sản phẩm ${id}`, en: `product ${id} does not exist` })]
      if (p.status !== 'active') return [bodyField(field, { vi: `sản phẩm ${id} đang ở trạng thái ${p.status}`, en: `product ${id} is ${p.status}` })]
      if (p.star === null || Number(p.star) < 3) {
        return [bodyField(field, { vi: `sản phẩm ${id} không có công nhận OCOP từ 3 sao trở lên còn hiệu lực hôm nay`, en: `product ${id} holds no OCOP recognition of 3 stars or more in force today` })]
      }
      if (!p.ratingOnSince) return [bodyField(field, { vi: `sản phẩm ${id} không có công nhận còn hiệu lực vào ngày ${since}`, en: `product ${id} held no recognition in force on ${since}` })]
      return []
    })
    if (refused.length) {
      const all = joinText(refused.map((e) => e.detail))
      throw unprocessable({ vi: `chỉ được bày bán sản phẩm có công nhận từ 3 sao trở lên còn hiệu lực: ${all.vi}`, en: `only products with a recognition of 3 stars or more in force may be carried: ${all.en}` }, refused)
    }
    const already = body.productIds.flatMap((id, i) => byId.get(id)!.carried
      ? [bodyField(`productIds/${i}`, { vi: `sản phẩm ${id} đã được điểm bán này bày bán`, en: `product ${id} is already carried by this venue` })]
      : [])
    if (already.length) throw conflict(joinText(already.map((e) => e.detail)), already)
    const inserted = await tx.insert(vp).values(body.productIds.map((productId) => ({ venueId, productId, since }))).returning({ id: vp.id })
    await recordAudit(tx, actor, { entity: 'venue', entityId: venueId, action: 'carry', changes: { productIds: { old: null, new: body.productIds }, since: { old: null, new: since } } })
    return tx.select(entryColumns(today)).from(vp).innerJoin(products, eq(products.id, vp.productId))
      .where(inArray(vp.id, inserted.map((r) => r.id))).orderBy(asc(vp.id))
  })
}

/** Ends the period in which a venue carries a product; the record stays. */
export async function withdrawFromAssortment (db: Db, actor: Principal, venueId: string, productId: string, until: string | undefined, today: string): Promise<AssortmentEntryBody> {
  return db.transaction(async (tx) => {
    await lockVenueForWrite(tx, actor, venueId)
    const [entry] = await tx.select({ id: vp.id, since: vp.since }).from(vp).where(and(eq(vp.venueId, venueId), eq(vp.productId, productId), sql`${vp.until} IS NULL`)).for('update')
    if (!entry) throw notFound('current assortment entry for product', productId)
    const last = until ?? today
    if (last < entry.since) {
      throw unprocessable({ vi: 'một khoảng thời gian kết thúc vào hoặc sau ngày bắt đầu', en: 'a period ends on or after it starts' },
        [bodyField('until', { vi: `trước ${entry.since}, ngày điểm bán bắt đầu bày bán sản phẩm`, en: `is before ${entry.since}, when the venue started carrying the product` })])
    }

    await tx.update(vp).set({ until: last }).where(eq(vp.id, entry.id))
    await recordAudit(tx, actor, { entity: 'venue', entityId: venueId, action: 'withdraw', changes: { productId: { old: productId, new: null }, until: { old: null, new: last } } })
    const [row] = await tx.select(entryColumns(today)).from(vp).innerJoin(products, eq(products.id, vp.productId)).where(eq(vp.id, entry.id))
    return row!
  })
}
