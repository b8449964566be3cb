import { Type, type Static } from 'typebox'

// RFC 9457 problem details. `type` is a relative URI reference; README.md lists every type.
export const FieldError = Type.Object({
  in: Type.Enum(['body', 'query', 'path', 'header'], { description: 'Which part of the request holds the field' }),
  pointer: Type.String({ maxLength: 500, description: 'JSON pointer (RFC 6901) to the field inside that part', examples: ['/taxCode'] }),
  detail: Type.String({ maxLength: 500, examples: ['must match pattern "^[0-9]{10}(-[0-9]{3})?$"'] })
}, { $id: 'FieldError', additionalProperties: false })

export const Problem = Type.Object({
  type: Type.String({ maxLength: 200, examples: ['/problems/validation-error'] }),
  title: Type.String({ maxLength: 200, examples: ['Your request is not valid'] }),
  status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
  detail: Type.String({ maxLength: 2000, examples: ['body/name must NOT have fewer than 1 characters'] }),
  instance: Type.Optional(Type.String({ maxLength: 2000, examples: ['/v1/admin-units/999'] })),
  requestId: Type.Optional(Type.String({ maxLength: 100, examples: ['b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a'] })),
  errors: Type.Optional(Type.Array(Type.Ref('FieldError'), { maxItems: 100 }))
}, {
  $id: 'Problem',
  description: 'An error answer, as RFC 9457 problem details (`application/problem+json`).',
  additionalProperties: true,
  examples: [{ type: '/problems/not-found', title: 'Not found', status: 404, detail: 'admin unit 999 does not exist', instance: '/v1/admin-units/999', requestId: 'b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a' }]
})
export type ProblemBody = Static<typeof Problem>
export type FieldErrorBody = Static<typeof FieldError>

export class ProblemError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly errors?: FieldErrorBody[]
  readonly headers?: Record<string, string>

  constructor (status: number, slug: string, title: string, detail: string, extra: { errors?: FieldErrorBody[], headers?: Record<string, string> } = {}) {
    super(detail)
    this.name = 'ProblemError'
    this.status = status
    this.type = `/problems/${slug}`
    this.title = title
    this.errors = extra.errors
    this.headers = extra.headers
  }
}

export const badRequest = (detail: string, errors?: FieldErrorBody[]) =>
  new ProblemError(400, 'validation-error', 'Your request is not valid', detail, { errors })
export const unprocessable = (detail: string, errors?: FieldErrorBody[]) =>
  new ProblemError(422, 'unprocessable', 'The request breaks a rule', detail, { errors })
export const notFound = (entity: string, id: string | number) =>
  new ProblemError(404, 'not-found', 'Not found', `${entity} ${id} does not exist`)
export const conflict = (detail: string, errors?: FieldErrorBody[]) =>
  new ProblemError(409, 'conflict', 'Conflict with the current state', detail, { errors })
export const serviceUnavailable = (detail: string, retryAfterSeconds = 5) =>
  new ProblemError(503, 'service-unavailable', 'Service unavailable', detail, { headers: { 'retry-after': String(retryAfterSeconds) } })

/** A field error in the request body. */
export const bodyField = (field: string, detail: string): FieldErrorBody => ({ in: 'body', pointer: `/${field}`, detail })
