import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { sendItems, sendList, sendTable } from '../../lib/pagination.ts'
import { csvColumns } from '../../lib/csv.ts'
import { IF_MATCH_NOTE, IfMatchHeaders, json, jsonOrCsv, listOrCsv, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { IdParams } from '../villages/schemas.ts'
import { createBooth, createFair, fairFigures, getFair, listBooths, listFairs, updateFair } from './fairs.ts'
import { changeMouStatus, createMou, getMou, listMous, listProducerMous, mouFigures } from './mous.ts'
import { createPartner, getPartner, listPartners, updatePartner } from './partners.ts'
import {
  Booth, BoothCreate, BoothList, Fair, FairCreate, FairFigures, FairPage, FairPatch, FairQuery, Mou, MouCreate, MouFigureQuery, MouFigures,
  MouPage, MouQuery, MouStatusChange, Partner, PartnerCreate, PartnerPage, PartnerPatch, PartnerQuery
} from './schemas.ts'

const tags = ['trade promotion']

const fairFigureColumns = csvColumns(FairFigures)

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())

  app.get('/distribution-partners', {
    config: { permission: 'public' },
    schema: { operationId: 'listDistributionPartners', summary: 'List distribution partners', tags, querystring: PartnerQuery, response: { 200: listOrCsv('A page of partners', PartnerPage), ...problems(400, 401, 429) } }
  }, async (req, reply) => sendList(req, reply, PartnerPage, (page) => listPartners(req.db, { ...req.query, ...page })))
  app.get('/distribution-partners/:id', {
    config: { permission: 'public' },
    schema: { operationId: 'getDistributionPartner', summary: 'Read a distribution partner', tags, params: IdParams, response: { 200: json('The partner', ref(Partner)), ...problems(400, 401, 404, 429) } }
  }, async (req) => getPartner(req.db, req.params.id))
  app.post('/distribution-partners', {
    config: { permission: 'catalogue:write', etag: true },
    schema: { operationId: 'createDistributionPartner', summary: 'Register a distribution partner', description: 'Vietnamese tax codes and phone numbers are checked and stored in national form; a tax code is unique per country.', tags, body: ref(PartnerCreate), response: { 201: json('The partner', ref(Partner)), ...problems(400, 401, 403, 409, 422, 429) } }
  }, async (req, reply) => {
    const partner = await createPartner(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/distribution-partners/${partner.id}`).send(partner)
  })
  app.patch('/distribution-partners/:id', {
    config: { permission: 'catalogue:write', etag: true },
    schema: { operationId: 'updateDistributionPartner', summary: 'Change a distribution partner', description: IF_MATCH_NOTE, tags, params: IdParams, headers: IfMatchHeaders, body: ref(PartnerPatch), response: { 200: json('The partner as it is now', ref(Partner)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) } }
  }, async (req, reply) => updatePartner(req.db, req.principal, req.params.id, req.body, ifMatch(req, reply)))

  app.get('/fairs', {
    config: { permission: 'public' },
    schema: { operationId: 'listFairs', summary: 'List trade fairs and events', description: 'By start date.', tags, querystring: FairQuery, response: { 200: listOrCsv('A page of fairs', FairPage), ...problems(400, 401, 429) } }
  }, async (req, reply) => sendList(req, reply, FairPage, (page) => listFairs(req.db, { ...req.query, ...page })))
  app.get('/fairs/:id', {
    config: { permission: 'public' },
    schema: { operationId: 'getFair', summary: 'Read a fair', tags, params: IdParams, response: { 200: json('The fair', ref(Fair)), ...problems(400, 401, 404, 429) } }
  }, async (req) => getFair(req.db, req.params.id))
  app.post('/fairs', {
    config: { permission: 'catalogue:write', etag: true },
    schema: { operationId: 'createFair', summary: 'Record a fair or promotion event', description: 'It ends on or after it starts; it takes place at an address or a venue; its administrative unit must be valid on the start date.', tags, body: ref(FairCreate), response: { 201: json('The fair', ref(Fair)), ...problems(400, 401, 403, 422, 429) } }
  }, async (req, reply) => {
    const fair = await createFair(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/fairs/${fair.id}`).send(fair)
  })
  app.patch('/fairs/:id', {
    config: { permission: 'catalogue:write', etag: true },
    schema: { operationId: 'updateFair', summary: 'Change a fair or move its status', description: 'Status: planned → open → closed; planned or open → cancelled; any other move is a 409. New dates must keep the MOUs signed at the fair within them. ' + IF_MATCH_NOTE, tags, params: IdParams, headers: IfMatchHeaders, body: ref(FairPatch), response: { 200: json('The fair as it is now', ref(Fair)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) } }
  }, async (req, reply) => updateFair(req.db, req.principal, req.params.id, req.body, ifMatch(req, reply)))
  app.get('/fairs/:id/booths', {
    config: { permission: 'public' },
    schema: { operationId: 'listBooths', summary: 'The booths of a fair', tags, params: IdParams, response: { 200: listOrCsv('Booths by number', BoothList), ...problems(400, 401, 404, 429) } }
  }, async (req, reply) => sendItems(req, reply, BoothList, { items: await listBooths(req.db, req.params.id) }))
  app.post('/fairs/:id/booths', {
    config: { permission: 'catalogue:write' },
    schema: { operationId: 'createBooth', summary: 'Assign a booth to a producer', description: 'One producer per booth number per fair (409). Products shown must be the producer\'s own (422 naming each).', tags, params: IdParams, body: ref(BoothCreate), response: { 201: json('The booth', ref(Booth)), ...problems(400, 401, 403, 404, 409, 422, 429) } }
  }, async (req, reply) => reply.code(201).header('location', `/v1/fairs/${req.params.id}/booths`).send(await createBooth(req.db, req.principal, req.params.id, req.body)))
  app.get('/fairs/:id/figures', {
    config: { permission: 'public', cache: 'statistics' },
    schema: { operationId: 'getFairFigures', summary: 'The figures of a fair', description: 'Booths, producers, products shown, MOUs signed at the fair and their total value.', tags, params: IdParams, response: { 200: jsonOrCsv('The figures (one CSV row on `Accept: text/csv`)', FairFigures, fairFigureColumns, (FairFigures as { examples?: unknown[] }).examples?.[0]), ...problems(400, 401, 404, 429) } }
  }, async (req, reply) => sendTable(req, reply, fairFigureColumns, await fairFigures(req.db, req.params.id), (figures) => [figures]))

  app.get('/mous', {
    config: { permission: 'public' },
    schema: { operationId: 'listMous', summary: 'List MOUs', description: 'By signing date. `status` filters on the status as of today (a term that has ended reads `expired`).', tags, querystring: MouQuery, response: { 200: listOrCsv('A page of MOUs', MouPage), ...problems(400, 401, 429) } }
  }, async (req, reply) => sendList(req, reply, MouPage, (page) => listMous(req.db, { ...req.query, ...page }, today())))
  app.get('/mous/:id', {
    config: { permission: 'public' },
    schema: { operationId: 'getMou', summary: 'Read an MOU', tags, params: IdParams, response: { 200: json('The MOU', ref(Mou)), ...problems(400, 401, 404, 429) } }
  }, async (req) => getMou(req.db, req.params.id, today()))
  app.post('/mous', {
    config: { permission: 'catalogue:write', etag: true },
    schema: { operationId: 'createMou', summary: 'Record an MOU', description: 'Signed within the fair\'s dates when signed at one; the term starts on or after signing and ends on or after it starts; the products are the producer\'s own; an export MOU names its countries. Operators record MOUs of producers in their units.', tags, body: ref(MouCreate), response: { 201: json('The MOU', ref(Mou)), ...problems(400, 401, 403, 422, 429) } }
  }, async (req, reply) => {
    const mou = await createMou(req.db, req.principal, req.body, today())
    return reply.code(201).header('location', `/v1/mous/${mou.id}`).send(mou)
  })
  app.post('/mous/:id/status', {
    config: { permission: 'catalogue:write' },
    schema: { operationId: 'changeMouStatus', summary: 'Move an MOU along its life', description: 'signed → in_effect → fulfilled; signed or in_effect → expired or terminated (with a reason). Any other move is a 409.', tags, params: IdParams, body: ref(MouStatusChange), response: { 200: json('The MOU', ref(Mou)), ...problems(400, 401, 403, 404, 409, 422, 429) } }
  }, async (req) => changeMouStatus(req.db, req.principal, req.params.id, req.body, today()))
  app.get('/mou-figures', {
    config: { permission: 'public', cache: 'statistics' },
    schema: { operationId: 'getMouFigures', summary: 'MOUs signed per year and administrative unit', description: 'Counts and value, by partner kind and by status as of today, aggregated in SQL. The unit is the producer\'s.', tags, querystring: MouFigureQuery, response: { 200: listOrCsv('The figures', MouFigures), ...problems(400, 401, 429) } }
  }, async (req, reply) => sendItems(req, reply, MouFigures, await mouFigures(req.db, req.query, today())))
  app.get('/producers/:id/mous', {
    config: { permission: 'public' },
    schema: { operationId: 'listProducerMous', summary: 'A producer\'s MOUs', description: '404 for a producer the caller may not see (an inactive producer of another unit).', tags, params: IdParams, querystring: MouQuery, response: { 200: listOrCsv('A page of MOUs', MouPage), ...problems(400, 401, 404, 429) } }
  }, async (req, reply) => sendList(req, reply, MouPage, (page) => listProducerMous(req.db, req.params.id, { ...req.query, ...page }, req.principal, today())))
}
export default routes
