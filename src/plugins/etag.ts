import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError } from '../lib/problem.ts'
import { appendRouteHook } from '../lib/route-hooks.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answers carry a strong ETag of their body; GET honours If-None-Match. */
    etag?: boolean
  }
}

/** A strong entity tag: the hash of the exact bytes sent, so it changes whenever anything shown changes. */
export const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`

const tags = (header: string) => header.split(',').map((t) => t.trim()).filter(Boolean)
const weak = (tag: string) => tag.replace(/^W\//, '')

/**
 * For updates and deletes: a check to run on the current version, inside the transaction that changes it.
 * It serialises the current version as this route's 200 answer (the same schema as the GET), so the
 * tag compared is the one the client was given. A stale tag is a 412 and nothing is changed.
 */
export function ifMatch (req: FastifyRequest, reply: FastifyReply, representation?: object): (current: unknown) => void {
  const header = req.headers['if-match']
  return (current) => {
    if (header === undefined) return
    // A route that answers with something else (DELETE: 204) names the schema its GET answers with.
    const serialize = representation ? reply.compileSerializationSchema(representation as Record<string, unknown>) : reply.getSerializationFunction('200', 'application/json')
    const tag = etagOf(serialize ? serialize(current as Record<string, unknown>) : JSON.stringify(current))
    if (!tags(header).some((t) => t === '*' || t === tag)) {
      throw new ProblemError(412, 'precondition-failed', {
        vi: 'Bản ghi đã thay đổi từ khi cấp thẻ trong If-Match: hãy đọc lại rồi gửi lại với ETag mới',
        en: 'The resource changed since the tag in If-Match was issued: read it again, then retry with the new ETag'
      })
    }
  }
}

async function etagOnSend (req: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (reply.statusCode !== 200 || typeof payload !== 'string') return payload
  const tag = etagOf(payload)
  reply.header('etag', tag)
  const noneMatch = req.headers['if-none-match']
  if ((req.method === 'GET' || req.method === 'HEAD') && noneMatch && tags(noneMatch).some((t) => t === '*' || weak(t) === tag)) {
    reply.code(304)
    return null
  }
  return payload
}

export default fp(async function etagPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => { if (route.config?.etag) appendRouteHook(route, 'onSend', etagOnSend) })
}, { name: 'etag' })
