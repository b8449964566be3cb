import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { json, listOrCsv, notModified, problems, ref } from '../../lib/schema.ts'
import { CriteriaSet, CriteriaSetCreate, CriteriaSetList, CriteriaSetParams } from './criteria-schemas.ts'
import { createCriteriaSet, getCriteriaSet, listCriteriaSets } from './criteria-service.ts'
import { sendItems } from '../../lib/pagination.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/criteria-sets', {
    config: { permission: 'public', cache: 'reference' },
    schema: {
      operationId: 'listCriteriaSets',
      summary: 'List the OCOP criteria sets with their score cards',
      description: 'Each set has a version key, the dates it applies, its taxonomy, its parts A, B and C (adding up to 100) and its criteria with their maxima and the star level for which each is mandatory. The shipped cards are generic per part; official per-group cards are added as new versions.',
      tags: ['evaluations'],
      response: { 200: listOrCsv('The sets, oldest first', CriteriaSetList), ...problems(401, 429) }
    }
  }, async (req, reply) => sendItems(req, reply, CriteriaSetList, { items: await listCriteriaSets(req.db) }))

  app.get('/criteria-sets/:key', {
    config: { permission: 'public', etag: true, cache: 'reference' },
    schema: {
      operationId: 'getCriteriaSet',
      summary: 'Read one criteria set',
      tags: ['evaluations'],
      params: CriteriaSetParams,
      response: { 200: json('The set', ref(CriteriaSet)), 304: notModified, ...problems(400, 401, 404, 429) }
    }
  }, async (req) => getCriteriaSet(req.db, req.params.key))

  app.post('/criteria-sets', {
    config: { permission: 'reference:write', etag: true },
    schema: {
      operationId: 'createCriteriaSet',
      summary: 'Add a criteria set version',
      description: 'The score card must add up: parts A, B and C to 100 points, each part\'s criteria to the part\'s maximum, codes unique. A version is never changed once made: add a new key instead.',
      tags: ['evaluations'],
      body: ref(CriteriaSetCreate),
      response: { 201: json('The new version', ref(CriteriaSet)), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const set = await createCriteriaSet(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/criteria-sets/${set.key}`).send(set)
  })
}
export default routes
