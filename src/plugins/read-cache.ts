import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import client from 'prom-client'
import { appendRouteHook } from '../lib/route-hooks.ts'
import { ReadCache } from '../db/read-cache.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Public catalogue reads kept in memory until the catalogue changes (src/db/read-cache.ts). */
    readCache: ReadCache
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * The read cache of this instance: listening for the catalogue's changes from `onReady`, emptied by
 * every write request this instance handles before its answer goes out (its transaction has committed
 * by then, so the client's next read sees its write), and counted in /metrics. Before the routes.
 */
export default fp(async function readCachePlugin (app: FastifyInstance) {
  const cache = new ReadCache(Math.round(app.config.readCacheMb * 1024 * 1024))
  app.decorate('readCache', cache)
  app.addHook('onReady', () => cache.start(app.dbHandle))
  app.addHook('onClose', () => cache.stop())
  const invalidate = (_req: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    cache.invalidate()
    done(null, payload)
  }
  app.addHook('onRoute', (route) => {
    if ([route.method].flat().some((method) => !SAFE.has(method))) appendRouteHook(route, 'onSend', invalidate)
  })

  // eslint-disable-next-line no-new
  new client.Counter({
    name: 'ocop_read_cache_requests_total',
    help: 'Catalogue reads offered to the in-memory read cache, by outcome (hit: answered from memory; miss: read from the database)',
    labelNames: ['outcome'],
    registers: [app.metricsRegistry],
    collect () {
      this.reset()
      this.inc({ outcome: 'hit' }, cache.counts.hits)
      this.inc({ outcome: 'miss' }, cache.counts.misses)
    }
  })
  // eslint-disable-next-line no-new
  new client.Gauge({
    name: 'ocop_read_cache_entries',
    help: 'Answers held by the read cache now (0 while it is off or not listening for changes)',
    registers: [app.metricsRegistry],
    collect () { this.set(cache.size) }
  })
}, { name: 'read-cache', dependencies: ['metrics'] })
