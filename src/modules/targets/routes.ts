import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { csvColumns } from '../../lib/csv.ts'
import { sendList, sendTable } from '../../lib/pagination.ts'
import { IfMatchHeaders, json, jsonOrCsv, listOrCsv, notModified, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { IdParams } from '../villages/schemas.ts'
import { ProgressQuery, Target, TargetCreate, TargetPage, TargetPatch, TargetProgress, TargetQuery } from './schemas.ts'
import { createTarget, getTarget, listTargets, targetProgress, updateTarget } from './service.ts'

const tags = ['statistics']
const progressColumns = [{ name: 'targetId', path: ['targetId'] }, ...csvColumns(TargetProgress)]

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const today = () => hanoiDate(app.clock.now())

  app.get('/targets', {
    config: { permission: 'public', cache: 'statistics' },
    schema: {
      operationId: 'listTargets',
      summary: 'The programme\'s targets, each with its progress on a day',
      description: 'By the period\'s last day, then its first. `progress` is what GET /v1/targets/{id}/progress answers for `on` (default today). The counts are the statistics\' own definitions: products in force are counted as GET /v1/statistics/products counts them, venues open as GET /v1/statistics/venues.',
      tags,
      querystring: TargetQuery,
      response: { 200: listOrCsv('A page of targets with their progress', TargetPage), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendList(req, reply, TargetPage, (page) => listTargets(req.db, { ...req.query, ...page, on: req.query.on ?? today() })))

  app.get('/targets/:id', {
    config: { permission: 'public', etag: true },
    schema: { operationId: 'getTarget', summary: 'Read a target', tags, params: IdParams, response: { 200: json('The target', ref(Target)), 304: notModified, ...problems(400, 401, 404, 429) } }
  }, async (req) => getTarget(req.db, req.params.id))

  app.get('/targets/:id/progress', {
    config: { permission: 'public', cache: 'statistics' },
    schema: {
      operationId: 'getTargetProgress',
      summary: 'A target\'s progress on a day',
      description: 'The measured value counting only what had happened by `on` (default today), or by the period\'s last day when `on` is later; the target\'s number, the share reached, and, once the period has ended, whether it was met. A day before the period is answered too, with `started: false`.',
      tags,
      params: IdParams,
      querystring: ProgressQuery,
      response: { 200: jsonOrCsv('The progress (one CSV row on `Accept: text/csv`)', TargetProgress, progressColumns), ...problems(400, 401, 404, 429) }
    }
  }, async (req, reply) => sendTable(req, reply, progressColumns, await targetProgress(req.db, req.params.id, req.query.on ?? today()), (progress) => [{ targetId: req.params.id, ...progress }]))

  app.post('/targets', {
    config: { permission: 'reference:write', etag: true },
    schema: {
      operationId: 'createTarget',
      summary: 'Set a target',
      description: 'A 422 names each field that does not hold: an unknown `measure`, a period that ends before it starts, `minStar` outside 3-5 or missing with a product measure, a unit not valid at any time in the period, a product group that is not one of QD148-2023. Recorded in the audit log.',
      tags,
      body: ref(TargetCreate),
      response: { 201: json('The target', ref(Target)), ...problems(400, 401, 403, 422, 429) }
    }
  }, async (req, reply) => {
    const target = await createTarget(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/targets/${target.id}`).send(target)
  })

  app.patch('/targets/:id', {
    config: { permission: 'reference:write', etag: true },
    schema: {
      operationId: 'updateTarget',
      summary: 'Change a target',
      description: 'Send the ETag you read in `If-Match` (412 when the target changed since). The target as changed is checked as a new one (422). Recorded in the audit log, field by field.',
      tags,
      params: IdParams,
      headers: IfMatchHeaders,
      body: ref(TargetPatch),
      response: { 200: json('The target as it is now', ref(Target)), ...problems(400, 401, 403, 404, 412, 422, 429) }
    }
  }, async (req, reply) => updateTarget(req.db, req.principal, req.params.id, req.body, ifMatch(req, reply)))
}
export default routes
