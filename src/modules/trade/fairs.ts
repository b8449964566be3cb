import { and, asc, eq, gte, lte, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { requireUnit, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, noSuch, notFound, unprocessable } from '../../lib/problem.ts'
import { recordAudit, type Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { overlapping } from '../reference/units.ts'
import { producers } from '../producers/tables.ts'
import { resolveUnit } from '../reference/units.ts'
import { venues } from '../venues/tables.ts'
import { requireOwnProducts } from './products-of.ts'
import { checkDates, checkFairMove } from './rules.ts'
import type { BoothBody, BoothCreateBody, FairBody, FairCreateBody, FairPatchBody } from './schemas.ts'
import { boothProducts, booths, fairs, mous } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

const present = (row: typeof fairs.$inferSelect): FairBody =>
  ({ ...row, regions: row.regions as FairBody['regions'], createdAt: isoInstant(row.createdAt), updatedAt: isoInstant(row.updatedAt) })

export async function loadFair (tx: Tx, id: string, lock = false): Promise<FairBody | undefined> {
  const query = tx.select().from(fairs).where(eq(fairs.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row && present(row)
}

export async function getFair (db: Db, id: string): Promise<FairBody> {
  const fair = await loadFair(db, id)
  if (!fair) throw notFound('fair', id)
  return fair
}

async function checkPlace (tx: Tx, fair: { address?: string | null, venueId?: string | null }) {
  if (!fair.address && !fair.venueId) {
    throw unprocessable({ vi: 'hội chợ diễn ra tại một địa chỉ hoặc một điểm bán', en: 'a fair takes place at an address or a venue' },
      [bodyField('address', { vi: 'là bắt buộc khi không có venueId', en: 'is required when there is no venueId' })])
  }
  if (fair.venueId) {
    const [venue] = await tx.select({ id: venues.id }).from(venues).where(eq(venues.id, fair.venueId))
    if (!venue) throw noSuch('venue', fair.venueId, 'venueId')
  }
}

export async function createFair (db: Db, actor: Principal, body: FairCreateBody): Promise<FairBody> {
  requireUnit(actor, body.adminUnitCode, 'fairs')
  checkDates(body.startsOn, body.endsOn, 'startsOn', 'endsOn')
  return auditedCreate(db, actor, 'fair', async (tx) => {
    const unit = await resolveUnit(tx, { code: body.adminUnitCode, list: body.adminUnitList }, { date: body.startsOn, what: 'the start date' })
    await checkPlace(tx, body)
    return (await tx.insert(fairs).values({ ...body, adminUnitList: unit.list }).returning({ id: fairs.id }))[0]!.id
  }, (tx, id) => loadFair(tx, id))
}

export async function updateFair (db: Db, actor: Principal, id: string, patch: FairPatchBody, precondition: (current: FairBody) => void): Promise<FairBody> {
  return auditedUpdate(db, actor, {
    entity: 'fair',
    id,
    action: patch.status ? `status ${patch.status}` : 'update',
    load: (tx) => loadFair(tx, id, true),
    check: async (current, tx) => {
      precondition(current)
      requireUnit(actor, current.adminUnitCode, 'fairs')
      if (patch.status && patch.status !== current.status) checkFairMove(current.status, patch.status)
      const startsOn = patch.startsOn ?? current.startsOn
      const endsOn = patch.endsOn ?? current.endsOn
      checkDates(startsOn, endsOn, 'startsOn', 'endsOn')
      if (patch.startsOn || patch.endsOn) {
        // MOUs signed at the fair must stay within its dates.
        const [outside] = await tx.select({ id: mous.id, signedOn: mous.signedOn }).from(mous)
          .where(and(eq(mous.fairId, id), sql`(${mous.signedOn} < ${startsOn}::date OR ${mous.signedOn} > ${endsOn}::date)`)).limit(1)
        if (outside) {
          throw conflict({
            vi: `MOU ${outside.id} được ký tại hội chợ này ngày ${outside.signedOn}, ngoài khoảng ${startsOn} – ${endsOn}`,
            en: `MOU ${outside.id} was signed at this fair on ${outside.signedOn}, outside ${startsOn} to ${endsOn}`
          })
        }
      }
      if ('address' in patch || 'venueId' in patch) await checkPlace(tx, { address: 'address' in patch ? patch.address : current.address, venueId: 'venueId' in patch ? patch.venueId : current.venueId })
    },
    apply: async (tx) => { await tx.update(fairs).set({ ...patch, updatedAt: sql`now()` }).where(eq(fairs.id, id)) }
  })
}

export async function listFairs (db: Db, filter: { kind?: FairBody['kind'], status?: FairBody['status'], adminUnit?: string, adminUnitList?: string, from?: string, to?: string, limit: number, cursor?: string }) {
  const after = decodeCursor(filter.cursor, ['date', 'uuid'])
  const rows = await db.select().from(fairs).where(and(
    filter.kind ? eq(fairs.kind, filter.kind) : undefined,
    filter.status ? eq(fairs.status, filter.status) : undefined,
    filter.adminUnit ? overlapping('unit', fairs.adminUnitList, fairs.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined,
    filter.from ? gte(fairs.endsOn, filter.from) : undefined,
    filter.to ? lte(fairs.startsOn, filter.to) : undefined,
    after ? sql`(${fairs.startsOn}, ${fairs.id}) > (${after[0]}::date, ${after[1]}::uuid)` : undefined
  )).orderBy(asc(fairs.startsOn), asc(fairs.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.startsOn, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

const boothColumns = {
  id: booths.id,
  fairId: booths.fairId,
  number: booths.number,
  producerId: booths.producerId,
  createdAt: booths.createdAt,
  productIds: sql<string[]>`COALESCE((SELECT array_agg(bp.product_id ORDER BY bp.product_id) FROM booth_products bp WHERE bp.booth_id = ${booths}.id), '{}')`
}
const presentBooth = (row: { createdAt: string } & Omit<BoothBody, 'createdAt'>): BoothBody => ({ ...row, createdAt: isoInstant(row.createdAt) })

export async function listBooths (db: Db, fairId: string): Promise<BoothBody[]> {
  await getFair(db, fairId)
  return (await db.select(boothColumns).from(booths).where(eq(booths.fairId, fairId)).orderBy(asc(booths.number))).map(presentBooth)
}

/** A booth: one producer per number per fair (409), showing only its own products (422 naming each). */
export async function createBooth (db: Db, actor: Principal, fairId: string, body: BoothCreateBody): Promise<BoothBody> {
  return db.transaction(async (tx) => {
    const fair = await loadFair(tx, fairId, true)
    if (!fair) throw notFound('fair', fairId)
    requireUnit(actor, fair.adminUnitCode, 'fairs')
    if (fair.status === 'closed' || fair.status === 'cancelled') {
      throw conflict({ vi: `hội chợ ${fairId} đang ở trạng thái ${fair.status}: gian hàng không còn thay đổi`, en: `fair ${fairId} is ${fair.status}: its booths no longer change` })
    }
    const [producer] = await tx.select({ id: producers.id }).from(producers).where(eq(producers.id, body.producerId))
    if (!producer) throw noSuch('producer', body.producerId, 'producerId')
    const [taken] = await tx.select({ producerId: booths.producerId }).from(booths).where(and(eq(booths.fairId, fairId), eq(booths.number, body.number)))
    if (taken) {
      throw conflict({ vi: `gian hàng ${body.number} của hội chợ này đã thuộc chủ thể ${taken.producerId}`, en: `booth ${body.number} of this fair is already taken by producer ${taken.producerId}` },
        [bodyField('number', { vi: 'đã có chủ thể khác trong hội chợ này', en: 'is already taken in this fair' })])
    }

    await requireOwnProducts(tx, body.producerId, body.productIds ?? [])
    const [row] = await tx.insert(booths).values({ fairId, number: body.number, producerId: body.producerId }).returning({ id: booths.id })
    if (body.productIds?.length) await tx.insert(boothProducts).values(body.productIds.map((productId) => ({ boothId: row!.id, productId })))
    await recordAudit(tx, actor, { entity: 'fair', entityId: fairId, action: 'booth', changes: { booth: { old: null, new: { number: body.number, producerId: body.producerId, productIds: body.productIds ?? [] } } } })
    const [booth] = await tx.select(boothColumns).from(booths).where(eq(booths.id, row!.id))
    return presentBooth(booth!)
  })
}

/** The figures of a fair, counted in SQL. */
export async function fairFigures (db: Db, fairId: string) {
  await getFair(db, fairId)
  const [row] = await db.select({
    booths: sql<number>`(SELECT count(*) FROM booths WHERE fair_id = ${fairId})`.mapWith(Number),
    producers: sql<number>`(SELECT count(DISTINCT producer_id) FROM booths WHERE fair_id = ${fairId})`.mapWith(Number),
    productsShown: sql<number>`(SELECT count(DISTINCT bp.product_id) FROM booth_products bp JOIN booths b ON b.id = bp.booth_id WHERE b.fair_id = ${fairId})`.mapWith(Number),
    mousSigned: sql<number>`(SELECT count(*) FROM mous WHERE fair_id = ${fairId})`.mapWith(Number),
    mouValueVnd: sql<number>`(SELECT COALESCE(sum(value_vnd), 0) FROM mous WHERE fair_id = ${fairId})`.mapWith(Number)
  }).from(sql`(SELECT 1) AS one`)
  return { fairId, ...row! }
}
