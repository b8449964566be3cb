import { signedWithin } from '../statistics/measures.ts'
import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { requireUnit, type Principal } from '../../lib/principal.ts'
import { bodyField, noSuch, notFound, unprocessable } from '../../lib/problem.ts'
import { changesBetween, recordAudit, type Tx } from '../audit/service.ts'
import { getProducer } from '../producers/service.ts'
import { overlapping } from '../reference/units.ts'
import { producers } from '../producers/tables.ts'
import { loadFair } from './fairs.ts'
import { requireOwnProducts } from './products-of.ts'
import { checkDates, checkMouMove, type MouStatus } from './rules.ts'
import type { MouBody, MouCreateBody, MouStatusChangeBody } from './schemas.ts'
import { distributionPartners, mouProducts, mous } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

/**
 * The status as of a day, in SQL: a signed or in-effect MOU whose term has ended is expired. The day is
 * written as a literal (checked to be a date) so that the same expression can be grouped on.
 */
function statusOn (today: string): SQL<MouStatus> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`not a date: ${today}`)
  return sql<MouStatus>`(CASE WHEN ${mous.status} IN ('signed', 'in_effect') AND ${mous.termEnd} < ${sql.raw(`'${today}'::date`)} THEN 'expired' ELSE ${mous.status} END)`
}

/** The columns of an MOU as shown on a day: `status` derived in SQL, `recordedStatus` as recorded. */
const columns = (today: string) => ({
  id: mous.id,
  producerId: mous.producerId,
  partnerId: mous.partnerId,
  witness: mous.witness,
  fairId: mous.fairId,
  signedOn: mous.signedOn,
  termStart: mous.termStart,
  termEnd: mous.termEnd,
  valueVnd: mous.valueVnd,
  market: mous.market,
  exportCountries: mous.exportCountries,
  documentUrls: mous.documentUrls,
  status: statusOn(today),
  recordedStatus: mous.status,
  statusReason: mous.statusReason,
  statusChangedOn: mous.statusChangedOn,
  createdAt: mous.createdAt,
  updatedAt: mous.updatedAt,
  productIds: sql<string[]>`COALESCE((SELECT array_agg(mp.product_id ORDER BY mp.product_id) FROM mou_products mp WHERE mp.mou_id = ${mous}.id), '{}')`,
  unit: producers.adminUnitCode
})
type Row = Awaited<ReturnType<typeof select>>[number]
const present = ({ unit: _unit, ...row }: Row): MouBody =>
  ({ ...row, valueVnd: Number(row.valueVnd), createdAt: isoInstant(row.createdAt), updatedAt: isoInstant(row.updatedAt) })

const select = (tx: Tx, today: string) => tx.select(columns(today)).from(mous).innerJoin(producers, eq(producers.id, mous.producerId))

async function load (tx: Tx, id: string, today: string, lock = false) {
  const query = select(tx, today).where(eq(mous.id, id))
  const [row] = lock ? await query.for('update', { of: mous }) : await query
  return row
}

export async function getMou (db: Db, id: string, today: string): Promise<MouBody> {
  const row = await load(db, id, today)
  if (!row) throw notFound('MOU', id)
  return present(row)
}

/** Date rules: signed within the fair (when signed at one), term starting on or after signing, term end not before its start. */
async function checkMou (tx: Tx, body: MouCreateBody): Promise<string | null> {
  const [producer] = await tx.select({ unit: producers.adminUnitCode }).from(producers).where(eq(producers.id, body.producerId))
  if (!producer) throw noSuch('producer', body.producerId, 'producerId')
  const [partner] = await tx.select({ id: distributionPartners.id }).from(distributionPartners).where(eq(distributionPartners.id, body.partnerId))
  if (!partner) throw noSuch('distribution partner', body.partnerId, 'partnerId')
  if (body.fairId) {
    const fair = await loadFair(tx, body.fairId)
    if (!fair) throw noSuch('fair', body.fairId, 'fairId')
    if (fair.status === 'cancelled') throw unprocessable({ vi: `hội chợ ${body.fairId} đã bị hủy`, en: `fair ${body.fairId} was cancelled` }, [bodyField('fairId', { vi: 'đã bị hủy', en: 'was cancelled' })])
    if (body.signedOn < fair.startsOn || body.signedOn > fair.endsOn) {
      const during = `${fair.startsOn} – ${fair.endsOn}`
      throw unprocessable({ vi: `MOU ký tại hội chợ phải được ký trong thời gian hội chợ (${during})`, en: `an MOU signed at a fair is signed during it (${fair.startsOn} to ${fair.endsOn})` },
        [bodyField('signedOn', { vi: `nằm ngoài thời gian hội chợ (${during})`, en: `is outside the fair (${fair.startsOn} to ${fair.endsOn})` })])
    }
  }
  checkDates(body.signedOn, body.termStart, 'signedOn', 'termStart')
  checkDates(body.termStart, body.termEnd, 'termStart', 'termEnd')
  const countries = body.exportCountries ?? []
  if (body.market === 'export' && !countries.length) {
    throw unprocessable({ vi: 'MOU xuất khẩu phải nêu thị trường', en: 'an export MOU names its markets' },
      [bodyField('exportCountries', { vi: 'cần ít nhất một quốc gia cho MOU xuất khẩu', en: 'needs at least one country for an export MOU' })])
  }
  if (body.market === 'domestic' && countries.length) {
    throw unprocessable({ vi: 'MOU trong nước không có quốc gia xuất khẩu', en: 'a domestic MOU has no export countries' },
      [bodyField('exportCountries', { vi: 'phải để trống với MOU trong nước', en: 'must be empty for a domestic MOU' })])
  }
  await requireOwnProducts(tx, body.producerId, body.productIds)
  return producer.unit
}

export async function createMou (db: Db, actor: Principal, body: MouCreateBody, today: string): Promise<MouBody> {
  return db.transaction(async (tx) => {
    const unit = await checkMou(tx, body)
    requireUnit(actor, unit, 'MOUs')
    const { productIds, ...values } = body
    const [row] = await tx.insert(mous).values(values).returning({ id: mous.id })
    await tx.insert(mouProducts).values(productIds.map((productId) => ({ mouId: row!.id, productId })))
    const created = present((await load(tx, row!.id, today))!)
    await recordAudit(tx, actor, { entity: 'mou', entityId: created.id, action: 'create', changes: changesBetween(null, created, ['createdAt', 'updatedAt', 'status']) })
    return created
  })
}

/** Moves the recorded status along the machine (409 otherwise); terminating needs a reason. */
export async function changeMouStatus (db: Db, actor: Principal, id: string, body: MouStatusChangeBody, today: string): Promise<MouBody> {
  return db.transaction(async (tx) => {
    const before = await load(tx, id, today, true)
    if (!before) throw notFound('MOU', id)
    requireUnit(actor, before.unit, 'MOUs')
    checkMouMove(before.recordedStatus, body.status)
    if (body.status === 'terminated' && !body.reason) {
      throw unprocessable({ vi: 'chấm dứt MOU phải nêu lý do', en: 'a termination gives its reason' }, [bodyField('reason', { vi: 'là bắt buộc khi chấm dứt', en: 'is required to terminate' })])
    }
    const on = body.on ?? today
    if (on < before.signedOn) {
      throw unprocessable({ vi: 'trạng thái chỉ thay đổi sau ngày ký', en: 'a status changes after signing' },
        [bodyField('on', { vi: `trước ngày ký ${before.signedOn}`, en: `is before the signing date ${before.signedOn}` })])
    }

    await tx.update(mous).set({ status: body.status, statusReason: body.reason ?? null, statusChangedOn: on, updatedAt: sql`now()` }).where(eq(mous.id, id))
    const after = (await load(tx, id, today))!
    await recordAudit(tx, actor, { entity: 'mou', entityId: id, action: `status ${body.status}`, changes: changesBetween({ status: before.recordedStatus, statusReason: before.statusReason, statusChangedOn: before.statusChangedOn }, { status: after.recordedStatus, statusReason: after.statusReason, statusChangedOn: after.statusChangedOn }) })
    return present(after)
  })
}

export interface MouFilter { producer?: string, partner?: string, fair?: string, status?: MouStatus, year?: number, market?: 'domestic' | 'export', limit: number, cursor?: string }

/** A producer's MOUs: 404 for a producer the principal may not see. */
export async function listProducerMous (db: Db, producerId: string, filter: Omit<MouFilter, 'producer'>, principal: Principal, today: string) {
  await getProducer(db, producerId, principal)
  return listMous(db, { ...filter, producer: producerId }, today)
}

export async function listMous (db: Db, filter: MouFilter, today: string) {
  const after = decodeCursor(filter.cursor, ['date', 'uuid'])
  const rows = await select(db, today).where(and(
    filter.producer ? eq(mous.producerId, filter.producer) : undefined,
    filter.partner ? eq(mous.partnerId, filter.partner) : undefined,
    filter.fair ? eq(mous.fairId, filter.fair) : undefined,
    filter.status ? sql`${statusOn(today)} = ${filter.status}` : undefined,
    filter.year ? sql`${mous.signedOn} >= make_date(${filter.year}::int, 1, 1) AND ${mous.signedOn} < make_date(${filter.year}::int + 1, 1, 1)` : undefined,
    filter.market ? eq(mous.market, filter.market) : undefined,
    after ? sql`(${mous.signedOn}, ${mous.id}) > (${after[0]}::date, ${after[1]}::uuid)` : undefined
  )).orderBy(asc(mous.signedOn), asc(mous.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.signedOn, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

/**
 * MOUs signed per year and producer's unit, with their value, by partner kind and by status as of today:
 * one SQL aggregation (GROUPING SETS), whatever the number of MOUs.
 */
export async function mouFigures (db: Db, filter: { year?: number, adminUnit?: string, adminUnitList?: string }, today: string) {
  const year = sql`extract(year FROM ${mous.signedOn})::int`
  const status = statusOn(today)
  const rows = await db.select({
    year: sql<number>`${year}`.mapWith(Number),
    unit: producers.adminUnitCode,
    kind: distributionPartners.kind,
    status,
    grouping: sql<number>`GROUPING(${distributionPartners.kind}, ${status})`.mapWith(Number),
    mous: sql<number>`count(*)`.mapWith(Number),
    valueVnd: sql<number>`COALESCE(sum(${mous.valueVnd}), 0)`.mapWith(Number)
  }).from(mous)
    .innerJoin(producers, eq(producers.id, mous.producerId))
    .innerJoin(distributionPartners, eq(distributionPartners.id, mous.partnerId))
    .where(and(
      filter.year ? signedWithin(`${filter.year}-01-01`, `${filter.year}-12-31`) : undefined,
      filter.adminUnit ? overlapping('unit', producers.adminUnitList, producers.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined
    ))
    .groupBy(sql`GROUPING SETS ((${year}, ${producers.adminUnitCode}), (${year}, ${producers.adminUnitCode}, ${distributionPartners.kind}), (${year}, ${producers.adminUnitCode}, ${status}))`)
    .orderBy(sql`1, 2`)
  const figures = new Map<string, { year: number, adminUnitCode: string | null, mous: number, valueVnd: number, byPartnerKind: Record<string, number>, byStatus: Record<string, number> }>()
  for (const r of rows) {
    const key = `${r.year}/${r.unit}`
    const figure = figures.get(key) ?? { year: r.year, adminUnitCode: r.unit, mous: 0, valueVnd: 0, byPartnerKind: {}, byStatus: {} }
    figures.set(key, figure)
    if (r.grouping === 3) Object.assign(figure, { mous: r.mous, valueVnd: r.valueVnd })
    else if (r.grouping === 1) figure.byPartnerKind[r.kind] = r.mous
    else if (r.grouping === 2) figure.byStatus[r.status] = r.mous
  }
  return { items: [...figures.values()] }
}
