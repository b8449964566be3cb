import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import type { Principal } from '../../lib/principal.ts'
import { brokenRules, notFound } from '../../lib/problem.ts'
import type { Text } from '../../lib/i18n.ts'
import type { Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { productGroups } from '../reference/tables.ts'
import { REGISTERS, resolveUnit } from '../reference/units.ts'
import { evaluationsDecided, mousSigned, productsInForce, productsNewlyRecognised, venuesOpen, type Scope } from '../statistics/measures.ts'
import { VENUE_TYPES } from '../venues/rules.ts'
import { MEASURE_KINDS, MEASURES, type Measure } from './rules.ts'
import type { TargetBody, TargetCreateBody, TargetPatchBody, TargetProgressBody } from './schemas.ts'
import { targets as t } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

const columns = {
  id: t.id,
  nameVi: t.nameVi,
  nameEn: t.nameEn,
  source: t.source,
  from: t.periodFrom,
  to: t.periodTo,
  measure: t.measure,
  minStar: t.minStar,
  venueType: t.venueType,
  adminUnitList: t.adminUnitList,
  adminUnitCode: t.adminUnitCode,
  productGroup: t.productGroup,
  number: t.number,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt
}
const present = (row: TargetBody): TargetBody => ({ ...row, createdAt: isoInstant(row.createdAt), updatedAt: isoInstant(row.updatedAt) })

async function load (tx: Tx, id: string, lock = false): Promise<TargetBody | undefined> {
  const query = tx.select(columns).from(t).where(eq(t.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row && present(row)
}

export async function getTarget (db: Db, id: string): Promise<TargetBody> {
  const target = await load(db, id)
  if (!target) throw notFound('target', id)
  return target
}

type Fields = Omit<TargetBody, 'id' | 'createdAt' | 'updatedAt'>

/**
 * A target's fields hold together, or a 422 naming each field that does not: a known measure, a period
 * that ends on or after it starts, a star of 3 to 5 with (and only with) a product measure, a venue type
 * with venues only, a QD148-2023 product group, not with venues, and a unit valid at some time in the
 * period. Returns the fields with the unit's list.
 */
async function checked (db: Tx, f: Fields): Promise<Fields> {
  const issues: { pointer: string, detail: Text }[] = []
  const refuse = (field: string, detail: Text) => issues.push({ pointer: `/${field}`, detail })
  const measure = f.measure as Measure
  if (!MEASURES.includes(measure)) refuse('measure', { vi: `không phải là chỉ số nào; một trong: ${MEASURES.join(', ')}`, en: `is not a measure; one of: ${MEASURES.join(', ')}` })
  if (f.to < f.from) refuse('to', { vi: `trước ngày bắt đầu ${f.from}`, en: `is before the start ${f.from}` })
  // The fields that depend on the measure are checked against a known one only.
  if (MEASURES.includes(measure)) {
    const productMeasure = MEASURE_KINDS.products.includes(measure)
    if (f.minStar !== null && (f.minStar < 3 || f.minStar > 5)) refuse('minStar', { vi: 'phải từ 3 đến 5 sao', en: 'must be 3 to 5 stars' })
    else if (productMeasure && f.minStar === null) refuse('minStar', { vi: `bắt buộc với ${measure}`, en: `is required with ${measure}` })
    else if (!productMeasure && f.minStar !== null) refuse('minStar', { vi: `chỉ dùng với ${MEASURE_KINDS.products.join(', ')}`, en: `goes with ${MEASURE_KINDS.products.join(', ')} only` })
    if (f.venueType !== null) {
      if (measure !== 'venues-open') refuse('venueType', { vi: 'chỉ dùng với venues-open', en: 'goes with venues-open only' })
      else if (!(VENUE_TYPES as readonly string[]).includes(f.venueType)) refuse('venueType', { vi: `không phải là loại điểm nào; một trong: ${VENUE_TYPES.join(', ')}`, en: `is not a venue type; one of: ${VENUE_TYPES.join(', ')}` })
    }
    if (f.productGroup !== null) {
      if (measure === 'venues-open') refuse('productGroup', { vi: 'không dùng với venues-open', en: 'does not go with venues-open' })
      else {
        const [group] = await db.select({ code: productGroups.code }).from(productGroups).where(and(eq(productGroups.criteriaSet, 'QD148-2023'), eq(productGroups.code, f.productGroup)))
        if (!group) refuse('productGroup', { vi: 'không phải là nhóm sản phẩm nào của QD148-2023 (GET /v1/product-groups)', en: 'is not a product group of QD148-2023 (GET /v1/product-groups)' })
      }
    }
  }
  let unit: { list: string, code: string } | null = null
  if (f.adminUnitCode !== null) {
    unit = await resolveUnit(db, { code: f.adminUnitCode, list: f.adminUnitList })
    const { table } = REGISTERS.unit
    const [valid] = await db.select({ from: table.validFrom, to: table.validTo }).from(table).where(and(eq(table.list, unit.list), eq(table.code, unit.code)))
    if (valid && (valid.from > f.to || (valid.to !== null && valid.to < f.from))) {
      refuse('adminUnitCode', { vi: `không có hiệu lực trong kỳ ${f.from}..${f.to} (hiệu lực ${valid.from}..${valid.to ?? 'nay'})`, en: `was not valid during ${f.from}..${f.to} (valid ${valid.from}..${valid.to ?? 'today'})` })
    }
  }
  if (issues.length) throw brokenRules(issues)
  return { ...f, adminUnitList: unit?.list ?? null, adminUnitCode: unit?.code ?? null }
}

const values = (f: Fields) => ({
  nameVi: f.nameVi,
  nameEn: f.nameEn,
  source: f.source,
  periodFrom: f.from,
  periodTo: f.to,
  measure: f.measure as Measure,
  minStar: f.minStar,
  venueType: f.venueType,
  adminUnitList: f.adminUnitList,
  adminUnitCode: f.adminUnitCode,
  productGroup: f.productGroup,
  number: f.number
})

export async function createTarget (db: Db, actor: Principal, body: TargetCreateBody): Promise<TargetBody> {
  const fields = await checked(db, { minStar: null, venueType: null, adminUnitList: null, adminUnitCode: null, productGroup: null, ...body })
  return auditedCreate(db, actor, 'target', async (tx) => (await tx.insert(t).values(values(fields)).returning({ id: t.id }))[0]!.id, (tx, id) => load(tx, id))
}

/** Changes a target; the result must hold together as a new one would. A new unit code without a list is read afresh. */
export async function updateTarget (db: Db, actor: Principal, id: string, patch: TargetPatchBody, precondition: (current: TargetBody) => void): Promise<TargetBody> {
  let fields: Fields
  return auditedUpdate(db, actor, {
    entity: 'target',
    id,
    load: (tx) => load(tx, id, true),
    check: async (current, tx) => {
      precondition(current)
      const { id: _id, createdAt: _c, updatedAt: _u, ...was } = current
      const unitNamed = patch.adminUnitCode !== undefined || patch.adminUnitList !== undefined
      fields = await checked(tx, {
        ...was,
        ...patch,
        adminUnitList: unitNamed ? patch.adminUnitList ?? null : was.adminUnitList
      } as Fields)
    },
    apply: async (tx) => { await tx.update(t).set({ ...values(fields), updatedAt: sql`now()` }).where(eq(t.id, id)) }
  })
}

/** The count a target measures, over [from, to] for a flow and on `to` for a stock. */
async function count (db: Db, target: TargetBody, from: string, to: string): Promise<number> {
  const scope: Scope = { adminUnit: target.adminUnitCode ?? undefined, adminUnitList: target.adminUnitList, productGroup: target.productGroup }
  const measure = target.measure as Measure
  const counted = {
    'products-in-force': () => productsInForce(to, scope, target.minStar!),
    'products-newly-recognised': () => productsNewlyRecognised(from, to, scope, target.minStar!),
    'evaluations-decided': () => evaluationsDecided(from, to, scope),
    'mous-signed': () => mousSigned(from, to, scope),
    'venues-open': () => venuesOpen(to, scope, target.venueType)
  }[measure]
  const [row] = await rowsOf<{ n: number }>(db, sql`SELECT count(*)::int AS n ${counted()}`)
  return row!.n
}

/**
 * A target's progress on a day: the measure counted with only what had happened by then (by the
 * period's end if the day is later). Before the period, a flow counts nothing and a stock is its
 * count on that day. `met` is known once the period has ended.
 */
export async function progressOf (db: Db, target: TargetBody, on: string): Promise<TargetProgressBody> {
  const measuredOn = on < target.to ? on : target.to
  const started = on >= target.from
  const stock = MEASURE_KINDS.stocks.includes(target.measure as Measure)
  const value = stock || started ? await count(db, target, target.from, measuredOn) : 0
  const ended = on >= target.to
  const reached = value >= target.number
  return { on, measuredOn, started, ended, value, number: target.number, share: Math.round(10000 * value / target.number) / 10000, reached, met: ended ? reached : null }
}

export async function targetProgress (db: Db, id: string, on: string): Promise<TargetProgressBody> {
  return progressOf(db, await getTarget(db, id), on)
}

/** The targets, by the period's last day, then its first, each with its progress on `on`. */
export async function listTargets (db: Db, filter: { on: string, measure?: string, limit: number, cursor?: string }) {
  const after = decodeCursor(filter.cursor, ['date', 'date', 'uuid'])
  const rows = await db.select(columns).from(t).where(and(
    filter.measure ? eq(t.measure, filter.measure as Measure) : undefined,
    after ? sql`(${t.periodTo}, ${t.periodFrom}, ${t.id}) > (${after[0]}::date, ${after[1]}::date, ${after[2]}::uuid)` : undefined
  )).orderBy(asc(t.periodTo), asc(t.periodFrom), asc(t.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.to, r.from, r.id])
  const items = []
  for (const row of page.items) {
    const target = present(row)
    items.push({ ...target, progress: await progressOf(db, target, filter.on) })
  }
  return { items, nextCursor: page.nextCursor }
}
