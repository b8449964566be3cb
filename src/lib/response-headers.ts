import type { RouteOptions } from 'fastify'

const text = (description: string) => ({ type: 'string', description })
const integer = (description: string) => ({ type: 'integer', description })

/** Every response header the service sends, described once; `headersFor` says which answer carries which. */
const HEADERS = {
  'X-Request-Id': text('The request id (yours, when you sent a valid one): quote it when you report a problem'),
  'RateLimit-Limit': integer('Requests allowed in the window for this key (or address)'),
  'RateLimit-Remaining': integer('Requests left in the window'),
  'RateLimit-Reset': integer('Seconds until the window resets'),
  'Retry-After': integer('Seconds to wait before retrying'),
  'WWW-Authenticate': text('`Bearer realm="ocop"` when no key was sent; `Bearer realm="ocop", error="invalid_token"` when the key sent is malformed, unknown, revoked or expired (RFC 6750 §3)'),
  'Content-Language': text('`vi` or `en`: the language of `title`, `detail` and the field messages (from `Accept-Language`)'),
  'Cache-Control': text('How long caches may keep the answer (README, "HTTP caching")'),
  Vary: text('The request headers the answer depends on'),
  ETag: text('A strong tag of the exact body: send it back in `If-None-Match` (304 when unchanged) or `If-Match` (updates)'),
  Link: text('`<…>; rel="next"`: the next page, when there is one'),
  Location: text('The created resource; for a booth, a venue\'s assortment and an external recognition, the list it now appears in'),
  'Idempotency-Replayed': text('`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`'),
  'Content-Disposition': text('`attachment; filename="…"` on CSV downloads'),
  'Content-Encoding': text('`br`, `gzip` or `deflate`: how a body of 1 KB or more is coded, when `Accept-Encoding` allows it (README, "Compression"); absent when sent as it is')
} as const
type Header = keyof typeof HEADERS

/** Every response header the contract describes, lower-cased as Node gives them. */
export const DESCRIBED_HEADERS = Object.keys(HEADERS).map((name) => name.toLowerCase())

/**
 * The headers a route's answer with this status carries, from the same route options the plugins act on
 * (rate limit, caching class, ETag), so the contract says what the service sends.
 */
export function headersFor (route: RouteOptions, status: string, response: Record<string, unknown>, cacheable: boolean): Partial<typeof HEADERS> {
  const methods = [route.method].flat()
  const get = methods.includes('GET') || methods.includes('HEAD')
  const code = Number(status)
  const names: Header[] = ['X-Request-Id']
  if ((route.config as { rateLimit?: unknown } | undefined)?.rateLimit !== false) names.push('RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset')
  if (code === 429 || code === 503 || code === 409) names.push('Retry-After')
  if (code === 401) names.push('WWW-Authenticate')
  if (code >= 400) names.push('Content-Language', 'Vary')
  if (get) names.push('Cache-Control')
  if (get && (code === 200 || code === 304)) {
    names.push('Vary')
    if (cacheable || route.config?.etag) names.push('ETag')
  }
  // An update's answer, and a create's, is the record as its GET gives it, with the same tag.
  if (!get && route.config?.etag && (code === 200 || code === 201)) names.push('ETag')
  const content = (response.content ?? {}) as Record<string, { schema?: { $ref?: string } }>
  if (code === 200 && /Page$/.test(content['application/json']?.schema?.$ref ?? '')) names.push('Link')
  if (code === 200 && content['text/csv']) names.push('Content-Disposition')
  if (get && code === 200) names.push('Content-Encoding')
  if (code === 201) names.push('Location')
  if (methods.includes('POST') && code >= 200 && code < 300) names.push('Idempotency-Replayed')
  return Object.fromEntries([...new Set(names)].map((name) => [name, HEADERS[name]]))
}
