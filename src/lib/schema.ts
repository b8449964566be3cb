import { Type, type Static, type TSchema } from 'typebox'
import { csvContent, sharedSchemas, type CsvColumn } from './csv.ts'
import { listColumns } from './pagination.ts'
import { databaseUnreachable } from './db-errors.ts'
import { needsKey, roleMayNot } from './permissions.ts'
import { badRequest, bodyField, conflict, forbidden, listIssues, noSuch, notFound, notUtf8, preconditionFailed, Problem, ProblemError, type ProblemBody } from './problem.ts'

/** A typed `$ref` to a schema registered with addSchema (a bare Type.Ref is typed unknown). */
export const ref = <T extends TSchema & { $id?: string }>(schema: T) => {
  if (!schema.$id) throw new Error('ref() needs a schema with $id')
  sharedSchemas.set(schema.$id, schema as unknown as Record<string, unknown>)
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id))
}

const problemDescriptions: Record<number, string> = {
  400: 'The request is not valid: the `errors` list names each field',
  401: 'No valid API key was sent',
  403: 'The API key may not do this',
  404: 'Nothing exists at this address (or the caller may not see it)',
  409: 'The request conflicts with the current state',
  412: 'The `If-Match` tag is stale: read the resource again',
  413: 'The body is larger than this operation takes',
  415: 'The body is not of a type (or encoding) this operation takes',
  422: 'The request is well-formed but breaks a domain rule',
  429: 'Too many requests: wait for `Retry-After` seconds',
  503: 'The database cannot be reached now: retry after `Retry-After` seconds'
}

const requestId = 'b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a'
const productId = '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c'
const example = (error: ProblemError, instance: string): ProblemBody => ({ ...error.body('vi'), instance, requestId })
const limitError = { in: 'query' as const, pointer: '/limit', detail: { vi: 'phải nhỏ hơn hoặc bằng 100', en: 'must be at most 100' } }

/**
 * What each error status looks like, as the service writes it (in Vietnamese, the default language):
 * Swagger UI shows it under the status. Built from the same errors the service throws.
 */
const problemExamples: Record<number, ProblemBody> = {
  400: example(badRequest(listIssues([limitError]), [limitError]), '/v1/products?limit=500'),
  401: example(new ProblemError(401, 'unauthorized', needsKey('catalogue:write')), '/v1/producers'),
  403: example(forbidden(roleMayNot('partner', 'catalogue:write')), '/v1/producers'),
  404: example(notFound('product', productId), `/v1/products/${productId}`),
  409: example(conflict({ vi: 'Đã có bản ghi trùng taxCode', en: 'A record with the same taxCode already exists' },
    [bodyField('taxCode', { vi: 'đã được bản ghi khác sử dụng', en: 'already used by another record' })]), '/v1/producers'),
  412: example(preconditionFailed(), `/v1/products/${productId}`),
  422: example(noSuch('admin unit', '999', 'adminUnitCode'), '/v1/producers'),
  413: example(new ProblemError(413, 'payload-too-large', { vi: 'Nội dung yêu cầu vượt quá giới hạn cho phép', en: 'Request body is too large' }), '/v1/imports?kind=products'),
  415: example(notUtf8(), '/v1/imports?kind=products'),
  429: example(new ProblemError(429, 'rate-limited', { vi: 'Đã vượt giới hạn 60 yêu cầu mỗi 1 minute; hãy thử lại sau 42 giây', en: 'Rate limit of 60 requests per 1 minute exceeded; retry after 42 s' }), '/v1/products'),
  503: example(databaseUnreachable(), '/v1/products')
}

/** The contract's `components.examples`: one problem per status, which every route's answers refer to, and any a route adds. */
export const exampleComponents: Record<string, { summary: string, value: unknown }> =
  Object.fromEntries(Object.entries(problemExamples).map(([status, value]) => [`problem-${status}`, { summary: `${status} ${value.title}`, value }]))

/** Adds an example to `components.examples` and answers the reference to it. */
export function exampleComponent (name: string, summary: string, value: unknown) {
  exampleComponents[name] = { summary, value }
  return { [name]: { $ref: `#/components/examples/${name}` } }
}

/** Error responses of a route, each documented as `application/problem+json` with an example of its own status. */
export function problems (...statuses: number[]) {
  const out: Record<number, { description: string, content: { 'application/problem+json': { schema: ReturnType<typeof ref<typeof Problem>>, examples?: Record<string, { $ref: string }> } } }> = {}
  for (const status of [...statuses, 503]) {
    // The examples sit beside the schema (an OpenAPI media type's `examples`); Fastify reads the schema alone.
    const examples = problemExamples[status] ? { [problemExamples[status].type.split('/').pop()!]: { $ref: `#/components/examples/problem-${status}` } } : undefined
    out[status] = { description: problemDescriptions[status] ?? 'Error', content: { 'application/problem+json': { schema: ref(Problem), examples } } }
  }
  return out
}

/** A civil date, `YYYY-MM-DD`. */
export const DateString = (options: Record<string, unknown> = {}) =>
  Type.String({ format: 'date', maxLength: 10, ...options })

/** A web address (a producer's site, a partner's, a venue's): http or https. */
export const WebUrl = (options: Record<string, unknown> = {}) =>
  Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500, examples: ['https://gombattrang.vn'], ...options })

/** `limit` and `cursor` query parameters of every list. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1 to 100)', examples: [20] })),
  // No example: Swagger UI would prefill it, and only a cursor this service wrote is valid.
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'The `nextCursor` of the previous page; omit it for the first page' }))
}

/** A page of a list: the items and the cursor of the next page (null on the last page). */
export const Page = <T extends TSchema>(item: T, id: string, example: unknown) => Type.Object({
  items: Type.Array(item, { maxItems: 100 }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; null on the last page. The same URL is in the `Link: rel="next"` header.' })
}, { $id: id, additionalProperties: false, examples: [{ items: [example], nextCursor: null }] })

/** What an update's description says of `If-Match` (its header is `IfMatchHeaders`). */
export const IF_MATCH_NOTE = 'Send `If-Match` with the ETag you read to avoid overwriting someone else\'s change (412).'

/** The optional `If-Match` header of an update. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 200, description: 'The ETag you read; a stale tag is refused with 412', examples: ['"q5p0TtJ8m6c8nQ1X0Yb3kq9WZ2s"'] }))
})

/** The optional `Idempotency-Key` header of a POST. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Send the same key to retry safely: the first answer is returned again', examples: ['8e0f2c1a-6b7d-4e59-9c3a-2f1d0b7a6c55'] }))
})

/** A documented `application/json` response. */
export const json = <T>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } })

/** A documented answer that is JSON, or CSV on `Accept: text/csv` with the given columns (and an example row). */
export const jsonOrCsv = <T extends TSchema & { $id?: string }>(description: string, schema: T, columns: CsvColumn[], exampleRow?: unknown, extra: Record<string, unknown> = {}) => ({
  description,
  content: { 'application/json': { schema: ref(schema) }, ...extra, ...csvContent(columns, exampleRow) }
})

/**
 * A documented list answer (a page or `{ items }`): JSON, or CSV on `Accept: text/csv` with the columns
 * of its items (answered by `sendList` and `sendItems`, src/lib/pagination.ts).
 */
export const listOrCsv = <T extends TSchema & { $id?: string, examples?: unknown }>(description: string, list: T, extra: Record<string, unknown> = {}) =>
  jsonOrCsv(`${description}. On \`Accept: text/csv\`, every matching item as a CSV download.`, list, listColumns(list),
    (list.examples as { items?: unknown[] }[] | undefined)?.[0]?.items?.[0], extra)

/** The documented answer to a conditional GET. */
export const notModified = { description: 'Not modified since the `If-None-Match` tag' }

/** A string enumeration with its `type`, so generators and linters read it as strings (TypeBox writes `enum` alone). */
export const StringEnum = <const Values extends string[]>(values: readonly [...Values], options: Record<string, unknown> = {}) =>
  Type.Enum(values, { type: 'string', ...options })
