/** Unicode NFC and trimmed: the same name typed on different keyboards is the same string. */
export const normalizeText = (s: string) => s.normalize('NFC').trim()

/** C0 control characters other than tab and line breaks: PostgreSQL cannot store U+0000, and none belongs in a name or an address. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const MAX_REFUSED = 10

/**
 * Normalises every string inside a parsed JSON value, in place where it can, in one walk. With `refused`,
 * also collects the JSON pointers (RFC 6901) of the strings that hold a control character (at most 10).
 */
export function normalizeStrings (value: unknown, refused?: string[], pointer = ''): unknown {
  if (typeof value === 'string') {
    if (refused && refused.length < MAX_REFUSED && CONTROL.test(value)) refused.push(pointer || '/')
    return normalizeText(value)
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalizeStrings(value[i], refused, `${pointer}/${i}`)
    return value
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = normalizeStrings(record[key], refused, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)
  }
  return value
}
