import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { normalizeStrings } from '../lib/text.ts'

/** All text input, body and query string, is NFC-normalised and trimmed before validation. */
export default fp(async function textPlugin (app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    if (req.body !== undefined) req.body = normalizeStrings(req.body)
    if (req.query && typeof req.query === 'object') normalizeStrings(req.query)
  })
}, { name: 'text' })
