import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendList } from '../../lib/pagination.ts'
import { IF_MATCH_NOTE, IfMatchHeaders, listOrCsv, json, PageQuery, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { Type } from 'typebox'
import { IdParams } from '../villages/schemas.ts'
import { Delivery, DeliveryPage, DeliveryParams, DeliveryQuery, Webhook, WebhookCreate, WebhookPage, WebhookPatch, WebhookWithSecret } from './schemas.ts'
import { createWebhook, disableWebhook, enableWebhook, getWebhook, listDeliveries, listWebhooks, pingWebhook, redeliver, rotateSecret, updateWebhook } from './service.ts'

const tags = ['webhooks']
const ownership = 'Partners see and change only the endpoints their key registered; operators and admins see all.'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const insecure = app.config.webhooks.allowInsecureTargets
  const key = app.config.webhooks.secretKey

  app.post('/webhooks', {
    config: { permission: 'partner:sync' },
    schema: {
      operationId: 'createWebhook',
      summary: 'Register a webhook endpoint',
      description: 'The URL must be https on a public address (loopback and private addresses are refused). The answer carries the signing `secret`, shown this once. Each delivery is a POST signed as the Standard Webhooks specification says: `webhook-id` (the event id: deduplicate on it), `webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64>`; verify it with a Standard Webhooks library and this secret.',
      tags,
      body: ref(WebhookCreate),
      response: { 201: json('The endpoint, with its secret', ref(WebhookWithSecret)), ...problems(400, 401, 403, 422, 429) }
    }
  }, async (req, reply) => {
    const created = await createWebhook(req.db, req.principal, req.body, insecure, key)
    return reply.code(201).header('location', `/v1/webhooks/${created.id}`).send(created)
  })

  app.get('/webhooks', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'listWebhooks', summary: 'List webhook endpoints', description: ownership, tags, querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: listOrCsv('A page of endpoints', WebhookPage), ...problems(400, 401, 403, 429) } }
  }, async (req, reply) => sendList(req, reply, WebhookPage, (page) => listWebhooks(req.db, req.principal, { ...req.query, ...page })))

  app.get('/webhooks/:id', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'getWebhook', summary: 'Read a webhook endpoint', description: ownership, tags, params: IdParams, response: { 200: json('The endpoint', ref(Webhook)), ...problems(400, 401, 403, 404, 429) } }
  }, async (req) => getWebhook(req.db, req.principal, req.params.id))

  app.patch('/webhooks/:id', {
    config: { permission: 'partner:sync', etag: true },
    schema: { operationId: 'updateWebhook', summary: 'Change an endpoint\'s URL, event types or description', description: `${ownership} ${IF_MATCH_NOTE}`, tags, params: IdParams, headers: IfMatchHeaders, body: ref(WebhookPatch), response: { 200: json('The endpoint as it is now', ref(Webhook)), ...problems(400, 401, 403, 404, 412, 422, 429) } }
  }, async (req, reply) => updateWebhook(req.db, req.principal, req.params.id, req.body, insecure, ifMatch(req, reply)))

  app.post('/webhooks/:id/enable', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'enableWebhook', summary: 'Re-enable an endpoint', description: 'After it was disabled for failing, or by its owner. Events that happened while it was disabled are not sent: catch up with the change feed, or ask for redeliveries.', tags, params: IdParams, response: { 200: json('The endpoint', ref(Webhook)), ...problems(400, 401, 403, 404, 409, 429) } }
  }, async (req) => enableWebhook(req.db, req.principal, req.params.id))

  app.post('/webhooks/:id/disable', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'disableWebhook', summary: 'Disable an endpoint', description: 'No deliveries are made to it until it is enabled again.', tags, params: IdParams, response: { 200: json('The endpoint', ref(Webhook)), ...problems(400, 401, 403, 404, 409, 429) } }
  }, async (req) => disableWebhook(req.db, req.principal, req.params.id))

  app.post('/webhooks/:id/rotate-secret', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'rotateWebhookSecret', summary: 'Rotate the signing secret', description: 'The new secret is shown once. For 24 hours deliveries carry two signatures (new and previous) so the receiver can switch without losing a delivery.', tags, params: IdParams, response: { 200: json('The endpoint, with its new secret', ref(WebhookWithSecret)), ...problems(400, 401, 403, 404, 429) } }
  }, async (req) => rotateSecret(req.db, req.principal, req.params.id, key))

  app.get('/webhooks/:id/deliveries', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'listWebhookDeliveries', summary: 'The delivery log of an endpoint', description: 'Newest first, each with its attempts: when, the status code (or the error), how long it took.', tags, params: IdParams, querystring: DeliveryQuery, response: { 200: listOrCsv('A page of deliveries', DeliveryPage), ...problems(400, 401, 403, 404, 429) } }
  }, async (req, reply) => sendList(req, reply, DeliveryPage, (page) => listDeliveries(req.db, req.principal, req.params.id, { ...req.query, ...page })))

  app.post('/webhooks/:id/deliveries/:deliveryId/redeliver', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'redeliverWebhook', summary: 'Send an event again', description: 'A new delivery of the same event (same `webhook-id`), queued now.', tags, params: DeliveryParams, response: { 202: json('The new delivery', ref(Delivery)), ...problems(400, 401, 403, 404, 409, 429) } }
  }, async (req, reply) => reply.code(202).send(await redeliver(req.db, req.principal, req.params.id, req.params.deliveryId)))

  app.post('/webhooks/:id/ping', {
    config: { permission: 'partner:sync' },
    schema: { operationId: 'pingWebhook', summary: 'Send a test event to an endpoint', description: 'A `webhook.ping` event (`data.webhookId`, `data.message`) is queued for this endpoint only, whatever types it subscribes to, signed and retried like any other: use it to check reachability and signature verification. Its delivery appears in the log. 409 if the endpoint is disabled.', tags, params: IdParams, response: { 202: json('The queued delivery', ref(Delivery)), ...problems(400, 401, 403, 404, 409, 429) } }
  }, async (req, reply) => reply.code(202).send(await pingWebhook(req.db, req.principal, req.params.id)))
}
export default routes
