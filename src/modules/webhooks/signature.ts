import { createHmac, randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

// Deliveries are signed as the Standard Webhooks specification says (https://www.standardwebhooks.com):
// `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`,
// with `whsec_<base64 key>` secrets, so a partner verifies with a maintained library in their language.

/** A new endpoint secret: `whsec_` and 256 random bits in base64, as Standard Webhooks writes them. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/**
 * The key of a secret. Secrets issued before Standard Webhooks were `whsec_` and base64url: the same 32
 * bytes read either way (Node decodes both alphabets), so those endpoints keep their key.
 */
const keyOf = (secret: string) => new Uint8Array(Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))

/**
 * The `webhook-signature` header: `v1,<signature>` for each secret that signs (the current one, and the
 * previous one for a day after a rotation), separated by spaces. Signed by the `standardwebhooks` package.
 */
export function signatureHeader (secrets: string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => new Webhook(keyOf(secret), { format: 'raw' }).sign(id, new Date(timestamp * 1000), body)).join(' ')
}

/**
 * The signature of endpoints registered before Standard Webhooks, still sent beside it until their next
 * rotation: `OCOP-Webhook-Signature: v1=<hex HMAC-SHA256(secret string, "<timestamp>.<body>")>`.
 */
export function legacySignatureHeader (secrets: string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`).join(' ')
}
