import type { FastifyReply, FastifyRequest } from 'fastify'

/** Sets `Link: <…>; rel="next"` for a page that has a next one. */
export function linkNext (request: FastifyRequest, reply: FastifyReply, nextCursor: string | null): void {
  if (!nextCursor) return
  const url = new URL(request.url, 'http://placeholder')
  url.searchParams.set('cursor', nextCursor)
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`)
}
