const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Bytes as UTF-8 text (a byte order mark skipped), or undefined when they are not UTF-8: never U+FFFD in place of a bad byte. */
export function strictUtf8Text (bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** Unicode NFC and trimmed: the same name typed on different keyboards is the same string. */
export const normalizeText = (s: string) => s.normalize('NFC').trim()

/** C0 control characters other than tab and line breaks: PostgreSQL cannot store U+0000, and none belongs in a name or an address. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
// A UTF-16 surrogate without its pair: JSON can carry one (`"\ud800"`), UTF-8 cannot, so it would be stored as U+FFFD.
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
/** At most this many strings are named in one refusal. */
export const MAX_REFUSED = 10

/** A string refused as input: where it is (a JSON pointer) and why. */
export interface TextIssue { pointer: string, kind: 'control' | 'unpaired-surrogate' | 'not-utf8' }
const MAX_WALK_DEPTH = 1000

/** A key as a JSON pointer's reference token (RFC 6901): `~` and `/` escaped. */
export const escapePointer = (key: string) => key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key

/**
 * Normalises every string inside a parsed JSON value, in place where it can, in one walk. With `refused`,
 * also collects the strings (by JSON pointer, RFC 6901) that hold a control character or a UTF-16
 * surrogate without its pair (at most 10).
 */
export function normalizeStrings (value: unknown, refused?: TextIssue[], pointer = '', depth = 0): unknown {
  // Bodies deeper than JSON_MAX_DEPTH are refused when parsed; this bound keeps any other caller safe.
  if (depth > MAX_WALK_DEPTH) throw new RangeError(`input nested deeper than ${MAX_WALK_DEPTH}`)
  if (typeof value === 'string') {
    if (refused && refused.length < MAX_REFUSED) {
      if (CONTROL.test(value)) refused.push({ pointer: pointer || '/', kind: 'control' })
      else if (UNPAIRED.test(value)) refused.push({ pointer: pointer || '/', kind: 'unpaired-surrogate' })
    }
    return normalizeText(value)
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = normalizeStrings(value[i], refused, `${pointer}/${i}`, depth + 1)
    return value
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = normalizeStrings(record[key], refused, `${pointer}/${escapePointer(key)}`, depth + 1)
  }
  return value
}

/**
 * How deeply a JSON text nests objects and arrays, read without parsing it, stopping as soon as it is
 * deeper than `limit` (so a hostile body costs one pass over its bytes and no stack).
 */
export function jsonDepthExceeds (text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) {
      inString = true
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return true
    } else if (c === 125 || c === 93) {
      depth--
    }
  }
  return false
}

const SENSITIVE_PARAM = /key|token|secret|password|signature|auth/i

/** A request URL fit for a log line: the values of query parameters that may hold a credential are replaced. */
export function redactUrl (url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const params = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let decoded = name
    try { decoded = decodeURIComponent(name) } catch {}
    return eq >= 0 && (SENSITIVE_PARAM.test(decoded) || /ocop_[0-9a-f]{8}_|whsec_/.test(pair)) ? `${name}=[redacted]` : pair
  })
  return `${url.slice(0, q)}?${params.join('&')}`
}
