import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { sendTable } from '../../lib/pagination.ts'
import { jsonOrCsv, problems } from '../../lib/schema.ts'
import { productStatisticsColumns, productStatisticsRows, venueStatisticsColumns, venueStatisticsRows } from './csv.ts'
import { ProductStatistics, productStatisticsExample, ProductStatisticsQuery, VenueStatistics, venueStatisticsExample, VenueStatisticsQuery, type ProductStatisticsBody } from './schemas.ts'
import { productStatistics, venueStatistics } from './service.ts'

const tags = ['statistics']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())

  app.get('/statistics/products', {
    config: { permission: 'public', etag: true, cache: 'statistics' },
    schema: {
      operationId: 'getProductStatistics',
      summary: 'OCOP products by star on a day',
      description: 'The figures the city publishes (total, 5 stars, potential 5-star, 4 stars, 3 stars) computed from the recognitions in force on `on`, optionally for one administrative unit and broken down by unit, product group or issuing level. A product counts once, with the certificate in force that day, whatever became of it later.',
      tags,
      querystring: ProductStatisticsQuery,
      response: { 200: jsonOrCsv('The counts. On `Accept: text/csv`, a row for the totals and one per group', ProductStatistics, productStatisticsColumns, productStatisticsRows(productStatisticsExample as ProductStatisticsBody)[1]), ...problems(400, 422, 429) }
    }
  }, async (req, reply) => sendTable(req, reply, productStatisticsColumns, await productStatistics(req.db, { ...req.query, on: req.query.on ?? today() }), productStatisticsRows))

  app.get('/statistics/venues', {
    config: { permission: 'public', etag: true, cache: 'statistics' },
    schema: {
      operationId: 'getVenueStatistics',
      summary: 'OCOP venues open on a day, by type and administrative unit',
      description: 'Each type is counted as recorded: no count is derived from another (a showroom is not a point of sale).',
      tags,
      querystring: VenueStatisticsQuery,
      response: { 200: jsonOrCsv('The counts. On `Accept: text/csv`, a row for the totals and one per administrative unit', VenueStatistics, venueStatisticsColumns, venueStatisticsRows(venueStatisticsExample)[1]), ...problems(400, 422, 429) }
    }
  }, async (req, reply) => sendTable(req, reply, venueStatisticsColumns, await venueStatistics(req.db, { ...req.query, on: req.query.on ?? today() }), venueStatisticsRows))
}
export default routes
