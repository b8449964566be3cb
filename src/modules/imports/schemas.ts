import { Type, type Static } from 'typebox'
import { DateString, ref, StringEnum } from '../../lib/schema.ts'

export const ImportQuery = Type.Object({
  kind: StringEnum(['producers', 'products', 'recognitions'], { description: 'What the rows are: the columns of that list\'s CSV export', examples: ['producers'] }),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Check every row and report, and save nothing', examples: [true] }))
}, { additionalProperties: false })

const RowError = Type.Object({
  row: Type.Integer({ minimum: 2, description: 'The row in the spreadsheet (row 1 is the header)' }),
  column: Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'The column, or null for the row as a whole' }),
  detail: Type.String({ maxLength: 2000, description: 'What is wrong, in the language of `Accept-Language`' })
}, { additionalProperties: false })

const reportExample = {
  kind: 'producers',
  dryRun: true,
  saved: false,
  rows: 5,
  created: 1,
  updated: 0,
  unchanged: 0,
  errors: [{ row: 3, column: 'adminUnitCode', detail: 'không phải là đơn vị hành chính nào' }]
}

export const ImportReport = Type.Object({
  kind: StringEnum(['producers', 'products', 'recognitions']),
  dryRun: Type.Boolean(),
  saved: Type.Boolean({ description: 'Whether the file was saved: never on a dry run or with any error' }),
  rows: Type.Integer({ minimum: 0 }),
  created: Type.Integer({ minimum: 0, description: 'Rows that create a record (or would, on a dry run)' }),
  updated: Type.Integer({ minimum: 0, description: 'Rows that change a record they match' }),
  unchanged: Type.Integer({ minimum: 0, description: 'Rows that match a record as it is: importing a file again counts every row here' }),
  errors: Type.Array(RowError, { maxItems: 10000, description: 'Every problem, by row and column' })
}, { $id: 'ImportReport', additionalProperties: false, examples: [reportExample] })
export type ImportReportBody = Static<typeof ImportReport>

export const ImportRejected = Type.Object({
  type: Type.String({ examples: ['/problems/import-rejected'] }),
  title: Type.String(),
  status: Type.Integer({ examples: [422] }),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  report: ref(ImportReport)
}, { $id: 'ImportRejected', additionalProperties: false, description: 'A real run with errors: nothing was saved; the report says what to fix' })

export const importSchemas = [ImportReport, ImportRejected]

/** A recognition as the register records it: imported history, with its decision's reference and dates. */
export const RecognitionImport = Type.Object({
  productId: Type.String({ format: 'uuid' }),
  decisionNumber: Type.String({ minLength: 1, maxLength: 100 }),
  decisionDate: DateString(),
  issuingLevel: StringEnum(['commune', 'district', 'city', 'central']),
  star: Type.Integer({ minimum: 3, maximum: 5 }),
  certificateNumber: Type.String({ minLength: 1, maxLength: 100 }),
  issuedOn: DateString(),
  expiresOn: Type.Optional(DateString({ description: 'The last valid day; 36 months by the Civil Code when not given' }))
}, { additionalProperties: false })
