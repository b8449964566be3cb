import { parse } from 'csv-parse/sync'
import { badRequest, notUtf8 } from '../../lib/problem.ts'
import { strictUtf8Text } from '../../lib/text.ts'

/** A spreadsheet file: its header and its rows, each by column name (row 2 is the first under the header). */
export interface CsvFile { columns: string[], rows: Record<string, string>[] }

/** An upload as text: UTF-8 only (a spreadsheet's other encodings would garble Vietnamese), else a 415. */
export function decodeUtf8 (body: Buffer): string {
  const text = strictUtf8Text(body)
  if (text === undefined) throw notUtf8()
  return text
}

/**
 * Reads an uploaded CSV: a byte order mark is skipped; comma- or semicolon-separated (the delimiter of
 * the header row: spreadsheets in a Vietnamese locale often write ";"); RFC 4180 quoting. A malformed
 * file is a 400 naming the line.
 */
export function readCsv (upload: string): CsvFile {
  const text = upload.replace(/^\uFEFF/, '')
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ','
  let records: string[][]
  try {
    records = parse(text, { delimiter, skip_empty_lines: true, trim: true, relax_column_count: false })
  } catch (err) {
    const line = (err as { lines?: number }).lines
    throw badRequest({
      vi: `Tệp CSV không đọc được${line ? ` ở dòng ${line}` : ''}: ${(err as Error).message}`,
      en: `The CSV file cannot be read${line ? ` at line ${line}` : ''}: ${(err as Error).message}`
    })
  }
  const [header, ...data] = records
  if (!header || !data.length) throw badRequest({ vi: 'Tệp không có dòng dữ liệu nào dưới dòng tiêu đề', en: 'The file has no rows under its header row' })
  return { columns: header, rows: data.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) }
}
