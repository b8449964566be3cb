import type { FastifyReply, FastifyRequest } from 'fastify'

/** Sets `Link: <…>; rel="next"` for a page that has a next one. */
export function linkNext (request: FastifyRequest, reply: FastifyReply, nextCursor: string | null): void {
  if (!nextCursor) return
  const url = new URL(request.url, 'http://placeholder')
  url.searchParams.set('cursor', nextCursor)
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`)
}

/** Answers a list: the page, with its `Link: rel="next"` header. */
export function sendPage<T extends { nextCursor: string | null }> (request: FastifyRequest, reply: FastifyReply, page: T): T {
  linkNext(request, reply, page.nextCursor)
  return page
}
