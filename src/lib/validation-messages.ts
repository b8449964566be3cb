import type { FieldErrorBody } from './problem.ts'

/** An error as Ajv reports it (Fastify's `err.validation`). */
export interface AjvError { instancePath: string, message?: string, keyword: string, params: Record<string, unknown> }

const TYPES: Record<string, string> = {
  string: 'must be text',
  integer: 'must be a whole number',
  number: 'must be a number',
  boolean: 'must be true or false',
  array: 'must be a list',
  object: 'must be an object',
  null: 'must be null'
}

const FORMATS: Record<string, string> = {
  uuid: 'must be an id (a UUID, like 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c)',
  date: 'must be a date, YYYY-MM-DD',
  'date-time': 'must be a date and time with its offset, like 2026-11-23T09:00:00+07:00',
  email: 'must be an email address',
  uri: 'must be a URL',
  time: 'must be a time, HH:MM'
}

/** One error in plain words: what the field must be, never how the schema says it. */
function plain (e: AjvError): string {
  const limit = e.params.limit as number
  switch (e.keyword) {
    case 'required': return 'is required'
    case 'additionalProperties': return 'is not a field this operation accepts (computed or unknown fields cannot be sent)'
    case 'type': return TYPES[String(e.params.type).split(',')[0]!] ?? `must be ${String(e.params.type)}`
    case 'minLength': return limit === 1 ? 'must not be empty' : `must have at least ${limit} characters`
    case 'maxLength': return `must have at most ${limit} characters`
    case 'minimum': return `must be at least ${limit}`
    case 'maximum': return `must be at most ${limit}`
    case 'exclusiveMinimum': return `must be more than ${limit}`
    case 'exclusiveMaximum': return `must be less than ${limit}`
    case 'minItems': return `must have at least ${limit} item${limit === 1 ? '' : 's'}`
    case 'maxItems': return `must have at most ${limit} items`
    case 'uniqueItems': return 'must not repeat an item'
    case 'pattern': return 'has the wrong format'
    case 'format': return FORMATS[String(e.params.format)] ?? `must be a valid ${String(e.params.format)}`
    case 'enum': return `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`
    case 'const': return `must be ${String(e.params.allowedValue)}`
    default: return e.message ?? 'is not valid'
  }
}

// Errors that only restate others: a union's summary ("must match a schema in anyOf"), and the null
// branch of a nullable field ("must be null"), which is never what the caller meant to send.
const restates = (e: AjvError) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || (e.keyword === 'type' && e.params.type === 'null')

/**
 * Ajv's errors as the API answers them: one entry per field (JSON pointer), in plain words, the most
 * telling error of that field first. `part` is where the fields are (body, query, path, header).
 */
export function fieldErrors (validation: AjvError[], part: FieldErrorBody['in']): FieldErrorBody[] {
  const byPointer = new Map<string, AjvError[]>()
  for (const e of validation) {
    let pointer = e.instancePath
    if (e.keyword === 'required') pointer += `/${String(e.params.missingProperty)}`
    if (e.keyword === 'additionalProperties') pointer += `/${String(e.params.additionalProperty)}`
    byPointer.set(pointer || '/', [...byPointer.get(pointer || '/') ?? [], e])
  }
  return [...byPointer].slice(0, 100).map(([pointer, errors]) => {
    const telling = errors.find((e) => !restates(e)) ?? errors[0]!
    return { in: part, pointer, detail: plain(telling) }
  })
}
