import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, IfMatchHeaders, json, notModified, problems, ref } from '../../lib/schema.ts'
import { ifMatch } from '../../plugins/etag.ts'
import { ApiKey, ApiKeyCreate, ApiKeyPage, ApiKeyParams, ApiKeyPatch, ApiKeyQuery, ApiKeyWithSecret } from './schemas.ts'
import { createKey, getKey, listKeys, revokeKey, rotateKey, updateKey } from './service.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api-keys', {
    config: { permission: 'keys:manage' },
    schema: {
      operationId: 'createApiKey',
      summary: 'Create an API key',
      description: 'Returns the key once: only its hash is stored. Operator keys may be limited to administrative units; council keys carry their council level.',
      tags: ['access'],
      body: ref(ApiKeyCreate),
      response: { 201: json('The key, with its secret shown this once', ref(ApiKeyWithSecret)), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const created = await createKey(req.db, req.principal, req.body, app.clock.now())
    return reply.code(201).header('location', `/v1/api-keys/${created.apiKey.id}`).send(created)
  })

  app.get('/api-keys', {
    config: { permission: 'keys:manage' },
    schema: {
      operationId: 'listApiKeys',
      summary: 'List API keys (never their secrets)',
      tags: ['access'],
      querystring: ApiKeyQuery,
      response: { 200: listOrCsv('A page of keys, newest first', ApiKeyPage), ...problems(400, 401, 403, 429) }
    }
  }, async (req, reply) => sendList(req, reply, ApiKeyPage, (page) => listKeys(req.db, { ...req.query, ...page }, app.clock.now())))

  app.get('/api-keys/:id', {
    config: { permission: 'keys:manage', etag: true },
    schema: {
      operationId: 'getApiKey',
      summary: 'Read an API key (never its secret)',
      tags: ['access'],
      params: ApiKeyParams,
      response: { 200: json('The key', ref(ApiKey)), 304: notModified, ...problems(400, 401, 403, 404, 429) }
    }
  }, async (req) => getKey(req.db, req.params.id, app.clock.now()))

  app.patch('/api-keys/:id', {
    config: { permission: 'keys:manage', etag: true },
    schema: {
      operationId: 'updateApiKey',
      summary: 'Rename an API key, change its units or its expiry',
      description: 'Send `If-Match` with the ETag you read to be sure nobody changed the key meanwhile: a stale tag is a 412 and nothing changes. Role and council level cannot change: create a new key.',
      tags: ['access'],
      params: ApiKeyParams,
      headers: IfMatchHeaders,
      body: ref(ApiKeyPatch),
      response: { 200: json('The key as it is now', ref(ApiKey)), ...problems(400, 401, 403, 404, 409, 412, 422, 429) }
    }
  }, async (req, reply) => updateKey(req.db, req.principal, req.params.id, req.body, app.clock.now(), ifMatch(req, reply)))

  app.post('/api-keys/:id/revoke', {
    config: { permission: 'keys:manage' },
    schema: {
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      description: 'The key stops working at once, on every instance. Revoking twice is a 409.',
      tags: ['access'],
      params: ApiKeyParams,
      response: { 200: json('The revoked key', ref(ApiKey)), ...problems(400, 401, 403, 404, 409, 429) }
    }
  }, async (req) => revokeKey(req.db, req.principal, req.params.id, app.clock.now()))

  app.post('/api-keys/:id/rotate', {
    config: { permission: 'keys:manage' },
    schema: {
      operationId: 'rotateApiKey',
      summary: 'Rotate an API key',
      description: 'Creates a new key with the same name, role and scope. The old key keeps working until you revoke it, so clients can switch without downtime.',
      tags: ['access'],
      params: ApiKeyParams,
      response: { 201: json('The new key, with its secret shown this once', ref(ApiKeyWithSecret)), ...problems(400, 401, 403, 404, 409, 429) }
    }
  }, async (req, reply) => {
    const created = await rotateKey(req.db, req.principal, req.params.id, app.clock.now())
    return reply.code(201).header('location', `/v1/api-keys/${created.apiKey.id}`).send(created)
  })
}
export default routes
