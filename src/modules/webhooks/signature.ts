import { createHmac, randomBytes } from 'node:crypto'

/** A new endpoint secret: 256 random bits. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`

/**
 * The signature header: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` for each secret that
 * signs (the current one, and the previous one for a day after a rotation), separated by spaces.
 */
export function signatureHeader (secrets: string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`).join(' ')
}
