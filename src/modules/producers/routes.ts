import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, IF_MATCH_NOTE, IfMatchHeaders, json, notModified, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { IdParams } from '../villages/schemas.ts'
import { Producer, ProducerCreate, ProducerPage, ProducerPatch, ProducerQuery } from './schemas.ts'
import { createProducer, deleteProducer, getProducer, listProducers, updateProducer } from './service.ts'

const producerRef = ref(Producer)

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/producers', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listProducers',
      summary: 'List producers',
      description: 'Filters combine with AND. Anonymous readers and partners see active producers; staff also see inactive ones of their units.',
      tags: ['catalogue'],
      querystring: ProducerQuery,
      response: { 200: listOrCsv('A page of producers', ProducerPage), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendList(req, reply, ProducerPage, (page) => listProducers(req.db, { ...req.query, ...page }, req.principal)))

  app.get('/producers/:id', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getProducer',
      summary: 'Read a producer',
      tags: ['catalogue'],
      params: IdParams,
      response: { 200: json('The producer', ref(Producer)), 304: notModified, ...problems(400, 401, 404, 429) }
    }
  }, async (req) => getProducer(req.db, req.params.id, req.principal))

  app.post('/producers', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'createProducer',
      summary: 'Register a producer',
      description: 'The administrative unit must be valid on `registeredOn` (default: today in Hanoi). The tax code is unique; phone numbers are stored in national format.',
      tags: ['catalogue'],
      body: ref(ProducerCreate),
      response: { 201: json('The producer', ref(Producer)), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const producer = await createProducer(req.db, req.principal, req.body, app.clock.now())
    return reply.code(201).header('location', `/v1/producers/${producer.id}`).send(producer)
  })

  app.patch('/producers/:id', {
    config: { permission: 'catalogue:write', etag: true },
    schema: {
      operationId: 'updateProducer',
      summary: 'Change a producer, or deactivate and reactivate it',
      description: `The administrative unit and registration date cannot change. ${IF_MATCH_NOTE}`,
      tags: ['catalogue'],
      params: IdParams,
      headers: IfMatchHeaders,
      body: ref(ProducerPatch),
      response: { 200: json('The producer as it is now', ref(Producer)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) }
    }
  }, async (req, reply) => updateProducer(req.db, req.principal, req.params.id, req.body, ifMatch(req, reply), hanoiDate(app.clock.now())))

  app.delete('/producers/:id', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'deleteProducer',
      summary: 'Delete a producer that has no products',
      description: 'A producer with products is never deleted: 409. Deactivate it with PATCH `{"status":"inactive"}`.',
      tags: ['catalogue'],
      params: IdParams,
      headers: IfMatchHeaders,
      response: { 204: { description: 'Deleted' }, ...problems(400, 401, 403, 404, 409, 412, 429) }
    }
  }, async (req, reply) => {
    await deleteProducer(req.db, req.principal, req.params.id, ifMatch(req, reply, producerRef))
    return reply.code(204).send()
  })
}
export default routes
