import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { markLanguage } from '../../lib/i18n.ts'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, json, notModified, PageQuery, problems, ref } from '../../lib/schema.ts'
import { cacheVerdict, formatOf, pageLanguage } from './answer.ts'
import { labelLinkset, LabelLinkset } from './linkset.ts'
import { PAGE_VERSION, pageSecurityPolicy, renderPage } from './page/page.ts'
import { IdParams } from '../villages/schemas.ts'
import { LabelBatch, LabelBatchCreate, LabelBatchPage, LabelBatchVoid, LabelLinesQuery, LabelPageQuery, LabelVerification, QrQuery, TokenParams } from './schemas.ts'
import { createBatch, getBatch, listBatches, voidBatch } from './service.ts'
import { batchLabels, labelQr, verifyLabel } from './verify.ts'

const tags = ['labels']

/** Error answers of the label's URL, each also a page for a browser. */
const withPage = (responses: ReturnType<typeof problems>) => Object.fromEntries(Object.entries(responses).map(([status, r]) =>
  [status, { ...r, content: { ...r.content, 'text/html': { schema: Type.String({ description: status === '404' || status === '400' ? 'The page: not a label of the programme' : 'The page: the label cannot be checked now' }) } } }]))

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())
  const verifyUrl = app.config.labelVerifyUrl
  const imageOrigins = app.config.labelImageOrigins
  const pagePolicy = pageSecurityPolicy(imageOrigins)

  app.post('/products/:id/label-batches', {
    config: { permission: 'catalogue:write', etag: true },
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
    config: { permission: 'catalogue:write', etag: true },
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
    config: { permission: 'public', cache: 'none' },
    // The page's visitors get a page for an error too: not ours (404, or a token that cannot be one), or not checkable now.
    onSend: (req, reply, payload, done) => done(null, problemAsPage(req, reply, payload)),
    schema: {
      operationId: 'verifyLabel',
      summary: 'Verify an OCOP label: the page a QR code opens, or the data',
      description: 'The URL a label\'s QR code encodes (`LABEL_VERIFY_URL` followed by the token), answered by `Accept`:\n' +
        '- `text/html` (a browser): the page for the consumer who scanned it, in Vietnamese, in English by `Accept-Language` or `?lang=en`; not a label of ours is a 404 page;\n' +
        '- `application/json` (the default, also for `*/*`): whether the label was issued by the programme (404 if not: the serial or its check code is wrong, so it may be counterfeit) and whether the product may carry it today, with the product, producer, star and certificate;\n' +
        '- `application/linkset+json`: its links (RFC 9264, GS1 Digital Link link types): the page, the data, the product and its certificates.\n\n' +
        'The page and the data count a verification of the label (the linkset does not); a high count suggests a copied label (`verifications.likelyCopied`). Counts are written about once a second per instance. ' +
        'Caching: `private, max-age` of at most 60 s and never past midnight in Hanoi, with a weak ETag of the verdict, which leaves the count out: a revalidation is counted and answered 304 while the verdict holds (README, "The label page").',
      tags,
      params: TokenParams,
      querystring: LabelPageQuery,
      response: {
        200: {
          description: 'The label and its certificate',
          headers: { ETag: { type: 'string', description: 'A weak tag of the verdict: everything but the verification count' }, 'Content-Security-Policy': { type: 'string', description: 'On the page: no script, its own stylesheet, images from LABEL_IMAGE_ORIGINS' } },
          content: { 'application/json': { schema: ref(LabelVerification) }, 'text/html': { schema: Type.String({ description: 'The page' }) }, 'application/linkset+json': { schema: ref(LabelLinkset) } }
        },
        304: notModified,
        ...withPage(problems(400, 404, 429))
      }
    }
  }, async (req, reply) => {
    const now = app.clock.now()
    const format = formatOf(req)
    const day = hanoiDate(now)
    if (format === 'linkset') {
      const label = await verifyLabel(req.db, null, req.params.token, day, now.toISOString())
      const body = labelLinkset(`${verifyUrl}${req.params.token}`, `${req.protocol}://${req.host}/v1`, label)
      if (cacheVerdict(req, reply, body, now)) return reply.code(304).send()
      return reply.type('application/linkset+json').send(body)
    }
    const label = await verifyLabel(req.db, app.labelCounts, req.params.token, day, now.toISOString())
    const verdict = { ...label, verifications: { likelyCopied: label.verifications.likelyCopied } }
    if (format === 'json') return cacheVerdict(req, reply, verdict, now) ? reply.code(304).send() : label
    const lang = pageLanguage(req)
    markLanguage(reply, lang)
    if (cacheVerdict(req, reply, [PAGE_VERSION, lang, verdict], now)) return reply.code(304).send()
    return reply.type('text/html; charset=utf-8').header('content-security-policy', pagePolicy)
      .send(renderPage({ lang, label, imageOrigins, path: req.url.split('?')[0]!, today: day }))
  })

  /**
   * A problem answered to the page's visitor, as a page: 404 (and a token that cannot be one) says the
   * label is not the programme's; a 429 or 5xx that it cannot be checked now; another 4xx (a query
   * parameter the page does not know) to scan the code again. Status and headers are the problem's;
   * the problem itself was logged and counted as any other.
   */
  function problemAsPage (req: FastifyRequest, reply: FastifyReply, payload: unknown) {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json') || formatOf(req) !== 'html') return payload
    const problem = JSON.parse(payload) as { errors?: { in: string }[] }
    const notOurs = reply.statusCode === 404 || !!problem.errors?.some((e) => e.in === 'path')
    const lang = pageLanguage(req)
    markLanguage(reply, lang)
    reply.code(notOurs ? 404 : reply.statusCode).type('text/html; charset=utf-8').header('content-security-policy', pagePolicy)
    const failure = notOurs ? 'counterfeit' : reply.statusCode === 429 ? 'too-many' : reply.statusCode < 500 ? 'bad-address' : 'unavailable'
    return renderPage({ lang, label: failure, imageOrigins, path: req.url.split('?')[0]!, today: today() })
  }

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
