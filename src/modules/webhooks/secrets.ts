import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const PREFIX = 'enc:v1:'

/**
 * Signing secrets must be readable to sign, so they are encrypted rather than hashed: AES-256-GCM with
 * WEBHOOK_SECRET_KEY when it is set (`enc:v1:<iv>:<tag>:<ciphertext>`, base64url). Without a key they are
 * stored as they are (development and tests); a stored clear secret keeps working after a key is set.
 */
export function sealSecret (secret: string, key: Buffer | undefined): string {
  if (!key) return secret
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`
}

export function openSecret (stored: string, key: Buffer | undefined): string {
  if (!stored.startsWith(PREFIX)) return stored
  if (!key) throw new Error('the webhook secret is encrypted and WEBHOOK_SECRET_KEY is not set')
  const [iv, tag, sealed] = stored.slice(PREFIX.length).split(':').map((part) => Buffer.from(part, 'base64url'))
  const decipher = createDecipheriv('aes-256-gcm', key, iv!)
  decipher.setAuthTag(tag!)
  return Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8')
}
