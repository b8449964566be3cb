import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { json, problems, ref } from '../../lib/schema.ts'
import { ProductStatistics, ProductStatisticsQuery, VenueStatistics, VenueStatisticsQuery } from './schemas.ts'
import { productStatistics, venueStatistics } from './service.ts'

const tags = ['statistics']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())

  app.get('/statistics/products', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getProductStatistics',
      summary: 'OCOP products by star on a day',
      description: 'The figures the city publishes (total, 5 stars, potential 5-star, 4 stars, 3 stars) computed from the recognitions in force on `on`, optionally for one administrative unit and broken down by unit, product group or issuing level. A product counts once, with the certificate in force that day, whatever became of it later.',
      tags,
      querystring: ProductStatisticsQuery,
      response: { 200: json('The counts', ref(ProductStatistics)), ...problems(400, 429) }
    }
  }, async (req) => productStatistics(req.db, { ...req.query, on: req.query.on ?? today() }))

  app.get('/statistics/venues', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getVenueStatistics',
      summary: 'OCOP venues open on a day, by type and administrative unit',
      description: 'Each type is counted as recorded: no count is derived from another (a showroom is not a point of sale).',
      tags,
      querystring: VenueStatisticsQuery,
      response: { 200: json('The counts', ref(VenueStatistics)), ...problems(400, 429) }
    }
  }, async (req) => venueStatistics(req.db, { ...req.query, on: req.query.on ?? today() }))
}
export default routes
