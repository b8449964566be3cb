import { badRequest } from './problem.ts'

// Opaque keyset cursors: the sort key values of the last row of a page, base64url-encoded JSON.
export function encodeCursor (values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export function decodeCursor (cursor: string | undefined, arity: number, param = 'cursor'): (string | number | null)[] | undefined {
  if (cursor === undefined) return undefined
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(values) && values.length === arity && values.every((v) => v === null || ['string', 'number'].includes(typeof v))) return values
  } catch {}
  throw badRequest(`${param} is not valid: pass back the nextCursor of a previous page`, [{ in: 'query', pointer: `/${param}`, detail: 'is not a cursor this list issued' }])
}

/** Trims the extra row fetched to know whether there is a next page, and makes the next cursor. */
export function pageOf<T> (rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]): { items: T[], nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null }
}
