import { Type, type Static, type TSchema } from 'typebox'
import { Problem } from './problem.ts'

/** A typed `$ref` to a schema registered with addSchema (a bare Type.Ref is typed unknown). */
export const ref = <T extends TSchema & { $id?: string }>(schema: T) => {
  if (!schema.$id) throw new Error('ref() needs a schema with $id')
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id))
}

const problemDescriptions: Record<number, string> = {
  400: 'The request is not valid: the `errors` list names each field',
  401: 'No valid API key was sent',
  403: 'The API key may not do this',
  404: 'Nothing exists at this address (or the caller may not see it)',
  409: 'The request conflicts with the current state',
  412: 'The `If-Match` tag is stale: read the resource again',
  422: 'The request is well-formed but breaks a domain rule',
  429: 'Too many requests: wait for `Retry-After` seconds',
  503: 'The database cannot be reached now: retry after `Retry-After` seconds'
}

/** Error responses of a route, each documented as `application/problem+json`. */
export function problems (...statuses: number[]) {
  const out: Record<number, { description: string, content: { 'application/problem+json': { schema: ReturnType<typeof ref<typeof Problem>> } } }> = {}
  for (const status of [...statuses, 503]) {
    out[status] = { description: problemDescriptions[status] ?? 'Error', content: { 'application/problem+json': { schema: ref(Problem) } } }
  }
  return out
}

/** A civil date, `YYYY-MM-DD`. */
export const DateString = (options: Record<string, unknown> = {}) =>
  Type.String({ format: 'date', maxLength: 10, ...options })
