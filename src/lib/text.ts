/** Unicode NFC and trimmed: the same name typed on different keyboards is the same string. */
export const normalizeText = (s: string) => s.normalize('NFC').trim()

/** Normalises every string inside a parsed JSON value, in place where it can. */
export function normalizeStrings (value: unknown): unknown {
  if (typeof value === 'string') return normalizeText(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalizeStrings(value[i])
    return value
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = normalizeStrings(record[key])
  }
  return value
}

/** C0 control characters other than tab and line breaks: PostgreSQL cannot store U+0000, and none belongs in a name or an address. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** JSON pointers (RFC 6901) of the strings inside a value that hold a control character; at most `max`. */
export function controlCharacterPointers (value: unknown, pointer = '', found: string[] = [], max = 10): string[] {
  if (found.length >= max) return found
  if (typeof value === 'string') {
    if (CONTROL.test(value)) found.push(pointer || '/')
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => controlCharacterPointers(item, `${pointer}/${i}`, found, max))
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) controlCharacterPointers(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found, max)
  }
  return found
}
