import type { RouteOptions } from 'fastify'

type HookName = 'preValidation' | 'preHandler' | 'onSend' | 'onResponse'

/**
 * Adds a hook to one route from an onRoute hook: a plugin that matters to some routes (POSTs,
 * routes with an ETag, routes with input) costs nothing on the others.
 *
 * The HEAD route Fastify adds beside each GET ends its onSend hooks with its own, which measures the
 * body for Content-Length and drops it. An onSend hook added there goes before that one, so a HEAD
 * answer carries the headers its GET would (ETag, Cache-Control: RFC 9110 §9.3.2) and honours
 * If-None-Match as the GET does.
 */
export function appendRouteHook (route: RouteOptions, name: HookName, hook: unknown): void {
  const hooks = [route[name] as unknown ?? []].flat()
  const last = hooks.length - 1
  const dropsBody = name === 'onSend' && route.method === 'HEAD' && (hooks[last] as { name?: string } | undefined)?.name === 'headRouteOnSendHandler'
  route[name] = (dropsBody ? [...hooks.slice(0, last), hook, hooks[last]] : [...hooks, hook]) as never
}
