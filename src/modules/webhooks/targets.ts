import { lookup } from 'node:dns/promises'
import ipaddr from 'ipaddr.js'
import type { Text } from '../../lib/i18n.ts'

const notPublic = (address: string, range: string, carried?: string): Text => ({
  vi: `trỏ tới ${address}${carried ? `, mang địa chỉ ${carried}` : ''} (${range}); chỉ địa chỉ công cộng mới nhận webhook`,
  en: `resolves to ${address}${carried ? `, which carries ${carried}` : ''} (${range}); only public addresses receive webhooks`
})

/**
 * Why a URL may not receive webhooks, or null when it may: https only, and no loopback, private,
 * link-local or otherwise non-public address (checked on every address the name resolves to).
 * `allowInsecure` (WEBHOOK_ALLOW_INSECURE_TARGETS, for tests and local development) lifts both rules.
 */
export async function targetProblem (raw: string, allowInsecure: boolean): Promise<Text | null> {
  let url: URL
  try { url = new URL(raw) } catch { return { vi: 'không phải là một URL', en: 'is not a URL' } }
  if (url.username || url.password) return { vi: 'không được chứa thông tin đăng nhập', en: 'must not carry credentials' }
  if (allowInsecure) return ['https:', 'http:'].includes(url.protocol) ? null : { vi: 'phải là URL http(s)', en: 'must be an http(s) URL' }
  if (url.protocol !== 'https:') return { vi: 'phải là URL https', en: 'must be an https URL' }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
  } catch {
    return { vi: `không phân giải được tên miền ${host}`, en: `host ${host} does not resolve` }
  }
  for (const address of addresses) {
    const problem = addressProblem(address)
    if (problem) return problem
  }
  return null
}

// IPv6 ranges that carry an IPv4 address inside: the IPv4 address decides.
const CARRIERS = new Set(['ipv4Mapped', 'rfc6052', 'rfc6145', '6to4', 'teredo'])

/**
 * The IPv4 addresses an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d,
 * deprecated, which ipaddr.js calls plain unicast), NAT64 (64:ff9b::/96 and 64:ff9b:1::/48), 6to4
 * (2002:AABB:CCDD::/48) and Teredo (2001::/32: the server, and the client stored inverted).
 */
export function embeddedIPv4 (v6: ipaddr.IPv6): ipaddr.IPv4[] {
  const b = v6.toByteArray()
  const at = (offset: number, invert = false) => new ipaddr.IPv4(b.slice(offset, offset + 4).map((x) => invert ? x ^ 0xff : x))
  const [p0, p1] = v6.parts as [number, number]
  if (b.slice(0, 10).every((x) => x === 0) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0))) return [at(12)]
  if (p0 === 0x64 && p1 === 0xff9b) return [at(12)]
  if (p0 === 0x2002) return [at(2)]
  if (p0 === 0x2001 && p1 === 0) return [at(4), at(12, true)]
  return []
}

/**
 * Why an IP address may not receive webhooks (loopback, private, link-local, CGNAT, multicast, …), or
 * null for a public one. An IPv6 address carrying an IPv4 address is judged by that address too.
 * Decimal, octal and hexadecimal spellings never reach here: the URL parser writes them as dotted quads.
 */
export function addressProblem (address: string): Text | null {
  const parsed = ipaddr.parse(address)
  const range = parsed.range()
  if (parsed.kind() === 'ipv4') return range === 'unicast' ? null : notPublic(address, range)
  const v6 = parsed as ipaddr.IPv6
  // 64:ff9b:1::/48 is NAT64 for local use (RFC 8215): never a public target, whatever it carries.
  if (v6.parts[0] === 0x64 && v6.parts[1] === 0xff9b && v6.parts[2] === 1) return notPublic(address, 'local-use NAT64')
  const inner = embeddedIPv4(v6)
  if (range !== 'unicast' && !(CARRIERS.has(range) && inner.length)) return notPublic(address, range)
  for (const v4 of inner) {
    if (v4.range() !== 'unicast') return notPublic(address, v4.range(), v4.toString())
  }
  return null
}
