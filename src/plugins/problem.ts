import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { problemFromDatabaseError } from '../lib/db-errors.ts'
import { ProblemError, type FieldErrorBody, type ProblemBody } from '../lib/problem.ts'
import { fieldErrors, type AjvError } from '../lib/validation-messages.ts'

const PART: Record<string, FieldErrorBody['in']> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' }

const CLIENT_ERRORS: Record<number, [string, string]> = {
  404: ['not-found', 'Not found'],
  413: ['payload-too-large', 'Payload too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  429: ['rate-limited', 'Too many requests']
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, problem: ProblemBody, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) reply.header(name, value)
  return reply.code(problem.status).type('application/problem+json').send({ ...problem, instance: request.url, requestId: request.id })
}

function toProblem (err: FastifyError & Partial<ProblemError>): { body: ProblemBody, headers?: Record<string, string> } | undefined {
  if (err instanceof ProblemError) {
    return { body: { type: err.type, title: err.title, status: err.status, detail: err.message, errors: err.errors }, headers: err.headers }
  }
  if (err.validation) {
    const errors = fieldErrors(err.validation as AjvError[], PART[err.validationContext ?? 'body'] ?? 'body')
    const detail = errors.map((e) => `${e.in}${e.pointer === '/' ? '' : e.pointer} ${e.detail}`).join('; ')
    return { body: { type: '/problems/validation-error', title: 'Your request is not valid', status: 400, detail, errors } }
  }
  const fromDb = problemFromDatabaseError(err)
  if (fromDb) return toProblem(fromDb as FastifyError & ProblemError)
  const status = err.statusCode ?? 500
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, unsupported media type): their messages are safe.
    const [slug, title] = CLIENT_ERRORS[status] ?? ['bad-request', 'Bad request']
    return { body: { type: `/problems/${slug}`, title, status, detail: err.message } }
  }
  return undefined
}

/**
 * Errors the router meets before a route is chosen (a malformed URL, a path parameter over its maximum
 * length): Fastify's `frameworkErrors` option, so they too are application/problem+json.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(err)
  if (problem) return sendProblem(request, reply, problem.body, problem.headers)
  request.log.error({ err }, 'unhandled router error')
  return sendProblem(request, reply, internalError(request))
}

const internalError = (request: FastifyRequest): ProblemBody => ({
  type: '/problems/internal-error',
  title: 'Internal server error',
  status: 500,
  detail: `Something went wrong on our side. Quote request id ${request.id} when you report it.`
})

/** Every error answer is application/problem+json; unexpected errors are logged and answered without internals. */
export default fp(async function problemPlugin (app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problem = toProblem(err)
    if (problem) {
      if (problem.body.status >= 500) request.log.warn({ err }, problem.body.detail)
      return sendProblem(request, reply, problem.body, problem.headers)
    }
    request.log.error({ err }, 'unhandled error')
    return sendProblem(request, reply, internalError(request))
  })
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, {
    type: '/problems/not-found',
    title: 'Not found',
    status: 404,
    detail: `No route ${request.method} ${request.url.split('?')[0]}`
  }))
}, { name: 'problem' })
