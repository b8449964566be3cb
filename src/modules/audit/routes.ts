import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendPage } from '../../lib/pagination.ts'
import { problems, ref } from '../../lib/schema.ts'
import { AuditPage, AuditQuery } from './schemas.ts'
import { listAudit } from './service.ts'

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    config: { permission: 'audit:read' },
    schema: {
      operationId: 'listAuditEntries',
      summary: 'Read the audit log',
      description: 'Every successful write, newest first: who (key), what (entity and id), the action and each changed field with its old and new value. The log is append-only: no route changes or deletes an entry.',
      tags: ['access'],
      querystring: AuditQuery,
      response: { 200: { description: 'A page of entries', content: { 'application/json': { schema: ref(AuditPage) } } }, ...problems(400, 401, 403, 429) }
    }
  }, async (req, reply) => sendPage(req, reply, await listAudit(req.db, { ...req.query, limit: req.query.limit ?? 20 })))
}
export default routes
