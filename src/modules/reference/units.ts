import { and, eq, sql, type Placeholder, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.ts'
import { bodyField, noSuch, queryField, unprocessable } from '../../lib/problem.ts'
import { adminUnitOverlap, adminUnits, provinceOverlap, provinces, unitLists } from './tables.ts'

/**
 * Units and provinces are identified by their code list and code (unit_lists). The rules here are the
 * only place that knows which list is in force on a day, how a code without a list is read, and what
 * overlaps what across the 2025 reform.
 */
type Reader = Pick<Db, 'select'>
type Column = SQL | AnyPgColumn

/** Province 01, Hà Nội, in every list: the one province whose councils this service records. */
export const HANOI = '01'

/** The two registers of coded units: Hanoi's administrative units and Vietnam's provinces. */
export const REGISTERS = {
  unit: { table: adminUnits, overlap: adminUnitOverlap, entity: 'admin unit', path: '/v1/admin-units' },
  province: { table: provinces, overlap: provinceOverlap, entity: 'province', path: '/v1/provinces' }
} as const
export type Register = keyof typeof REGISTERS

/** The key of the list in force on a day (exactly one list covers any day since 2004-07-08). */
export async function listInForce (db: Reader, on: string): Promise<string> {
  const [list] = await db.select({ key: unitLists.key }).from(unitLists)
    .where(sql`${unitLists.validFrom} <= ${on} AND (${unitLists.validTo} IS NULL OR ${unitLists.validTo} >= ${on})`)
  if (!list) throw unprocessable({ vi: `không có danh mục đơn vị hành chính nào có hiệu lực vào ngày ${on}`, en: `no list of administrative units was in force on ${on}` })
  return list.key
}

/** Refuses (422, naming the field of the body or the query) a list key that is not a list. */
export async function requireList (db: Reader, key: string, field: string, where: 'body' | 'query'): Promise<void> {
  const [list] = await db.select({ key: unitLists.key }).from(unitLists).where(eq(unitLists.key, key))
  if (!list) throw where === 'query' ? unprocessable({ vi: `không có danh mục ${key}`, en: `there is no list ${key}` }, [queryField(field, { vi: 'không phải là danh mục nào (GET /v1/unit-lists)', en: 'is not a list (GET /v1/unit-lists)' })]) : noSuch('unit list', key, field)
}

/** A code named without its list that is in more than one: 422 naming the list's field. */
export const ambiguousCode = (code: string, lists: string[], field: string, where: 'body' | 'query') => unprocessable(
  { vi: `mã ${code} có trong nhiều danh mục (${lists.join(', ')}): hãy ghi rõ danh mục (${field})`, en: `code ${code} is in more than one list (${lists.join(', ')}): name the list (${field})` },
  [(where === 'query' ? queryField : bodyField)(field, { vi: `bắt buộc với mã ${code}`, en: `is required for code ${code}` })])

const DATE_NAMES = { 'the opening date': 'ngày mở cửa', 'the registration date': 'ngày đăng ký', 'the start date': 'ngày bắt đầu', 'the move date': 'ngày chuyển', 'the issue date': 'ngày cấp' }
export type DateName = keyof typeof DATE_NAMES
export interface UnitRef { list: string, code: string }
export type NamedUnit = UnitRef & { name: string }

/**
 * Reads a unit (or a province) a client named, and refuses (422, naming the field) one that does not
 * exist, or was not valid on the day `on` names. Without a list the code is read in the list in force on
 * that day (or, with no day, in the one list that has it), which is how clients written before the lists
 * existed keep working; a code of the wrong list for the day is refused with the list to use.
 */
export async function resolveCoded (db: Reader, register: Register, named: { code: string, list?: string | null }, on: { date: string, what: DateName } | undefined, fields: { code: string, list: string }): Promise<UnitRef> {
  const { table, entity, path } = REGISTERS[register]
  const what = register === 'unit' ? { vi: 'đơn vị hành chính', en: 'administrative unit' } : { vi: 'tỉnh', en: 'province' }
  const found = await db.select({ list: table.list, code: table.code, validFrom: table.validFrom, validTo: table.validTo }).from(table).where(eq(table.code, named.code))
  const expected = named.list ?? (on ? await listInForce(db, on.date) : undefined)
  if (named.list) await requireList(db, named.list, fields.list, 'body')
  const matching = expected ? found.filter((u) => u.list === expected) : found
  if (matching.length > 1) throw ambiguousCode(named.code, found.map((u) => u.list), fields.list, 'body')
  const unit = matching[0]
  if (!unit) {
    if (!found.length) throw noSuch(entity, named.code, fields.code)
    const elsewhere = found.map((u) => `${u.list} (${u.validFrom}..${u.validTo ?? ''})`).join(', ')
    const when = on ? { vi: `, danh mục có hiệu lực vào ${DATE_NAMES[on.what]} ${on.date}`, en: `, the list in force on ${on.what} ${on.date}` } : { vi: '', en: '' }
    throw unprocessable({
      vi: `${named.code} không phải là ${what.vi} của danh mục ${expected}${when.vi}; mã này thuộc ${elsewhere}. Danh sách hợp lệ: ${path}?list=${expected}`,
      en: `${named.code} is not ${register === 'unit' ? 'an' : 'a'} ${what.en} of list ${expected}${when.en}; that code is in ${elsewhere}. The valid ones: ${path}?list=${expected}`
    }, [bodyField(fields.code, { vi: `không có trong danh mục ${expected}`, en: `is not in list ${expected}` })])
  }
  if (on && (unit.validFrom > on.date || (unit.validTo !== null && unit.validTo < on.date))) {
    const inForce = await listInForce(db, on.date)
    throw unprocessable({
      vi: `${what.vi} ${unit.list}:${unit.code} không có hiệu lực vào ngày ${on.date} (hiệu lực từ ${unit.validFrom} đến ${unit.validTo ?? 'nay'}). Danh sách hợp lệ: ${path}?list=${inForce}&validOn=${on.date}`,
      en: `${what.en} ${unit.list}:${unit.code} was not valid on ${on.date} (valid ${unit.validFrom} to ${unit.validTo ?? 'today'}). The valid ones: ${path}?list=${inForce}&validOn=${on.date}`
    }, [bodyField(fields.code, { vi: `không có hiệu lực vào ${DATE_NAMES[on.what]} ${on.date}`, en: `was not valid on ${on.what} ${on.date}` })])
  }
  return { list: unit.list, code: unit.code }
}

/** resolveCoded for Hanoi's administrative units, with the usual field names. */
export const resolveUnit = (db: Reader, named: { code: string, list?: string | null }, on?: { date: string, what: DateName }, fields = { code: 'adminUnitCode', list: 'adminUnitList' }) =>
  resolveCoded(db, 'unit', named, on, fields)

/**
 * A filter on a unit (or a province) across reforms: rows whose recorded (list, code) overlaps it. A
 * former district finds the records of every new unit that took any of its territory, and a new unit the
 * records of every district it took territory from. Without a list the code is read in every list.
 */
export function overlapping (register: Register, listColumn: Column, codeColumn: Column, code: string | Placeholder, list?: string | Placeholder | null): SQL {
  return sql`(${listColumn}, ${codeColumn}) IN (${overlapSet(register, code, list)})`
}

/** The (list, code) pairs that overlap a unit (or a province): `overlapping`'s set, as rows `list`, `code`, for a query that walks them one by one. */
export function overlapSet (register: Register, code: string | Placeholder, list?: string | Placeholder | null): SQL {
  const o = REGISTERS[register].overlap
  return sql`SELECT ${o.otherList} AS list, ${o.otherCode} AS code FROM ${o} WHERE ${and(eq(o.code, code), list ? eq(o.list, list) : undefined)}`
}

/** A record's (list, code) columns, named with their table: the subqueries below are correlated with it. */
export interface RecordedIn { table: string, list: string, code: string }
/** Where producers record their province. */
export const PRODUCER_PROVINCE: RecordedIn = { table: 'producers', list: 'province_list', code: 'province_code' }
const column = (outer: RecordedIn, name: 'list' | 'code') => sql.raw(`"${outer.table}"."${outer[name]}"`)
const TABLES = { unit: ['admin_units', 'admin_unit_links'], province: ['provinces', 'province_links'] } as const

/** A recorded unit (or province) with its name. */
export function named (register: Register, outer: RecordedIn): SQL<NamedUnit> {
  const units = sql.raw(`"${TABLES[register][0]}"`)
  return sql<NamedUnit>`json_build_object('list', ${column(outer, 'list')}, 'code', ${column(outer, 'code')}, 'name', (SELECT nu.name FROM ${units} nu WHERE nu.list = ${column(outer, 'list')} AND nu.code = ${column(outer, 'code')}))`
}

/**
 * The units (or provinces) linked to a recorded one across a reform: its `successors` (the units that
 * took any of its territory; none while it is current) or its `predecessors` (those its territory came from).
 */
export function linkedTo (register: Register, outer: RecordedIn, direction: 'successors' | 'predecessors'): SQL<NamedUnit[]> {
  const [units, links] = TABLES[register].map((name) => sql.raw(`"${name}"`))
  const [near, far] = direction === 'successors' ? ['former_', ''] : ['', 'former_']
  return sql<NamedUnit[]>`(SELECT COALESCE(json_agg(json_build_object('list', lu.list, 'code', lu.code, 'name', lu.name) ORDER BY lu.code), '[]'::json)
    FROM ${links} ll JOIN ${units} lu ON lu.list = ${sql.raw(`ll.${far}list`)} AND lu.code = ${sql.raw(`ll.${far}code`)}
    WHERE ${sql.raw(`ll.${near}list`)} = ${column(outer, 'list')} AND ${sql.raw(`ll.${near}code`)} = ${column(outer, 'code')})`
}
