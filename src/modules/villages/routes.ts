import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, IfMatchHeaders, json, notModified, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { CraftVillage, CraftVillageCreate, CraftVillagePage, CraftVillagePatch, CraftVillageQuery, IdParams } from './schemas.ts'
import { createVillage, getVillage, listVillages, updateVillage } from './service.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/craft-villages', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listCraftVillages',
      summary: 'List craft villages',
      tags: ['catalogue'],
      querystring: CraftVillageQuery,
      response: { 200: listOrCsv('A page of villages, by name', CraftVillagePage), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendList(req, reply, CraftVillagePage, (page) => listVillages(req.db, { ...req.query, ...page })))

  app.get('/craft-villages/:id', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getCraftVillage',
      summary: 'Read a craft village',
      tags: ['catalogue'],
      params: IdParams,
      response: { 200: json('The village', ref(CraftVillage)), 304: notModified, ...problems(400, 401, 404, 429) }
    }
  }, async (req) => getVillage(req.db, req.params.id))

  app.post('/craft-villages', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'createCraftVillage',
      summary: 'Add a craft village',
      tags: ['catalogue'],
      body: ref(CraftVillageCreate),
      response: { 201: json('The village', ref(CraftVillage)), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const village = await createVillage(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/craft-villages/${village.id}`).send(village)
  })

  app.patch('/craft-villages/:id', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'updateCraftVillage',
      summary: 'Change a craft village',
      tags: ['catalogue'],
      params: IdParams,
      headers: IfMatchHeaders,
      body: ref(CraftVillagePatch),
      response: { 200: json('The village as it is now', ref(CraftVillage)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) }
    }
  }, async (req, reply) => updateVillage(req.db, req.principal, req.params.id, req.body, ifMatch(req, reply)))
}
export default routes
