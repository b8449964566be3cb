import { Column, is, SQL, Subquery } from 'drizzle-orm'

interface Decoder { mapFromDriverValue: (value: unknown) => unknown }
interface SelectedField { path: string[], field: unknown }
type Mapper = (rows: unknown[][]) => Record<string, unknown>[]

/** The decoder drizzle's mapResultRow picks for a selected field: the column, or the SQL's. */
function decoderOf (field: unknown): Decoder {
  if (is(field, Column)) return field
  // An SQL's decoder (set by .mapWith) is not in drizzle's declared types.
  const sqlDecoder = (sql: SQL) => (sql as unknown as { decoder: Decoder }).decoder
  if (is(field, SQL)) return sqlDecoder(field)
  if (is(field, Subquery)) return sqlDecoder((field._ as unknown as { sql: SQL }).sql)
  return sqlDecoder((field as SQL.Aliased).sql)
}

/**
 * Drizzle's row mapping (mapResultRow) with its decisions taken once per statement: which decoder each
 * column has. drizzle-orm 0.45 takes them again for every column of every row, walking each field's class
 * chain up to four times (`is`): 40 µs of a 20-row list page. Only flat selections (one name per column)
 * are compiled; a selection of whole joined tables (nested paths, null for an unmatched join) keeps
 * drizzle's own mapping. The values are drizzle's: each decoder's mapFromDriverValue, null kept as null.
 */
export function compileRowMapper (fields: SelectedField[]): Mapper | undefined {
  if (!fields.length || fields.some((f) => f.path.length !== 1)) return undefined
  const names = fields.map((f) => f.path[0]!)
  const decoders = fields.map((f) => decoderOf(f.field))
  const width = names.length
  return (rows) => {
    const out = new Array<Record<string, unknown>>(rows.length)
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!
      const mapped: Record<string, unknown> = {}
      for (let i = 0; i < width; i++) {
        const raw = row[i]
        mapped[names[i]!] = raw === null ? null : decoders[i]!.mapFromDriverValue(raw)
      }
      out[r] = mapped
    }
    return out
  }
}

type PrepareQuery = (query: unknown, fields: SelectedField[] | undefined, ...rest: unknown[]) => unknown

/**
 * A driver's session (NodePgSession, PgliteSession) then hands a compiled mapper to each query that
 * selects fields and brings no mapper of its own. Called by db/client.ts for each driver it loads; once per driver, however often it is called.
 */
const compiled = new WeakSet<object>()
export function compileRowMappers (sessionClass: { prototype: object }): void {
  if (compiled.has(sessionClass)) return
  compiled.add(sessionClass)
  const session = sessionClass.prototype as { prepareQuery: PrepareQuery }
  const prepareQuery = session.prepareQuery
  session.prepareQuery = function (this: unknown, query, fields, name, arrayMode, customResultMapper, ...rest) {
    const mapper = customResultMapper ?? (fields ? compileRowMapper(fields) : undefined)
    return prepareQuery.call(this, query, fields, name, arrayMode, mapper, ...rest)
  }
}
