import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import type { Test } from 'tap'

export interface Received { headers: IncomingHttpHeaders, body: string, json: { id: string, type: string, createdAt: string, data: Record<string, unknown> } }

/** A local webhook receiver: records each request and answers with `status(n)` (n counts from 1). */
export async function startReceiver (t: Test, status: (n: number, req: Received) => number = () => 200) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      const entry = { headers: req.headers, body, json: JSON.parse(body) }
      received.push(entry)
      res.writeHead(status(received.length, entry)).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received }
}

/**
 * Verifies a delivery as a partner would, with the `standardwebhooks` package: the error it throws
 * (a bad signature, a timestamp too old), or null when the delivery verifies.
 */
export function verificationError (secret: string, headers: IncomingHttpHeaders, body: string): string | null {
  try {
    new Webhook(secret).verify(body, { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) })
    return null
  } catch (err) {
    return (err as Error).message
  }
}

/** Verifies the legacy `OCOP-Webhook-Signature: v1=<hex>` with WebCrypto, written apart from the service's node:crypto signer. */
export async function verifyLegacySignature (secret: string, headers: IncomingHttpHeaders, body: string): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  const signed = new TextEncoder().encode(`${headers['ocop-webhook-timestamp']}.${body}`)
  for (const part of String(headers['ocop-webhook-signature']).split(' ')) {
    const hex = part.replace(/^v1=/, '')
    const bytes = new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)))
    if (await crypto.subtle.verify('HMAC', key, bytes, signed)) return true
  }
  return false
}
