import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { maxHeaderSize, STATUS_CODES } from 'node:http'
import { problemFromDatabaseError } from '../lib/db-errors.ts'
import { languageOf, markLanguage } from '../lib/i18n.ts'
import { listIssues, ProblemError, type FieldErrorBody, type ProblemSlug } from '../lib/problem.ts'
import { fieldErrors, type AjvError } from '../lib/validation-messages.ts'

const PART: Record<string, FieldErrorBody['in']> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' }

const CLIENT_ERRORS: Record<number, ProblemSlug> = {
  404: 'not-found',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type'
}

// Fastify's own client errors, by code, in Vietnamese; their English is Fastify's message.
const FASTIFY_VI: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Nội dung JSON không được để trống khi có Content-Type application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Nội dung không phải là JSON hợp lệ',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Nội dung yêu cầu vượt quá giới hạn cho phép',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Định dạng nội dung (Content-Type) không được hỗ trợ',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length không khớp với độ dài nội dung',
  FST_ERR_BAD_URL: 'Địa chỉ yêu cầu không hợp lệ',
  FST_ERR_ASYNC_CONSTRAINT: 'Yêu cầu không hợp lệ'
}

/** Sends a problem in the caller's language (`Accept-Language`), as application/problem+json. */
export function sendProblem (request: FastifyRequest, reply: FastifyReply, problem: ProblemError) {
  const lang = languageOf(request)
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value)
  markLanguage(reply, lang)
  return reply.code(problem.status).type('application/problem+json').send({ ...problem.body(lang), instance: request.url, requestId: request.id })
}

function toProblem (err: FastifyError): ProblemError | undefined {
  if (err instanceof ProblemError) return err
  // An error raised by a library on a hook of ours that lets us shape it only by its fields (a request body that does not decode).
  const carried = (err as { problem?: unknown }).problem
  if (carried instanceof ProblemError) return carried
  if (err.validation) {
    const errors = fieldErrors(err.validation as AjvError[], PART[err.validationContext ?? 'body'] ?? 'body')
    return new ProblemError(400, 'validation-error', listIssues(errors), { errors })
  }
  const fromDb = problemFromDatabaseError(err)
  if (fromDb) return fromDb
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, unsupported media type): their messages are safe.
    const vi = FASTIFY_VI[err.code] ?? `Yêu cầu không hợp lệ: ${err.message}`
    return new ProblemError(status, CLIENT_ERRORS[status] ?? 'bad-request', { vi, en: err.message })
  }
  return undefined
}

/**
 * Errors the router meets before a route is chosen (a malformed URL, a path parameter over its maximum
 * length): Fastify's `frameworkErrors` option, so they too are application/problem+json.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(err)
  if (problem) return sendProblem(request, reply, problem)
  request.log.error({ err }, 'unhandled router error')
  return sendProblem(request, reply, internalError(request))
}

const internalError = (request: FastifyRequest) => new ProblemError(500, 'internal-error', {
  vi: `Đã có lỗi ở phía máy chủ. Hãy báo kèm mã yêu cầu ${request.id}.`,
  en: `Something went wrong on our side. Quote request id ${request.id} when you report it.`
})

// OPTIONS is left out: CORS answers it on every path.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * A request no route takes: 405 with `Allow` where the path has routes for other methods (RFC 9110
 * §15.5.6: `PUT /v1/products/{id}` when a product is changed by PATCH), otherwise 404.
 */
function noSuchRoute (app: FastifyInstance, request: FastifyRequest): ProblemError {
  const path = request.url.split('?')[0]!
  const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }))
  if (!allowed.length) return new ProblemError(404, 'not-found', { vi: `Không có đường dẫn ${request.method} ${path}`, en: `No route ${request.method} ${path}` })
  const list = allowed.join(', ')
  return new ProblemError(405, 'method-not-allowed', {
    vi: `${path} không nhận ${request.method}; các phương thức được hỗ trợ: ${list}`,
    en: `${path} does not take ${request.method}; it takes ${list}`
  }, { headers: { allow: list } })
}

/**
 * Why the HTTP parser refused a request. Node counts the request line and the headers against one limit
 * (`maxHeaderSize`, 16 KB); when the request line is most of it (a query string of thousands of
 * filters), shortening the address is the fix: 414, not "headers too large".
 */
function parserRefusal (err: Error & { code?: string }): ProblemError {
  if (err.code !== 'HPE_HEADER_OVERFLOW') {
    return new ProblemError(400, 'bad-request', { vi: 'Yêu cầu HTTP không đúng định dạng (dòng yêu cầu, header hoặc độ dài nội dung)', en: 'The HTTP request is malformed (request line, headers or body length)' })
  }
  // Node sets rawPacket, the chunk being parsed, on every parser error.
  const chunk = (err as { rawPacket?: unknown }).rawPacket
  if (Buffer.isBuffer(chunk) && /^[A-Z]+ \//.test(chunk.subarray(0, 16).toString('latin1'))) {
    const lineEnd = chunk.indexOf('\r\n')
    if ((lineEnd === -1 ? chunk.length : lineEnd) > maxHeaderSize / 2) {
      const kb = Math.round(maxHeaderSize / 1024)
      return new ProblemError(414, 'uri-too-long', { vi: `Địa chỉ yêu cầu (đường dẫn và tham số) quá dài: địa chỉ và các header cộng lại tối đa ${kb} KB`, en: `The request's address (path and query) is too long: the address and the headers together may hold at most ${kb} KB` })
    }
  }
  return new ProblemError(431, 'bad-request', { vi: 'Các header của yêu cầu quá lớn', en: 'The request headers are too large' })
}

/**
 * Requests the HTTP parser refuses before Fastify sees them (a Content-Length that does not match the
 * body, a malformed request line or header): answered as a problem too, then the connection is closed.
 * Fastify's `clientErrorHandler` option; no request exists, so the answer is in the default language.
 */
export function clientErrors (err: Error & { code?: string }, socket: import('node:net').Socket) {
  if (!socket.writable) return
  const problem = parserRefusal(err)
  const body = JSON.stringify(problem.body('vi'))
  socket.end(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Language: vi\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

/** Every error answer is application/problem+json; unexpected errors are logged and answered without internals. */
export default fp(async function problemPlugin (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problem = toProblem(err)
    if (problem) {
      if (problem.status >= 500) request.log.warn({ err }, problem.message)
      return sendProblem(request, reply, problem)
    }
    request.log.error({ err }, 'unhandled error')
    return sendProblem(request, reply, internalError(request))
  })
}, { name: 'problem' })

/**
 * The answer to a request no route takes (404, or 405 with Allow). app.ts sets it once the rate limit is
 * registered, so that requests to unknown paths spend the caller's budget like any other.
 */
export const notFoundHandler = (app: FastifyInstance) => (request: FastifyRequest, reply: FastifyReply) => sendProblem(request, reply, noSuchRoute(app, request))
