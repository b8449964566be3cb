import { createHash, randomBytes } from 'node:crypto'

// `ocop_` + 8 hex characters (the visible prefix) + `_` + 43 base64url characters (256 random bits).
export const KEY_PATTERN = /^ocop_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/

export const hashKey = (token: string) => createHash('sha256').update(token).digest('hex')

export function generateKey (): { token: string, prefix: string, hash: string } {
  const prefix = `ocop_${randomBytes(4).toString('hex')}`
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`
  return { token, prefix, hash: hashKey(token) }
}

export type KeyState = 'active' | 'revoked' | 'expired'

export function keyState (key: { revokedAt: string | null, expiresAt: string | null }, now: Date): KeyState {
  if (key.revokedAt && new Date(key.revokedAt) <= now) return 'revoked'
  if (key.expiresAt && new Date(key.expiresAt) <= now) return 'expired'
  return 'active'
}
