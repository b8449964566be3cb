import { fromYearOne } from './formats.ts'
import { badRequest, queryField } from './problem.ts'

// Opaque keyset cursors: the sort key values of the last row of a page, base64url-encoded JSON.
export function encodeCursor (values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

/** What each value of a cursor holds, checked before it reaches SQL. */
export type CursorKind = 'text' | 'uuid' | 'timestamp' | 'date' | 'number' | 'text or number' | 'position'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// Dates and instants as the service writes them into cursors (ISO 8601, or PostgreSQL's UTC text),
// from year 1: PostgreSQL has no year 0, and a day the calendar lacks (30 February) is not a date.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)$/
const isDay = (v: string) => DATE.test(v) && fromYearOne(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
const isInstant = (v: string) => { const m = INSTANT.exec(v); return m !== null && isDay(m[1]!) }
// A sort key may be null (a nullable column); a row id never is.
const VALID: Record<CursorKind, (v: unknown) => boolean> = {
  text: (v) => v === null || typeof v === 'string',
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  timestamp: (v) => v === null || (typeof v === 'string' && isInstant(v)),
  date: (v) => v === null || (typeof v === 'string' && isDay(v)),
  number: (v) => v === null || (typeof v === 'number' && Number.isFinite(v)),
  'text or number': (v) => VALID.text(v) || VALID.number(v),
  // A place in a feed: a whole number from 0 (a sequence value).
  position: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

/** Whether a cursor value is of a kind (for a key whose kind depends on another value of the cursor). */
export const cursorValueIs = (kind: CursorKind | undefined, value: unknown) => kind !== undefined && VALID[kind](value)

export const invalidCursor = (param = 'cursor') =>
  badRequest({ vi: `${param} không hợp lệ: hãy gửi lại nextCursor của trang trước`, en: `${param} is not valid: pass back the nextCursor of a previous page` },
    [queryField(param, { vi: 'không phải là con trỏ do danh sách này cấp', en: 'is not a cursor this list issued' })])

/**
 * The values of a cursor, each of the kind the list sorts by, or a 400 naming the parameter: a cursor
 * made by hand (or one of another list) is refused here, not by a cast error deep in a query.
 */
export function decodeCursor (cursor: string | undefined, kinds: CursorKind[], param = 'cursor'): (string | number | null)[] | undefined {
  if (cursor === undefined) return undefined
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(values) && values.length === kinds.length && values.every((v, i) => VALID[kinds[i]!](v))) return values as (string | number | null)[]
  } catch {}
  throw invalidCursor(param)
}

/** Trims the extra row fetched to know whether there is a next page, and makes the next cursor. */
export function pageOf<T> (rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]): { items: T[], nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
