/** The part of Ajv this file needs (Fastify's private instance, given to `ajv.onCreate`). */
interface FormatRegistry {
  formats: Record<string, unknown>
  addFormat: (name: string, format: { type: 'string', validate: (value: string) => boolean }) => unknown
}

const validatorOf = (format: unknown): ((value: string) => boolean) => {
  if (typeof format === 'function') return format as (value: string) => boolean
  if (format instanceof RegExp) return (value) => format.test(value)
  return (format as { validate: (value: string) => boolean }).validate
}

/** A date or an instant (ISO 8601) PostgreSQL can hold: from year 1 (it has no year 0). */
export const fromYearOne = (value: string) => !value.startsWith('0000')

/**
 * `date` and `date-time` as RFC 3339 writes them (ajv-formats' checks), and from year 1: RFC 3339 has a
 * year 0000, PostgreSQL does not, so `on=0000-01-01` reached SQL and came back a 400 naming no field.
 */
export function datesFromYearOne (ajv: FormatRegistry) {
  for (const name of ['date', 'date-time'] as const) {
    const rfc3339 = validatorOf(ajv.formats[name])
    ajv.addFormat(name, { type: 'string', validate: (value) => rfc3339(value) && fromYearOne(value) })
  }
}
