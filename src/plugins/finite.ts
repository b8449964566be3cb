import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { badRequest, listIssues, type FieldIssue } from '../lib/problem.ts'
import { escapePointer } from '../lib/text.ts'

const DETAIL = { vi: 'phải là một số hữu hạn', en: 'must be a finite number' }

/** The pointer of the first number in a value that is not finite, or undefined. */
function nonFinite (value: unknown, pointer: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : pointer || '/'
  if (typeof value !== 'object' || value === null || depth > 64) return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = nonFinite(item, `${pointer}/${escapePointer(key)}`, depth + 1)
    if (found) return found
  }
  return undefined
}

/**
 * Ajv turns a string into a number where the schema wants one (query strings, and bodies), and takes
 * `Infinity` and `1e309` as numbers there, then skips `minimum` and `maximum` for them: `limit=Infinity`
 * and `{"priceVnd": "Infinity"}` passed validation and reached SQL. JSON itself has no infinite number,
 * so after validation any non-finite number was such a string: refused, naming where it is.
 */
function refuseNonFinite (req: FastifyRequest, _reply: unknown, done: (err?: Error) => void) {
  const parts: [FieldIssue['in'], unknown][] = [['query', req.query], ['body', req.body]]
  for (const [part, value] of parts) {
    const pointer = nonFinite(value, '')
    if (!pointer) continue
    const refused: FieldIssue[] = [{ in: part, pointer, detail: DETAIL }]
    return done(badRequest(listIssues(refused), refused))
  }
  done()
}

/**
 * Every route that validates a query string or a body refuses a non-finite number in them (no path
 * parameter is a number: a point read by id gets no hook).
 */
export default fp(async function finitePlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.body || route.schema?.querystring) appendRouteHook(route, 'preHandler', refuseNonFinite)
  })
}, { name: 'finite' })
