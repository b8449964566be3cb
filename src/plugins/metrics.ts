import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import client from 'prom-client'
import { appendRouteHook } from '../lib/route-hooks.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's Prometheus registry: HTTP, process and OCOP metrics, served by GET /metrics. */
    metricsRegistry: client.Registry
  }
  interface FastifyContextConfig {
    /** The route's answers are not counted in http_request_duration_seconds (the scrape itself). */
    disableMetrics?: boolean
  }
}

type Child = ReturnType<client.Histogram<'method' | 'route' | 'status_code'>['labels']>

/**
 * Prometheus metrics (prom-client): request durations per route template, method and status,
 * Node.js process vitals, and gauges read from the database on each scrape (webhook deliveries by
 * status, the change feed's position, listings). Each app has its own registry.
 *
 * Each route counts its own answers (an onResponse hook added to the route), into one histogram child
 * per method and status kept by the route: the labels are hashed once, not on every answer as
 * fastify-metrics did through prom-client's label lookup (with the summary off, 4.5% of a point read's CPU in the profile of 2026-11-29).
 * Unknown URLs (404 without a route) are not counted, so scanners cannot grow the label set.
 */
export default fp(async function metricsPlugin (app: FastifyInstance) {
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })
  const durations = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'request duration in seconds',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  app.addHook('onRoute', (route) => {
    if (route.config?.disableMetrics) return
    const children = new Map<string, Child>()
    appendRouteHook(route, 'onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const key = `${req.method} ${reply.statusCode}`
      let child = children.get(key)
      if (!child) children.set(key, child = durations.labels({ method: req.method, route: route.url, status_code: reply.statusCode }))
      child.observe(reply.elapsedTime / 1000)
      done()
    })
  })

  // eslint-disable-next-line no-new
  new client.Gauge({
    name: 'ocop_webhook_deliveries',
    help: 'Webhook deliveries in the log, by status (pending and delivering are the backlog)',
    labelNames: ['status'],
    registers: [registry],
    async collect () {
      this.reset()
      for (const row of await app.dbHandle.query<{ status: string, n: number }>('SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status')) this.set({ status: row.status }, row.n)
    }
  })
  /** A gauge whose value is the single number a query returns at each scrape (0 when it returns null). */
  const sqlGauge = (name: string, help: string, text: string) => new client.Gauge({
    name,
    help,
    registers: [registry],
    async collect () {
      const [row] = await app.dbHandle.query<{ value: number | null }>(text)
      this.set(Number(row?.value ?? 0))
    }
  })
  sqlGauge('ocop_webhook_backlog_age_seconds', 'Age of the oldest webhook delivery not yet finished (0 when none)',
    "SELECT extract(epoch FROM now() - min(created_at))::float8 AS value FROM webhook_deliveries WHERE status IN ('pending', 'delivering')")
  sqlGauge('ocop_listing_feed_position', 'Sequence number of the last entry of the listing change feed', 'SELECT max(seq)::float8 AS value FROM listing_changes')
  sqlGauge('ocop_listings', 'Products that may carry the OCOP mark today (listings)', 'SELECT count(*)::int AS value FROM listings')
  app.decorate('metricsRegistry', registry)
}, { name: 'metrics' })
