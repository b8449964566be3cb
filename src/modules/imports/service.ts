import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client.ts'
import { hanoiDate } from '../../lib/clock.ts'
import { fromCsvCell } from '../../lib/csv.ts'
import { problemFromDatabaseError } from '../../lib/db-errors.ts'
import type { Text } from '../../lib/i18n.ts'
import type { Principal } from '../../lib/principal.ts'
import { badRequest, ProblemError, type FieldIssue } from '../../lib/problem.ts'
import { recordAudit } from '../audit/service.ts'
import type { CsvFile } from './file.ts'
import { producerImport, productImport, type ImportKind, type Refusal, type RowContext } from './kinds.ts'
import { recognitionImport } from './recognitions.ts'

/** A problem of one row, before it is written in the caller's language. */
export interface RowError { row: number, column: string | null, detail: Text }

export interface ImportOutcome {
  kind: ImportKindName
  dryRun: boolean
  saved: boolean
  rows: number
  created: number
  updated: number
  unchanged: number
  errors: RowError[]
}

/** Checks a body against a schema of the API, as the route would: the field errors, or none. */
export type Validate = (schema: object, body: Record<string, unknown>) => FieldIssue[]

export interface ImportOptions { dryRun: boolean, now: Date, validate: Validate, progress?: (done: number, total: number) => void }

export const IMPORT_KINDS = { producers: producerImport, products: productImport, recognitions: recognitionImport } as const
export type ImportKindName = keyof typeof IMPORT_KINDS

// Columns every export has and the service sets: read past, never written.
const COMPUTED = ['id', 'createdAt', 'updatedAt']

/** Ends the transaction of a dry run, or of a run with errors, without saving anything. */
class Rollback extends Error {}

/** The file's columns against the kind's: a missing required column or an unknown one is a 400 naming it. */
function checkColumns (kind: ImportKind<Record<string, unknown>>, file: CsvFile): void {
  const known = new Set([...Object.keys(kind.create.properties), ...Object.keys(kind.patch.properties), ...kind.extra])
  const computed = (column: string) => [...COMPUTED, ...kind.ignored].includes(column.split('.')[0]!)
  const issues: FieldIssue[] = [
    ...kind.required.filter((c) => !file.columns.includes(c)).map((c): FieldIssue => ({ in: 'body', pointer: `/${c}`, detail: { vi: 'thiếu cột bắt buộc này', en: 'is a required column that the file lacks' } })),
    ...file.columns.filter((c) => !known.has(c) && !computed(c)).map((c): FieldIssue => ({ in: 'body', pointer: `/${c}`, detail: { vi: 'không phải là cột của loại bản ghi này', en: 'is not a column of this kind of record' } }))
  ]
  if (issues.length) {
    throw badRequest({ vi: `Các cột của tệp không khớp: ${issues.map((i) => i.pointer.slice(1)).join(', ')}`, en: `The file's columns do not fit: ${issues.map((i) => i.pointer.slice(1)).join(', ')}` }, issues)
  }
}

/** A row as an API body: each column of the create or patch schema converted by its field's type. */
function bodyOf (kind: ImportKind<Record<string, unknown>>, row: Record<string, string>): Record<string, unknown> {
  const fields = { ...kind.patch.properties, ...kind.create.properties }
  const body: Record<string, unknown> = {}
  for (const [column, cell] of Object.entries(row)) {
    if (fields[column]) body[column] = fromCsvCell(fields[column], cell)
    else if (kind.extra.includes(column) && cell !== '') body[column] = cell
  }
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
}

const pick = (body: Record<string, unknown>, fields: object) => Object.fromEntries(Object.entries(body).filter(([k]) => k in fields))
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** Field errors of the API as a row's refusals: the column is the field the pointer names. */
const byColumn = (issues: { pointer: string, detail: Text }[]): Refusal[] => issues.map((i) => ({ column: i.pointer.split('/')[1] || null, detail: i.detail }))

/** An error of the API (a refused write) as the row's errors: one per field, by column. */
function refusalsOf (err: unknown): Refusal[] {
  const problem = err instanceof ProblemError ? err : problemFromDatabaseError(err)
  if (!problem || problem.status >= 500) throw err
  if (!problem.errors?.length) return [{ column: null, detail: problem.text }]
  return byColumn(problem.errors)
}

/**
 * Imports a spreadsheet of one kind of record, all or nothing: every row is checked by the API's own
 * schemas and service functions, each in a savepoint of one transaction, so a refused row is reported
 * and the others still checked. A dry run, or a run with any error, is rolled back; otherwise the whole
 * file is committed with one audit entry for the import besides each record's own.
 */
export async function runImport (database: Db, actor: Principal, kindName: ImportKindName, file: CsvFile, options: ImportOptions): Promise<ImportOutcome> {
  const kind = IMPORT_KINDS[kindName] as unknown as ImportKind<Record<string, unknown>>
  checkColumns(kind, file)
  const outcome: ImportOutcome = { kind: kindName, dryRun: options.dryRun, saved: false, rows: file.rows.length, created: 0, updated: 0, unchanged: 0, errors: [] }
  const seen = new Map<string, number>()
  try {
    await database.transaction(async (tx) => {
      const ctx: RowContext = { tx: tx as unknown as RowContext['tx'], actor, now: options.now, today: hanoiDate(options.now) }
      for (const [index, cells] of file.rows.entries()) {
        const row = index + 2
        const refusals = await importRow(kind, cells, ctx, options.validate, seen, row).catch(refusalsOf)
        if (refusals === 'created') outcome.created++
        else if (refusals === 'updated') outcome.updated++
        else if (refusals === 'unchanged') outcome.unchanged++
        else outcome.errors.push(...refusals.map((r) => ({ row, ...r })))
        if ((index + 1) % 500 === 0) options.progress?.(index + 1, file.rows.length)
      }
      options.progress?.(file.rows.length, file.rows.length)
      if (options.dryRun || outcome.errors.length) throw new Rollback()
      // The import itself is audited when it changed something: a file imported again leaves no trace.
      if (outcome.created + outcome.updated > 0) {
        await recordAudit(tx, actor, {
          entity: 'import',
          entityId: randomUUID(),
          action: `import ${kindName}`,
          changes: { rows: { old: null, new: outcome.rows }, created: { old: null, new: outcome.created }, updated: { old: null, new: outcome.updated }, unchanged: { old: null, new: outcome.unchanged } }
        })
      }
    })

    outcome.saved = true
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
  }
  return outcome
}

type RowResult = 'created' | 'updated' | 'unchanged' | Refusal[]

async function importRow (kind: ImportKind<Record<string, unknown>>, cells: Record<string, string>, ctx: RowContext, validate: Validate, seen: Map<string, number>, row: number): Promise<RowResult> {
  const body = bodyOf(kind, cells)
  const prepared = await kind.prepare(body, cells, ctx)
  if (prepared) return [prepared]
  const key = kind.key(body)
  if (key !== undefined) {
    const first = seen.get(key)
    if (first) return [{ column: kind.keyColumn, detail: { vi: `trùng với dòng ${first}`, en: `duplicates row ${first}` } }]
    seen.set(key, row)
  }
  // Each row in a savepoint: a refused row leaves nothing behind, and the next row is still checked.
  return ctx.tx.transaction(async (sp) => {
    const rowCtx = { ...ctx, tx: sp as unknown as RowContext['tx'] }
    const current = await kind.find(body, rowCtx)
    if (!current) {
      const issues = validate(kind.create, pick(body, kind.create.properties))
      if (issues.length) return byColumn(issues)
      await kind.insert(body, rowCtx)
      return 'created'
    }
    const changedFixed = kind.fixed.filter((f) => f in body && !same(body[f], current[f]))
    if (changedFixed.length) {
      return changedFixed.map((f) => ({ column: f, detail: { vi: `khác giá trị đã đăng ký (${String(current[f])}) và không đổi được khi nhập`, en: `differs from the registered value (${String(current[f])}) and cannot change by import` } }))
    }
    const patch = Object.fromEntries(Object.entries(pick(body, kind.patch.properties)).filter(([k, v]) => !same(v, current[k])))
    if (!Object.keys(patch).length) return 'unchanged'
    const issues = validate(kind.patch, patch)
    if (issues.length) return byColumn(issues)
    await kind.update(current, patch, rowCtx)
    return 'updated'
  })
}
