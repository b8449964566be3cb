import { lookup } from 'node:dns/promises'
import ipaddr from 'ipaddr.js'

/**
 * Why a URL may not receive webhooks, or null when it may: https only, and no loopback, private,
 * link-local or otherwise non-public address (checked on every address the name resolves to).
 * `allowInsecure` (WEBHOOK_ALLOW_INSECURE_TARGETS, for tests and local development) lifts both rules.
 */
export async function targetProblem (raw: string, allowInsecure: boolean): Promise<string | null> {
  let url: URL
  try { url = new URL(raw) } catch { return 'is not a URL' }
  if (url.username || url.password) return 'must not carry credentials'
  if (allowInsecure) return ['https:', 'http:'].includes(url.protocol) ? null : 'must be an http(s) URL'
  if (url.protocol !== 'https:') return 'must be an https URL'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
  } catch {
    return `host ${host} does not resolve`
  }
  for (const address of addresses) {
    const problem = addressProblem(address)
    if (problem) return problem
  }
  return null
}

/** Why an IP address may not receive webhooks (loopback, private, link-local…), or null for a public one. */
export function addressProblem (address: string): string | null {
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  const range = parsed.range()
  return range === 'unicast' ? null : `resolves to ${address} (${range}); only public addresses receive webhooks`
}
