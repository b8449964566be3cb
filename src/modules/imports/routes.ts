import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { languageOf, markLanguage, type Lang } from '../../lib/i18n.ts'
import { ProblemError, TITLES } from '../../lib/problem.ts'

import { exampleComponent, json, problems, ref } from '../../lib/schema.ts'
import { fieldErrors, type AjvError } from '../../lib/validation-messages.ts'
import { decodeUtf8, readCsv } from './file.ts'
import { ImportQuery, ImportRejected, ImportReport, type ImportReportBody } from './schemas.ts'
import { runImport, type Validate } from './service.ts'

// A register of a few thousand rows is well under a megabyte; a bigger upload is refused with 413.
const IMPORT_LIMIT = 10 * 1024 * 1024

const rejectedExample = exampleComponent('import-rejected', '422 The import has errors and saved nothing', {
  type: '/problems/import-rejected',
  title: TITLES['import-rejected'].vi,
  status: 422,
  detail: '1 dòng có lỗi; chưa lưu dòng nào',
  instance: '/v1/imports?kind=producers',
  requestId: 'b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a',
  report: { kind: 'producers', dryRun: false, saved: false, rows: 2, created: 1, updated: 0, unchanged: 0, errors: [{ row: 3, column: 'adminUnitCode', detail: 'không phải là đơn vị hành chính nào' }] }
})

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => {
    try { done(null, decodeUtf8(body as Buffer)) } catch (err) { done(err as Error, undefined) }
  })

  app.post('/imports', {
    config: { permission: 'catalogue:write' },
    bodyLimit: IMPORT_LIMIT,
    schema: {
      operationId: 'importRecords',
      summary: 'Import producers, products or recognitions from a spreadsheet (CSV)',
      description: 'The body is a CSV file (`Content-Type: text/csv`, UTF-8; comma or semicolon separated) with the columns of the list\'s CSV export: computed columns (`id`, `createdAt`, …) are read past, a product names its producer by `producerId` or `producerTaxCode`, and a recognition its product by `productId` or `productCode`. ' +
        'Every row goes through the same checks as the API (an operator only writes in its units). Rows match existing records by tax code (producers), by product code or, without one, by producer and Vietnamese name (products), and by certificate number (recognitions): a matched row updates what differs, so importing the same file again changes nothing and says so (`unchanged`). ' +
        'Recognitions are imported history (`source: import`, no evaluation): the council\'s authority on the decision date and the dates are checked, the product\'s timeline is kept as a decision would, and an imported certificate never changes by import. ' +
        'All or nothing: with `dryRun=true`, or when any row has an error, nothing is saved and the report lists every problem by row and column (422 for a real run). Up to 10 MB.',
      tags: ['catalogue'],
      querystring: ImportQuery,
      body: { content: { 'text/csv': { schema: { type: 'string', description: 'The CSV file', examples: ['taxCode,name,type,address,adminUnitCode,registeredOn\r\n0101234567,HTX Gốm sứ Bát Tràng,cooperative,"Xóm 3, Bát Tràng",018,2019-05-20\r\n'] } } } },
      response: {
        200: json('The report: what was (or, on a dry run, would be) created, updated and left unchanged', ref(ImportReport)),
        ...problems(400, 401, 403, 413, 415, 429),
        422: { description: 'The file has errors: nothing was saved; the report says what to fix', content: { 'application/problem+json': { schema: ref(ImportRejected), examples: rejectedExample } } }
      }
    }
  }, async (req, reply) => {
    const validate: Validate = (schema, body) => {
      const check = req.compileValidationSchema(schema as Record<string, unknown>)
      return check(body) ? [] : fieldErrors((check.errors ?? []) as AjvError[], 'body')
    }
    // The schema documents text/csv; a body of another type (JSON) reaches here parsed, and is refused.
    if (typeof req.body !== 'string') throw new ProblemError(415, 'unsupported-media-type', { vi: 'Hãy gửi tệp CSV với Content-Type: text/csv', en: 'Send the CSV file with Content-Type: text/csv' })
    const file = readCsv(req.body)
    const started = performance.now()
    const outcome = await runImport(req.db, req.principal, req.query.kind, file, {
      dryRun: req.query.dryRun ?? false,
      now: app.clock.now(),
      validate,
      progress: (done, total) => req.log.info({ import: req.query.kind, done, total }, `import ${req.query.kind}: ${done}/${total} rows checked in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    })
    const report = (lang: Lang): ImportReportBody => ({ ...outcome, errors: outcome.errors.map((e) => ({ ...e, detail: e.detail[lang] })) })
    if (outcome.dryRun || !outcome.errors.length) {
      const lang = languageOf(req)
      markLanguage(reply, lang)
      return report(lang)
    }
    const n = new Set(outcome.errors.map((e) => e.row)).size
    throw new ProblemError(422, 'import-rejected', { vi: `${n} dòng có lỗi; chưa lưu dòng nào`, en: `${n} row(s) have errors; nothing was saved` }, { members: (lang) => ({ report: report(lang) }) })
  })
}
export default routes
