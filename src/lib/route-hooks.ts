import type { RouteOptions } from 'fastify'

type HookName = 'preValidation' | 'preHandler' | 'onSend' | 'onResponse'

const LAST = Symbol('runs after the hooks appended later')

/** Marks a hook that must stay after any hook appendRouteHook adds later (the content coder: it sends what the others produced). */
export function keepLast (hook: unknown): void {
  (hook as { [LAST]?: boolean })[LAST] = true
}

/**
 * Adds a hook to one route from an onRoute hook: a plugin that matters to some routes (POSTs,
 * routes with an ETag, routes with input) costs nothing on the others.
 *
 * It goes before the hooks at the end that must stay there: those marked keepLast (the content coder,
 * so the ETag and the stored idempotent answer are of the uncoded body) and, on the HEAD route Fastify
 * adds beside each GET, Fastify's own, which measures the body for Content-Length and drops it. So a
 * HEAD answer carries the headers its GET would (ETag, Cache-Control: RFC 9110 §9.3.2) and honours
 * If-None-Match as the GET does.
 */
export function appendRouteHook (route: RouteOptions, name: HookName, hook: unknown): void {
  const hooks = [route[name] as unknown ?? []].flat() as { name?: string, [LAST]?: boolean }[]
  const dropsBody = name === 'onSend' && route.method === 'HEAD'
  const staysLast = (h: { name?: string, [LAST]?: boolean }) => h[LAST] === true || (dropsBody && h.name === 'headRouteOnSendHandler')
  let at = hooks.length
  while (at > 0 && staysLast(hooks[at - 1]!)) at--
  route[name] = [...hooks.slice(0, at), hook, ...hooks.slice(at)] as never
}
