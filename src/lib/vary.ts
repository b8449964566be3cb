import type { FastifyReply } from 'fastify'

/** Adds a request header to the answer's `Vary` (RFC 9110 §12.5.5), keeping the ones already there (CORS's `Origin`). */
export function addVary (reply: FastifyReply, header: string): void {
  const existing = reply.getHeader('vary')
  if (existing === undefined) { reply.header('vary', header); return }
  const current = String(existing)
  const fields = current.split(',').map((f) => f.trim()).filter(Boolean)
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === header.toLowerCase())) return
  reply.header('vary', [...fields, header].join(', '))
}
