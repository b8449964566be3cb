import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problems } from '../../lib/schema.ts'

const example = '# HELP ocop_listings Products that may carry the OCOP mark today (listings)\n# TYPE ocop_listings gauge\nocop_listings 1250\n'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', {
    config: { permission: 'metrics:read', rateLimit: false, disableMetrics: true },
    schema: {
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description: 'The Prometheus text format: `http_request_duration_seconds` (histogram by method, route and status code), Node.js process metrics, `ocop_webhook_deliveries{status}`, `ocop_webhook_backlog_age_seconds`, `ocop_listing_feed_position` and `ocop_listings`. Scrape with an admin key as a bearer token.',
      tags: ['health'],
      response: { 200: { description: 'Metrics', content: { 'text/plain': { schema: Type.String({ examples: [example] }) } } }, ...problems(401, 403) }
    }
  }, async (_req, reply) => reply.type(app.metricsRegistry.contentType).header('cache-control', 'no-store').send(await app.metricsRegistry.metrics()))
}
export default routes
