import { and, eq, gte, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { hanoiDate, isoInstant } from '../../lib/clock.ts'
import { containsPattern, keyset, pageOf, searchPattern, type SortKey } from '../../lib/keyset.ts'
import { requireUnit, seesUnpublished, visibleRows, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import { recordAudit, changesBetween, type Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { HANOI, named, overlapping, PRODUCER_PROVINCE, linkedTo, resolveCoded, resolveUnit, type DateName, type UnitRef } from '../reference/units.ts'
import { requireVillage } from '../villages/service.ts'
import { normalizePhone, normalizeTaxCode } from './rules.ts'
import type { ProducerBody, ProducerCreateBody, ProducerPatchBody } from './schemas.ts'
import { producers } from './tables.ts'

export const producerColumns = {
  id: producers.id,
  name: producers.name,
  type: producers.type,
  taxCode: producers.taxCode,
  representative: producers.representative,
  address: producers.address,
  adminUnitList: producers.adminUnitList,
  adminUnitCode: producers.adminUnitCode,
  successorUnits: linkedTo('unit', { table: 'producers', list: 'admin_unit_list', code: 'admin_unit_code' }, 'successors'),
  province: named('province', PRODUCER_PROVINCE),
  registeredOn: producers.registeredOn,
  craftVillageId: producers.craftVillageId,
  phone: producers.phone,
  email: producers.email,
  website: producers.website,
  socialUrl: producers.socialUrl,
  status: producers.status,
  createdAt: producers.createdAt,
  updatedAt: producers.updatedAt
}
type Row = Omit<ProducerBody, 'createdAt' | 'updatedAt'> & { createdAt: string, updatedAt: string }
const present = (row: Row): ProducerBody => ({ ...row, createdAt: isoInstant(row.createdAt), updatedAt: isoInstant(row.updatedAt) })

async function load (tx: Tx, id: string, lock = false): Promise<ProducerBody | undefined> {
  const query = tx.select(producerColumns).from(producers).where(eq(producers.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row && present(row)
}

/** A producer as the principal may see it: inactive producers are hidden from anonymous readers and partners. */
export async function getProducer (db: Db, id: string, principal: Principal): Promise<ProducerBody> {
  const producer = await load(db, id)
  if (!producer || (producer.status !== 'active' && !seesUnpublished(principal, producer.adminUnitCode))) throw notFound('producer', id)
  return producer
}

export interface ProducerFilter {
  adminUnit?: string
  adminUnitList?: string
  craftVillage?: string
  type?: ProducerBody['type']
  status?: ProducerBody['status']
  updatedSince?: string
  q?: string
  sort?: SortKey
  limit: number
  cursor?: string
}

export async function listProducers (db: Db, filter: ProducerFilter, principal: Principal) {
  const sort = filter.sort ?? (filter.q ? 'relevance' : 'name')
  const doc = sql`search_text(${producers.name})`
  const q = filter.q
  const page = keyset(sort, {
    name: producers.name,
    updatedAt: producers.updatedAt,
    id: producers.id,
    rank: q ? sql`(CASE WHEN ${producers.name} ILIKE ${containsPattern(q)} THEN 0 ELSE 1 END)` : undefined,
    score: q ? sql`round(word_similarity(search_text(${q}), ${doc})::numeric, 4)` : undefined
  }, filter.cursor)
  // Staff see inactive producers (operators: of their units); everyone else sees active ones only.
  const visibility = visibleRows(principal, eq(producers.status, 'active'), producers.adminUnitCode)
  const rows = await db.select({ ...producerColumns, ...page.select }).from(producers).where(and(
    visibility,
    filter.adminUnit ? overlapping('unit', producers.adminUnitList, producers.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined,
    filter.craftVillage ? eq(producers.craftVillageId, filter.craftVillage) : undefined,
    filter.type ? eq(producers.type, filter.type) : undefined,
    filter.status ? eq(producers.status, filter.status) : undefined,
    filter.updatedSince ? gte(producers.updatedAt, filter.updatedSince) : undefined,
    q ? sql`(${doc} LIKE ${searchPattern(q)} OR search_text(${q}) <% ${doc})` : undefined,
    page.where
  )).orderBy(...page.orderBy).limit(filter.limit + 1)
  const result = pageOf(rows as Record<string, unknown>[], filter.limit, page.keyOf)
  return { items: result.items.map(({ rank: _r, score: _s, ...row }) => present(row as Row)), nextCursor: result.nextCursor }
}

type Place = Pick<ProducerCreateBody, 'adminUnitCode' | 'adminUnitList' | 'provinceCode' | 'provinceList' | 'taxCode'>

/**
 * Where a producer is, as recorded: its province and, in Hanoi, its unit, each valid on the day given
 * (the registration date; a move's date). Hanoi's producers name a unit of the list in force that day
 * (a district before 2025-07-01, a commune-level unit from then on); producers of other provinces name
 * no unit of Hanoi's and need a tax code.
 */
async function placeOf (tx: Tx, input: Place, on: { date: string, what: DateName }, recorded?: UnitRef) {
  // A move keeps the province recorded at registration: only the unit is read on the move's date.
  const province = recorded ?? await resolveCoded(tx, 'province', { code: input.provinceCode ?? HANOI, list: input.provinceList }, on, { code: 'provinceCode', list: 'provinceList' })
  if (province.code !== HANOI) {
    if (input.adminUnitCode) throw unprocessable({ vi: 'chỉ chủ thể ở Hà Nội mới có đơn vị hành chính của Hà Nội', en: 'only a producer in Hanoi has one of Hanoi\'s administrative units' }, [bodyField('adminUnitCode', { vi: `không dùng cho chủ thể của tỉnh ${province.code}`, en: `is not for a producer of province ${province.code}` })])
    if (!input.taxCode) throw unprocessable({ vi: 'chủ thể ngoài Hà Nội phải có mã số thuế', en: 'a producer outside Hanoi needs its tax code' }, [bodyField('taxCode', { vi: 'bắt buộc với chủ thể ngoài Hà Nội', en: 'is required outside Hanoi' })])
    return { provinceList: province.list, provinceCode: province.code, adminUnitList: null, adminUnitCode: null }
  }
  if (!input.adminUnitCode) throw unprocessable({ vi: 'chủ thể ở Hà Nội phải có đơn vị hành chính', en: 'a producer in Hanoi needs its administrative unit' }, [bodyField('adminUnitCode', { vi: 'bắt buộc với chủ thể ở Hà Nội', en: 'is required in Hanoi' })])
  const unit = await resolveUnit(tx, { code: input.adminUnitCode, list: input.adminUnitList }, on)
  return { provinceList: province.list, provinceCode: province.code, adminUnitList: unit.list, adminUnitCode: unit.code }
}

const normalizeContact = <T extends { phone?: string | null, taxCode?: string | null }>(input: T): T => ({
  ...input,
  ...(input.phone ? { phone: normalizePhone(input.phone) } : {}),
  ...(input.taxCode ? { taxCode: normalizeTaxCode(input.taxCode) } : {})
})

export async function createProducer (db: Db, actor: Principal, body: ProducerCreateBody, now: Date): Promise<ProducerBody> {
  const input = normalizeContact({ ...body, registeredOn: body.registeredOn ?? hanoiDate(now) })
  requireUnit(actor, input.adminUnitCode, 'producers')
  return auditedCreate(db, actor, 'producer', async (tx) => {
    const place = await placeOf(tx, input, { date: input.registeredOn, what: 'the registration date' })
    if (input.craftVillageId) await requireVillage(tx, input.craftVillageId)
    const [row] = await tx.insert(producers).values({ ...input, ...place }).returning({ id: producers.id })
    return row!.id
  }, (tx, id) => load(tx, id))
}

export async function updateProducer (db: Db, actor: Principal, id: string, body: ProducerPatchBody, precondition: (current: ProducerBody) => void, today: string): Promise<ProducerBody> {
  const patch = normalizeContact(body)
  let moved: { adminUnitList: string | null, adminUnitCode: string | null } | undefined
  return auditedUpdate(db, actor, {
    entity: 'producer',
    id,
    action: body.status === 'inactive' ? 'deactivate' : 'update',
    load: (tx) => load(tx, id, true),
    check: async (current, tx) => {
      precondition(current)
      requireUnit(actor, current.adminUnitCode, 'producers')
      if (patch.craftVillageId) await requireVillage(tx, patch.craftVillageId)
      if (patch.adminUnitList && !patch.adminUnitCode) throw unprocessable({ vi: 'adminUnitList đi cùng adminUnitCode', en: 'adminUnitList goes with adminUnitCode' }, [bodyField('adminUnitCode', { vi: 'bắt buộc khi có adminUnitList', en: 'is required with adminUnitList' })])
      if (patch.adminUnitCode) {
        // A move: to a unit valid today, inside the key's units, for a producer in Hanoi.
        requireUnit(actor, patch.adminUnitCode, 'producers')
        moved = await placeOf(tx, { ...patch, taxCode: patch.taxCode ?? current.taxCode }, { date: today, what: 'the move date' }, current.province)
      }
    },
    apply: async (tx) => {
      const { adminUnitCode: _code, adminUnitList: _list, ...rest } = patch
      await tx.update(producers).set({ ...rest, ...moved, updatedAt: sql`now()` }).where(eq(producers.id, id))
    }
  })
}

// Read through SQL rather than the products module's tables: products depend on producers, not back.
async function countProducts (tx: Tx, producerId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`(SELECT count(*)::int FROM products WHERE producer_id = ${producerId})` }).from(producers).where(eq(producers.id, producerId))
  return Number(row?.n ?? 0)
}

/** A producer with products is never deleted (deactivate it instead). */
export async function deleteProducer (db: Db, actor: Principal, id: string, precondition: (current: ProducerBody) => void): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await load(tx, id, true)
    if (!current) throw notFound('producer', id)
    precondition(current)
    requireUnit(actor, current.adminUnitCode, 'producers')
    const n = await countProducts(tx, id)
    if (n > 0) throw conflict({ vi: `chủ thể ${id} có ${n} sản phẩm nên không xóa được; hãy ngừng hoạt động chủ thể`, en: `producer ${id} has ${n} products and cannot be deleted; deactivate it instead` })

    await tx.delete(producers).where(eq(producers.id, id))
    await recordAudit(tx, actor, { entity: 'producer', entityId: id, action: 'delete', changes: changesBetween(current, null, ['createdAt', 'updatedAt']) })
  })
}
