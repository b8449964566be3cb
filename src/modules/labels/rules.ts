import { createHmac, timingSafeEqual } from 'node:crypto'

/** Hanoi pays for printing up to 2,000 labels for each city-level certificate (README, "The OCOP domain in brief"). */
export const CITY_FUNDED_LABELS = 2000
/** The most labels one batch may hold: a print run, not the whole programme. */
export const MAX_BATCH = 100_000

// Crockford's base 32: no I, L, O or U, so a code read aloud or retyped from a label is unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_LENGTH = 10

/** A label's printed serial: `HN` and nine digits. */
export const formatSerial = (serial: number) => `HN${String(serial).padStart(9, '0')}`

/**
 * The check code printed with a serial: 50 bits of HMAC-SHA256 under the batch's secret. Serials are
 * sequential and guessable; the code is not, so a label cannot be invented, only copied (and copies
 * show up as one serial verified in many places: see the verification count).
 */
export function labelCode (secret: string, serial: number): string {
  const mac = createHmac('sha256', secret).update(formatSerial(serial)).digest()
  let code = ''
  // Character i is the five bits from bit 5i of the digest (most significant first), read from the two
  // bytes that hold them.
  for (let bit = 0; bit < 5 * CODE_LENGTH; bit += 5) {
    const byte = bit >> 3
    code += ALPHABET[(((mac[byte]! << 8) | mac[byte + 1]!) >> (11 - (bit & 7))) & 31]
  }
  return code
}

/** The token on a label (and in its QR code): serial and check code. */
export const labelToken = (secret: string, serial: number) => `${formatSerial(serial)}-${labelCode(secret, serial)}`

export const TOKEN_PATTERN = '^HN[0-9]{9}-[0-9A-HJKMNP-TV-Z]{10}$'

/** Splits a token (already matched against TOKEN_PATTERN) into its serial and code. */
export const parseToken = (token: string) => ({ serial: Number(token.slice(2, 11)), code: token.slice(12) })

/** Whether a code is the one of this serial, in constant time. */
export const codeMatches = (secret: string, serial: number, code: string) =>
  timingSafeEqual(Buffer.from(labelCode(secret, serial)), Buffer.from(code))

export const LABEL_STATUSES = ['valid', 'expired', 'revoked', 'not-yet-valid', 'product-archived', 'voided'] as const
export type LabelStatus = typeof LABEL_STATUSES[number]

/**
 * A label goes on one item: its buyer, and perhaps a shop assistant, check it a few times. A serial
 * verified more often than this is likely printed on more than one item, and the answer says so.
 */
export const COPY_WARNING_AFTER = 20
export const likelyCopied = (count: number) => count > COPY_WARNING_AFTER
