import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { badRequest, listIssues, type FieldIssue } from '../lib/problem.ts'
import { escapePointer, MAX_REFUSED, normalizeStrings, type TextIssue } from '../lib/text.ts'

const DETAIL = {
  control: {
    vi: 'không được chứa ký tự điều khiển (U+0000 đến U+001F, trừ tab và xuống dòng, hoặc U+007F)',
    en: 'must not contain control characters (U+0000 to U+001F other than tab and line breaks, or U+007F)'
  },
  'unpaired-surrogate': {
    vi: 'không phải là văn bản Unicode hợp lệ: có một nửa cặp thay thế UTF-16 (U+D800 đến U+DFFF) đứng riêng',
    en: 'is not valid Unicode text: it holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF) alone'
  },
  'not-utf8': {
    vi: 'không phải là UTF-8 được mã hoá phần trăm hợp lệ: hãy gửi văn bản dạng UTF-8 (không dùng TCVN3, VNI hay Windows-1258) và viết ký tự % là %25',
    en: 'is not valid percent-encoded UTF-8: send text as UTF-8 (not TCVN3, VNI or Windows-1258) and write a literal % as %25'
  }
}

/**
 * The query parameters (by name) whose name or value is not percent-encoded UTF-8: the bytes of a legacy
 * Vietnamese encoding (`B%E1t` for "Bát" in Windows-1258) or a stray `%`. The query parser keeps such a
 * value as it came, so `q=B%E1t` searched for the letters "B%E1t" and silently found nothing.
 */
function malformedQuery (url: string): string[] {
  const at = url.indexOf('?')
  if (at === -1 || !url.includes('%', at)) return []
  const names: string[] = []
  for (const pair of url.slice(at + 1).split('&')) {
    if (!pair.includes('%')) continue
    try {
      decodeURIComponent(pair)
    } catch {
      const name = pair.split('=')[0]!
      try { names.push(decodeURIComponent(name)) } catch { names.push(name) }
    }
  }
  return names
}

function normalizeInput (req: FastifyRequest, _reply: unknown, done: (err?: Error) => void) {
  const inQuery: TextIssue[] = malformedQuery(req.url).slice(0, MAX_REFUSED).map((name) => ({ pointer: `/${escapePointer(name)}`, kind: 'not-utf8' as const }))
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
 * holding a control character or an unpaired UTF-16 surrogate, and a query parameter that is not
 * percent-encoded UTF-8, are refused (400 naming it).
 */
export default fp(async function textPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.body || route.schema?.querystring || route.method === 'POST' || route.method === 'PATCH') appendRouteHook(route, 'preValidation', normalizeInput)
  })
}, { name: 'text' })
