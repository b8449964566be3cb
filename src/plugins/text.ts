import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { normalizeStrings } from '../lib/text.ts'

function normalizeInput (req: FastifyRequest, _reply: unknown, done: () => void) {
  if (req.body !== undefined) req.body = normalizeStrings(req.body)
  if (req.query && typeof req.query === 'object') normalizeStrings(req.query)
  done()
}

/** All text input, body and query string, is NFC-normalised and trimmed before validation. */
export default fp(async function textPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.body || route.schema?.querystring || route.method === 'POST' || route.method === 'PATCH') appendRouteHook(route, 'preValidation', normalizeInput)
  })
}, { name: 'text' })
