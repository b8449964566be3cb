import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, json, PageQuery, problems, ref } from '../../lib/schema.ts'
import { IdParams } from '../villages/schemas.ts'
import { LabelBatch, LabelBatchCreate, LabelBatchPage, LabelBatchVoid, LabelLinesQuery, LabelVerification, QrQuery, TokenParams } from './schemas.ts'
import { createBatch, getBatch, listBatches, voidBatch } from './service.ts'
import { batchLabels, labelQr, verifyLabel } from './verify.ts'

const tags = ['labels']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())
  const verifyUrl = app.config.labelVerifyUrl

  app.post('/products/:id/label-batches', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'createLabelBatch',
      summary: 'Order a batch of OCOP labels for a product',
      description: 'For the product\'s certificate in force today (422 if it has none, or if the product is not active). The batch gets the next free serials. `fundedByCity` only for a city-level certificate, and at most 2,000 city-funded labels per certificate (422 naming `quantity` with what remains). Send an `Idempotency-Key` to retry safely.',
      tags,
      params: IdParams,
      body: ref(LabelBatchCreate),
      response: { 201: json('The batch', ref(LabelBatch)), ...problems(400, 401, 403, 404, 422, 429) }
    }
  }, async (req, reply) => {
    const batch = await createBatch(req.db, req.principal, req.params.id, req.body, today())
    return reply.code(201).header('location', `/v1/label-batches/${batch.id}`).send(batch)
  })

  app.get('/products/:id/label-batches', {
    config: { permission: 'catalogue:write' },
    schema: { operationId: 'listLabelBatches', summary: 'The label batches of a product', description: 'Newest first. For staff of the product\'s administrative unit (and admins): 404 for others, as if the product had none.', tags, params: IdParams, querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: listOrCsv('A page of batches', LabelBatchPage), ...problems(400, 401, 403, 404, 429) } }
  }, async (req, reply) => sendList(req, reply, LabelBatchPage, (page) => listBatches(req.db, req.params.id, { ...req.query, ...page }, req.principal)))

  app.get('/label-batches/:id', {
    config: { permission: 'catalogue:write' },
    schema: { operationId: 'getLabelBatch', summary: 'Read a label batch', description: 'For staff of the product\'s administrative unit (and admins): 404 for others.', tags, params: IdParams, response: { 200: json('The batch', ref(LabelBatch)), ...problems(400, 401, 403, 404, 429) } }
  }, async (req) => getBatch(req.db, req.params.id, req.principal))

  app.post('/label-batches/:id/void', {
    config: { permission: 'catalogue:write' },
    schema: { operationId: 'voidLabelBatch', summary: 'Void a label batch', description: 'For a batch lost, stolen or misprinted: its labels verify as `voided` from now on. 409 if it is void already.', tags, params: IdParams, body: ref(LabelBatchVoid), response: { 200: json('The batch', ref(LabelBatch)), ...problems(400, 401, 403, 404, 409, 429) } }
  }, async (req) => voidBatch(req.db, req.principal, req.params.id, req.body.reason))

  app.get('/label-batches/:id/labels', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'getLabelBatchFile',
      summary: 'The printer\'s file of a batch: every label\'s serial, token and QR URL',
      description: 'CSV (`serial,token,url`) or NDJSON, streamed. The `url` is what the label\'s QR code encodes (`LABEL_VERIFY_URL` followed by the token). Only staff of the product\'s administrative unit (404 for others): the tokens are what makes a label genuine.',
      tags,
      params: IdParams,
      querystring: LabelLinesQuery,
      response: {
        200: { description: 'One line per label', content: { 'text/csv': { schema: Type.String({ examples: ['serial,token,url\nHN000000001,HN000000001-7QK2M9XW4P,https://ocop.example/v1/labels/HN000000001-7QK2M9XW4P\n'] }) }, 'application/x-ndjson': { schema: Type.String() } } },
        ...problems(400, 401, 403, 404, 429)
      }
    }
  }, async (req, reply) => {
    const format = req.query.format ?? 'csv'
    const stream = await batchLabels(req.db, req.principal, req.params.id, verifyUrl, format)
    return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="labels-${req.params.id}.${format}"`).header('cache-control', 'no-store').send(stream as never)
  })

  app.get('/labels/:token', {
    config: { permission: 'public', etag: true, cache: 'none' },
    schema: {
      operationId: 'verifyLabel',
      summary: 'Verify an OCOP label',
      description: 'What a consumer sees after scanning a label\'s QR code: whether the label was issued by the programme (404 if not: the serial or its check code is wrong, so it may be counterfeit) and whether the product may carry it today, with the product, producer, star and certificate. Each call counts as a verification of that label; a high count suggests a copied label. Counts are written about once a second per instance: a scan on another instance shows in the count within that time.',
      tags,
      params: TokenParams,
      response: { 200: json('The label and its certificate', ref(LabelVerification)), ...problems(400, 404, 429) }
    }
  }, async (req) => verifyLabel(req.db, app.labelCounts, req.params.token, today(), app.clock.now().toISOString()))

  app.get('/labels/:token/qr', {
    config: { permission: 'public' },
    schema: {
      operationId: 'getLabelQr',
      summary: 'The QR code of a label',
      description: 'SVG (default) or PNG of the QR code printed on a genuine label: it encodes the verification URL followed by the token. 404 for a token that is not a label.',
      tags,
      params: TokenParams,
      querystring: QrQuery,
      response: {
        200: { description: 'The QR code', content: { 'image/svg+xml': { schema: Type.String() }, 'image/png': { schema: Type.String({ contentEncoding: 'binary' }) } } },
        ...problems(400, 404, 429)
      }
    }
  }, async (req, reply) => {
    const format = req.query.format ?? 'svg'
    const image = await labelQr(req.db, req.params.token, verifyUrl, format, req.query.size ?? 512)
    return reply.type(format === 'svg' ? 'image/svg+xml' : 'image/png').header('cache-control', 'public, max-age=86400').send(image as never)
  })
}
export default routes
