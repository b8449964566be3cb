import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { serviceUnavailable } from '../../lib/problem.ts'
import { problems } from '../../lib/schema.ts'

const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Optional(Type.Literal('up'))
}, { additionalProperties: false, examples: [{ status: 'ok', database: 'up' }] })

const READY_TIMEOUT_MS = 2000

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/live', {
    config: { permission: 'public', rateLimit: false, cache: 'none' },
    schema: {
      operationId: 'getLiveness',
      summary: 'Liveness: the process is up',
      tags: ['health'],
      response: { 200: { description: 'The process answers', content: { 'application/json': { schema: Health } } } }
    }
  }, async () => ({ status: 'ok' as const }))

  app.get('/ready', {
    config: { permission: 'public', rateLimit: false, cache: 'none' },
    schema: {
      operationId: 'getReadiness',
      summary: 'Readiness: the database answers',
      tags: ['health'],
      response: { 200: { description: 'Ready to serve', content: { 'application/json': { schema: Health } } }, ...problems() }
    }
  }, async () => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS) })
    try {
      await Promise.race([app.dbHandle.query('SELECT 1'), timeout])
    } catch {
      throw serviceUnavailable({ vi: 'Cơ sở dữ liệu không trả lời.', en: 'The database does not answer.' }, 10)
    } finally {
      clearTimeout(timer)
    }
    return { status: 'ok' as const, database: 'up' as const }
  })
}
export default routes
