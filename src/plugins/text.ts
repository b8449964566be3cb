import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { badRequest, listIssues, type FieldIssue } from '../lib/problem.ts'
import { normalizeStrings, type TextIssue } from '../lib/text.ts'

const DETAIL = {
  control: {
    vi: 'không được chứa ký tự điều khiển (U+0000 đến U+001F, trừ tab và xuống dòng, hoặc U+007F)',
    en: 'must not contain control characters (U+0000 to U+001F other than tab and line breaks, or U+007F)'
  },
  'unpaired-surrogate': {
    vi: 'không phải là văn bản Unicode hợp lệ: có một nửa cặp thay thế UTF-16 (U+D800 đến U+DFFF) đứng riêng',
    en: 'is not valid Unicode text: it holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF) alone'
  }
}

function normalizeInput (req: FastifyRequest, _reply: unknown, done: (err?: Error) => void) {
  const inQuery: TextIssue[] = []
  const inBody: TextIssue[] = []
  if (req.query && typeof req.query === 'object') normalizeStrings(req.query, inQuery)
  if (req.body !== undefined) req.body = normalizeStrings(req.body, inBody)
  if (!inQuery.length && !inBody.length) return done()
  const refused = [
    ...inQuery.map(({ pointer, kind }): FieldIssue => ({ in: 'query', pointer, detail: DETAIL[kind] })),
    ...inBody.map(({ pointer, kind }): FieldIssue => ({ in: 'body', pointer, detail: DETAIL[kind] }))
  ]
  done(badRequest(listIssues(refused), refused))
}

/**
 * All text input, body and query string, is NFC-normalised and trimmed before validation; a string
 * holding a control character or an unpaired UTF-16 surrogate is refused (400 naming it).
 */
export default fp(async function textPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.body || route.schema?.querystring || route.method === 'POST' || route.method === 'PATCH') appendRouteHook(route, 'preValidation', normalizeInput)
  })
}, { name: 'text' })
