import type { FastifyInstance } from 'fastify'
import fastifyMetricsModule from 'fastify-metrics'
import fp from 'fastify-plugin'
import client from 'prom-client'
import { commonJsDefault } from '../lib/interop.ts'

const fastifyMetrics = commonJsDefault<typeof fastifyMetricsModule.default>(fastifyMetricsModule)

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's Prometheus registry: HTTP, process and OCOP metrics, served by GET /metrics. */
    metricsRegistry: client.Registry
  }
}

/**
 * Prometheus metrics (fastify-metrics on prom-client): request durations per route, method and status,
 * Node.js process vitals, and gauges read from the database on each scrape (webhook deliveries by
 * status, the change feed's position, listings). Each app has its own registry.
 */
export default fp(async function metricsPlugin (app: FastifyInstance) {
  const registry = new client.Registry()
  await app.register(fastifyMetrics, {
    endpoint: null,
    promClient: client,
    defaultMetrics: { enabled: true, register: registry },
    routeMetrics: {
      // A histogram only: the summary's quantiles (prom-client on bintrees) cost about 5% of a point
      // read's CPU (npm run bench -- profile), and quantiles come from the histogram's buckets anyway.
      enabled: { histogram: true, summary: false },
      registeredRoutesOnly: true,
      overrides: {
        histogram: { registers: [registry], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
        // Still created, unobserved, by fastify-metrics: kept in the app's own registry, not the global one.
        summary: { registers: [registry] }
      }
    }
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
