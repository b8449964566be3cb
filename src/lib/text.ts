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
