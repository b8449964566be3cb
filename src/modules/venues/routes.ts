import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { hanoiDate } from '../../lib/clock.ts'
import { linkNext, sendList, type PageFetcher } from '../../lib/pagination.ts'
import { listOrCsv, IF_MATCH_NOTE, IfMatchHeaders, json, notModified, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { IdParams } from '../villages/schemas.ts'
import { addToAssortment, listAssortment, withdrawFromAssortment } from './assortment.ts'
import { listProductVenues, listVenues } from './list.ts'
import {
  AssortmentAdd, AssortmentAdded, AssortmentEntry, AssortmentPage, AssortmentQuery, AssortmentWithdraw, Venue, VenueClose, VenueCreate,
  VenueFeatureCollection, VenuePage, VenuePatch, VenueProductParams, VenueQuery, type VenueBody
} from './schemas.ts'
import { closeVenue, createVenue, getVenue, updateVenue } from './service.ts'
import { addVary } from '../../lib/vary.ts'

const GEOJSON = 'application/geo+json'

/** A page of venues as a GeoJSON FeatureCollection: [lng, lat] points, the rest as properties. */
export const toFeatureCollection = (page: { items: VenueBody[], nextCursor: string | null }) => ({
  type: 'FeatureCollection' as const,
  features: page.items.map(({ id, latitude, longitude, ...properties }) => ({
    type: 'Feature' as const, id, geometry: { type: 'Point' as const, coordinates: [longitude, latitude] as [number, number] }, properties
  })),
  nextCursor: page.nextCursor
})

/** Answers a venue list as JSON, as GeoJSON when the client's Accept asks for it, or as CSV. */
async function sendVenues (req: FastifyRequest & { query: { limit?: number, cursor?: string } }, reply: FastifyReply, fetch: PageFetcher<VenueBody>) {
  if (!(req.headers.accept ?? '').includes(GEOJSON)) return sendList(req, reply, VenuePage, fetch)
  addVary(reply, 'Accept')
  const page = await fetch({ limit: req.query.limit ?? 20, cursor: req.query.cursor })
  linkNext(req, reply, page.nextCursor)
  return reply.type(GEOJSON).send(toFeatureCollection(page))
}

const venueList = (description: string) => listOrCsv(description, VenuePage, { [GEOJSON]: { schema: ref(VenueFeatureCollection) } })

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())

  app.get('/venues', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listVenues',
      summary: 'List venues, or find venues near a point',
      description: 'Filters combine with AND. With `near=lat,lng` the venues within `radiusKm` come nearest first, each with `distanceKm`. Send `Accept: application/geo+json` for a GeoJSON FeatureCollection. Planned venues are shown to staff only.',
      tags: ['venues'],
      querystring: VenueQuery,
      response: { 200: venueList('A page of venues'), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendVenues(req, reply, (page) => listVenues(req.db, { ...req.query, ...page }, req.principal, app.clock.now())))

  app.get('/venues/:id', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getVenue',
      summary: 'Read a venue (closed venues included)',
      tags: ['venues'],
      params: IdParams,
      response: { 200: json('The venue', ref(Venue)), 304: notModified, ...problems(400, 401, 404, 429) }
    }
  }, async (req) => getVenue(req.db, req.params.id, req.principal))

  app.post('/venues', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'createVenue',
      summary: 'Register a venue',
      description: 'Coordinates outside Hanoi\'s bounding box are refused (422) unless `allowOutsideHanoi` is true. The administrative unit must be valid on `openedOn` (today for a planned venue).',
      tags: ['venues'],
      body: ref(VenueCreate),
      response: { 201: json('The venue', ref(Venue)), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const venue = await createVenue(req.db, req.principal, req.body, today())
    return reply.code(201).header('location', `/v1/venues/${venue.id}`).send(venue)
  })

  app.patch('/venues/:id', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'updateVenue',
      summary: 'Change a venue, or open a planned one',
      description: `A closed venue no longer changes (409). ${IF_MATCH_NOTE}`,
      tags: ['venues'],
      params: IdParams,
      headers: IfMatchHeaders,
      body: ref(VenuePatch),
      response: { 200: json('The venue as it is now', ref(Venue)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) }
    }
  }, async (req, reply) => updateVenue(req.db, req.principal, req.params.id, req.body, today(), ifMatch(req, reply)))

  app.post('/venues/:id/close', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'closeVenue',
      summary: 'Close a venue',
      description: 'The venue stays readable with its history; every product it carried ends on the closing day.',
      tags: ['venues'],
      params: IdParams,
      headers: IfMatchHeaders,
      body: ref(VenueClose),
      response: { 200: json('The closed venue', ref(Venue)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) }
    }
  }, async (req, reply) => closeVenue(req.db, req.principal, req.params.id, req.body ?? {}, today(), ifMatch(req, reply)))

  app.get('/venues/:id/products', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listVenueProducts',
      summary: 'What a venue carries',
      description: 'By default the current assortment: products carried today that hold a recognition of 3 stars or more in force (a product whose certificate expired or was revoked drops out on its own). `history=true` lists every period, newest first.',
      tags: ['venues'],
      params: IdParams,
      querystring: AssortmentQuery,
      response: { 200: listOrCsv('A page of assortment entries', AssortmentPage), ...problems(400, 401, 404, 429) }
    }
  }, async (req, reply) => sendList(req, reply, AssortmentPage, (page) => listAssortment(req.db, req.params.id, req.principal, { ...req.query, ...page }, today())))

  app.post('/venues/:id/products', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'addVenueProducts',
      summary: 'Add products to a venue\'s assortment',
      description: 'All or none. Each product must be active and hold a recognition of 3 stars or more in force today and on `since`; a refusal names each product (422), a product already carried is a 409.',
      tags: ['venues'],
      params: IdParams,
      body: ref(AssortmentAdd),
      response: { 201: json('The new assortment entries', ref(AssortmentAdded)), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req, reply) => reply.code(201).header('location', `/v1/venues/${req.params.id}/products`).send({ items: await addToAssortment(req.db, req.principal, req.params.id, req.body, today()) }))

  app.post('/venues/:id/products/:productId/withdraw', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'withdrawVenueProduct',
      summary: 'Stop carrying a product',
      description: 'Ends the current period on `until` (default today); the record of when it was carried stays.',
      tags: ['venues'],
      params: VenueProductParams,
      body: ref(AssortmentWithdraw),
      response: { 200: json('The ended assortment entry', ref(AssortmentEntry)), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req) => withdrawFromAssortment(req.db, req.principal, req.params.id, req.params.productId, req.body?.until, today()))

  app.get('/products/:id/venues', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listProductVenues',
      summary: 'The venues where a product can be found',
      description: 'Venues whose current assortment shows the product, by name (or nearest first with `near`). Same filters and GeoJSON output as GET /v1/venues. 404 for a product the caller may not see.',
      tags: ['venues'],
      params: IdParams,
      querystring: VenueQuery,
      response: { 200: venueList('A page of venues'), ...problems(400, 401, 404, 429) }
    }
  }, async (req, reply) => sendVenues(req, reply, (page) => listProductVenues(req.db, req.params.id, { ...req.query, ...page }, req.principal, app.clock.now())))
}
export default routes
