import type { RouteOptions } from 'fastify'

type HookName = 'preValidation' | 'preHandler' | 'onSend' | 'onResponse'

/**
 * Adds a hook to one route from an onRoute hook: a plugin that matters to some routes (POSTs,
 * routes with an ETag, routes with input) costs nothing on the others.
 */
export function appendRouteHook (route: RouteOptions, name: HookName, hook: unknown): void {
  const existing = route[name] as unknown
  route[name] = (existing ? [...[existing].flat(), hook] : [hook]) as never
}
