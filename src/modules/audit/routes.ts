import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendList } from '../../lib/pagination.ts'
import { listOrCsv, problems } from '../../lib/schema.ts'
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
      response: { 200: listOrCsv('A page of entries', AuditPage), ...problems(400, 401, 403, 429) }
    }
  }, async (req, reply) => sendList(req, reply, AuditPage, (page) => listAudit(req.db, { ...req.query, ...page })))
}
export default routes
