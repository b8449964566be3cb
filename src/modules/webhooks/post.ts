import { lookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { addressProblem } from './targets.ts'

/**
 * A DNS lookup for the connection itself that refuses non-public addresses: the address checked is the
 * address connected to, so a name that changes its answer after the check (DNS rebinding) gets nowhere.
 */
const publicOnly: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...(options as LookupOptions), all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0)
    const refused = addresses.map((a) => addressProblem(a.address)).find(Boolean)
    if (refused) return callback(Object.assign(new Error(`${hostname} ${refused.en}`), { code: 'ENOTPUBLIC' }), '', 0)
    if ((options as LookupOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}

/** POSTs a body and resolves with the status code; no redirects are followed. */
export function postJson (url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number, allowInsecure: boolean }): Promise<number> {
  const target = new URL(url)
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  // An address written in the URL is connected to without a lookup: check it here, as registration did.
  const literal = target.hostname.replace(/^\[|\]$/g, '')
  const refused = !options.allowInsecure && isIP(literal) ? addressProblem(literal) : null
  if (refused) return Promise.reject(Object.assign(new Error(`${literal} ${refused.en}`), { code: 'ENOTPUBLIC' }))
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.allowInsecure ? {} : { lookup: publicOnly })
    }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}
