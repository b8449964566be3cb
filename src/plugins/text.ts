import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { badRequest, listIssues, type FieldIssue } from '../lib/problem.ts'
import { normalizeStrings } from '../lib/text.ts'

const CONTROL_DETAIL = {
  vi: 'không được chứa ký tự điều khiển (U+0000 đến U+001F, trừ tab và xuống dòng, hoặc U+007F)',
  en: 'must not contain control characters (U+0000 to U+001F other than tab and line breaks, or U+007F)'
}

function normalizeInput (req: FastifyRequest, _reply: unknown, done: (err?: Error) => void) {
  const inQuery: string[] = []
  const inBody: string[] = []
  if (req.query && typeof req.query === 'object') normalizeStrings(req.query, inQuery)
  if (req.body !== undefined) req.body = normalizeStrings(req.body, inBody)
  if (!inQuery.length && !inBody.length) return done()
  const refused = [
    ...inQuery.map((pointer): FieldIssue => ({ in: 'query', pointer, detail: CONTROL_DETAIL })),
    ...inBody.map((pointer): FieldIssue => ({ in: 'body', pointer, detail: CONTROL_DETAIL }))
  ]
  done(badRequest(listIssues(refused), refused))
}

/**
 * All text input, body and query string, is NFC-normalised and trimmed before validation; a string
 * holding a control character is refused (400 naming it).
 */
export default fp(async function textPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.body || route.schema?.querystring || route.method === 'POST' || route.method === 'PATCH') appendRouteHook(route, 'preValidation', normalizeInput)
  })
}, { name: 'text' })
