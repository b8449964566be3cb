import type { Text } from './i18n.ts'
import type { FieldErrorBody, FieldIssue } from './problem.ts'

/**
 * An error as Ajv reports it (Fastify's `err.validation`); Ajv's `verbose` option (app.ts) adds the
 * schema that refused the value and the value itself.
 */
export interface AjvError { instancePath: string, message?: string, keyword: string, params: Record<string, unknown>, parentSchema?: { type?: unknown, examples?: unknown[] }, data?: unknown }

const TYPES: Record<string, Text> = {
  string: { vi: 'phải là chuỗi ký tự', en: 'must be text' },
  integer: { vi: 'phải là số nguyên', en: 'must be a whole number' },
  number: { vi: 'phải là số', en: 'must be a number' },
  boolean: { vi: 'phải là true hoặc false', en: 'must be true or false' },
  array: { vi: 'phải là một danh sách', en: 'must be a list' },
  object: { vi: 'phải là một đối tượng', en: 'must be an object' },
  null: { vi: 'phải là null', en: 'must be null' }
}

const FORMATS: Record<string, Text> = {
  uuid: { vi: 'phải là một mã định danh (UUID, ví dụ 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c)', en: 'must be an id (a UUID, like 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c)' },
  date: { vi: 'phải là một ngày dạng YYYY-MM-DD', en: 'must be a date, YYYY-MM-DD' },
  'date-time': { vi: 'phải là ngày giờ kèm múi giờ, ví dụ 2026-11-23T09:00:00+07:00', en: 'must be a date and time with its offset, like 2026-11-23T09:00:00+07:00' },
  email: { vi: 'phải là địa chỉ email', en: 'must be an email address' },
  uri: { vi: 'phải là một URL', en: 'must be a URL' },
  time: { vi: 'phải là giờ dạng HH:MM', en: 'must be a time, HH:MM' }
}

const both = (vi: string, en: string): Text => ({ vi, en })

/** A value that does not match its pattern: the field's example shows the format a regular expression would not. */
function wrongFormat (e: AjvError): Text {
  const example = e.parentSchema?.examples?.[0]
  if (typeof example !== 'string') return both('sai định dạng', 'has the wrong format')
  return both(`sai định dạng, ví dụ đúng: ${example}`, `has the wrong format; for example: ${example}`)
}

/**
 * A query parameter given more than once (`?star=3&star=4`) where the operation takes one value: the
 * query parser makes it a list, which the parameter's type then refuses.
 */
const repeated = (e: AjvError, part: FieldErrorBody['in']) => part === 'query' && e.keyword === 'type' && Array.isArray(e.data) && e.parentSchema?.type !== 'array'
const REPEATED = both('chỉ nhận một giá trị nhưng được gửi nhiều lần', 'takes one value but was given more than once')

/** One error in plain words: what the field must be, never how the schema says it. */
function plain (e: AjvError): Text {
  const limit = e.params.limit as number
  switch (e.keyword) {
    case 'required': return both('là bắt buộc', 'is required')
    case 'additionalProperties': return both('không phải là trường mà thao tác này nhận (không gửi được trường tính toán hoặc không xác định)', 'is not a field this operation accepts (computed or unknown fields cannot be sent)')
    case 'type': return TYPES[String(e.params.type).split(',')[0]!] ?? both(`phải có kiểu ${String(e.params.type)}`, `must be ${String(e.params.type)}`)
    case 'minLength': return limit === 1 ? both('không được để trống', 'must not be empty') : both(`phải có ít nhất ${limit} ký tự`, `must have at least ${limit} characters`)
    case 'maxLength': return both(`chỉ được có tối đa ${limit} ký tự`, `must have at most ${limit} characters`)
    case 'minimum': return both(`phải lớn hơn hoặc bằng ${limit}`, `must be at least ${limit}`)
    case 'maximum': return both(`phải nhỏ hơn hoặc bằng ${limit}`, `must be at most ${limit}`)
    case 'exclusiveMinimum': return both(`phải lớn hơn ${limit}`, `must be more than ${limit}`)
    case 'exclusiveMaximum': return both(`phải nhỏ hơn ${limit}`, `must be less than ${limit}`)
    case 'minItems': return both(`phải có ít nhất ${limit} phần tử`, `must have at least ${limit} item${limit === 1 ? '' : 's'}`)
    case 'maxItems': return both(`chỉ được có tối đa ${limit} phần tử`, `must have at most ${limit} items`)
    case 'uniqueItems': return both('không được lặp lại phần tử', 'must not repeat an item')
    case 'minProperties': return limit === 1 ? both('phải có ít nhất một trường (gửi các trường cần thay đổi)', 'must hold at least one field (send the fields to change)') : both(`phải có ít nhất ${limit} trường`, `must hold at least ${limit} fields`)
    case 'maxProperties': return both(`chỉ được có tối đa ${limit} trường`, `must hold at most ${limit} fields`)
    case 'multipleOf': return both(`phải là bội số của ${String(e.params.multipleOf)}`, `must be a multiple of ${String(e.params.multipleOf)}`)
    case 'pattern': return wrongFormat(e)
    case 'format': return FORMATS[String(e.params.format)] ?? both(`phải đúng định dạng ${String(e.params.format)}`, `must be a valid ${String(e.params.format)}`)
    case 'enum': return both(`phải là một trong: ${(e.params.allowedValues as unknown[]).join(', ')}`, `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`)
    case 'const': return both(`phải là ${String(e.params.allowedValue)}`, `must be ${String(e.params.allowedValue)}`)
    default: return both('không hợp lệ', e.message ?? 'is not valid')
  }
}

// Errors that only restate others: a union's summary ("must match a schema in anyOf"), and the null
// branch of a nullable field ("must be null"), which is never what the caller meant to send.
const restates = (e: AjvError) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || (e.keyword === 'type' && e.params.type === 'null')

/**
 * Ajv's errors as the API answers them: one entry per field (JSON pointer), in plain words, the most
 * telling error of that field first. `part` is where the fields are (body, query, path, header).
 */
export function fieldErrors (validation: AjvError[], part: FieldErrorBody['in']): FieldIssue[] {
  const byPointer = new Map<string, AjvError[]>()
  for (const e of validation) {
    let pointer = e.instancePath
    if (e.keyword === 'required') pointer += `/${String(e.params.missingProperty)}`
    if (e.keyword === 'additionalProperties') pointer += `/${String(e.params.additionalProperty)}`
    byPointer.set(pointer || '/', [...byPointer.get(pointer || '/') ?? [], e])
  }
  return [...byPointer].slice(0, 100).map(([pointer, errors]) => {
    const telling = errors.find((e) => !restates(e)) ?? errors[0]!
    return { in: part, pointer, detail: repeated(telling, part) ? REPEATED : plain(telling) }
  })
}
