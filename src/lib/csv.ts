import { Readable } from 'node:stream'
import { stringify, type Options } from 'csv-stringify'
import { stringify as stringifyNow } from 'csv-stringify/sync'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { addVary } from './vary.ts'

// Spreadsheet answers (`Accept: text/csv`): RFC 4180 written by csv-stringify, UTF-8 with a byte order
// mark so spreadsheet programs read Vietnamese right, cells that a spreadsheet would run as a formula
// (=, +, -, @ first) escaped with a quote. The columns come from the JSON schema of the same answer.

export const CSV = 'text/csv'

type Schema = Record<string, unknown> & { $ref?: string, $id?: string, anyOf?: Schema[], properties?: Record<string, Schema>, type?: unknown, items?: Schema }

/** Shared schemas by `$id`, filled by `ref()` (src/lib/schema.ts) as routes refer to them. */
export const sharedSchemas = new Map<string, Schema>()

/** One CSV column: its header and where its value is in a JSON item. */
export interface CsvColumn { name: string, path: string[] }

function resolve (schema: Schema): Schema {
  if (schema.$ref) return resolve(sharedSchemas.get(schema.$ref) ?? {})
  const branches = schema.anyOf?.filter((s) => s.type !== 'null')
  return branches?.length === 1 ? resolve(branches[0]!) : schema
}

/**
 * The columns of an item schema: each property, and each property of a nested object as
 * `parent.child` (a product's `rating.star`). Lists and other values stay one column.
 */
export function csvColumns (schema: object, prefix: string[] = []): CsvColumn[] {
  const object = resolve(schema as Schema)
  return Object.entries(object.properties ?? {}).flatMap(([key, property]) => {
    const resolved = resolve(property)
    return resolved.properties ? csvColumns(resolved, [...prefix, key]) : [{ name: [...prefix, key].join('.'), path: [...prefix, key] }]
  })
}

/** The item schema of a page or list schema (`{ items: [...] }`). */
export const itemSchemaOf = (listSchema: Schema): Schema => resolve(resolve(listSchema).properties?.items ?? {}).items ?? {}

/**
 * A value as a cell: empty for null, `true`/`false` for booleans (as imports read them back: a false is
 * not an empty cell), lists of values joined by "; ", anything else structured as JSON.
 */
export function csvCell (value: unknown): string | number {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (Array.isArray(value)) return value.every((v) => v === null || typeof v !== 'object') ? value.join('; ') : JSON.stringify(value)
  if (typeof value === 'object') return JSON.stringify(value)
  return value as string | number
}

const cellsOf = (columns: CsvColumn[], item: unknown) =>
  columns.map((c) => csvCell(c.path.reduce<unknown>((v, k) => (v as Record<string, unknown> | null | undefined)?.[k], item)))

const OPTIONS: Options = { header: true, escape_formulas: true, record_delimiter: 'windows' }

/** Whether the caller asks for CSV rather than JSON (`Accept`, with q-values; JSON wins a tie). */
export function wantsCsv (request: FastifyRequest, others: string[] = []): boolean {
  return request.accepts().type(['application/json', ...others, CSV]) === CSV
}

/**
 * Streams rows as a CSV download: the header row, then each item as it comes (an async source is read
 * as the client takes the bytes, so memory does not grow with the row count).
 */
export function sendCsv (reply: FastifyReply, name: string, columns: CsvColumn[], items: Iterable<unknown> | AsyncIterable<unknown>) {
  const rows = Readable.from((async function * () { for await (const item of items) yield cellsOf(columns, item) })(), { objectMode: true })
  const csv = stringify({ ...OPTIONS, bom: true, columns: columns.map((c) => c.name) })
  rows.on('error', (err) => csv.destroy(err))
  addVary(reply, 'Accept')
  reply.header('content-disposition', `attachment; filename="${name}.csv"`)
  return reply.type(`${CSV}; charset=utf-8`).send(rows.pipe(csv))
}

/** The `text/csv` answer in the contract: the columns in order, and a header row with the example's row. */
export function csvContent (columns: CsvColumn[], example?: unknown) {
  const rows = example === undefined ? [] : [cellsOf(columns, example)]
  return {
    [CSV]: {
      schema: { type: 'string', description: `CSV (RFC 4180), UTF-8 with a byte order mark, one row per item. Columns: ${columns.map((c) => `\`${c.name}\``).join(', ')}.` },
      example: stringifyNow(rows, { ...OPTIONS, columns: columns.map((c) => c.name) })
    }
  }
}

// A whole number as a spreadsheet writes it with its digits grouped: 850.000 in a Vietnamese locale,
// 850,000 or 850 000 in others (one separator, groups of three).
const GROUPED_INTEGER = /^-?\d{1,3}([.,\u00a0 ])\d{3}(?:\1\d{3})*$/
// What csv-stringify's escape_formulas prefixes with a quote: = + - @, tab, CR, and their full-width forms.
const ESCAPED_FORMULA = /^'[-=+@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/**
 * A cell read back as the JSON value of a field of `schema` (the inverse of `csvCell`): an empty cell
 * is null where the field allows null and absent otherwise; numbers and booleans are converted when
 * they read as such (anything else is left for the validator to name); lists split on ";". A whole
 * number may have its digits grouped in threes: a price of 850.000 from a spreadsheet in a Vietnamese
 * locale is 850000 (until 2026-12-02 it was read as 850.000, that is 850 VND, and saved).
 */
export function fromCsvCell (schema: object, cell: string): unknown {
  // The export puts a quote before text a spreadsheet would run as a formula (`escape_formulas`): a
  // description "- Men lam" leaves as "'- Men lam" and reads back as it was.
  if (ESCAPED_FORMULA.test(cell)) cell = cell.slice(1)
  const field = schema as Schema
  const nullable = field.anyOf?.some((s) => s.type === 'null') ?? false
  const type = resolve(field).type
  if (cell === '') return nullable ? null : undefined
  if (type === 'array') return cell.split(';').map((s) => s.trim()).filter(Boolean)
  if (type === 'integer' && GROUPED_INTEGER.test(cell)) return Number(cell.replace(/[.,\u00a0 ]/g, ''))
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell)
  if (type === 'boolean' && /^(true|false)$/i.test(cell)) return cell.toLowerCase() === 'true'
  return cell
}
