// A bare Fastify server (no plugin, no hook, no schema) sending the point read as the prepared baseline
// does: what the framework alone costs, between the bare node:http server and the service. LOG=1 logs
// each request as the service does (its access log, one line per request, its buffered destination).
import Fastify from 'fastify'
import pg from 'pg'
import { logDestination, loggingOptions } from '../../src/lib/logging.ts'
import { readScenarios, valuesFor } from './statements.ts'

const scenarios = readScenarios()
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) })
const app = Fastify(process.env.LOG === '1' ? loggingOptions('info', logDestination(4096)) : { logger: false })
app.get('/product/:id', async (req) => {
  const { id } = req.params as { id: string }
  const [statement] = scenarios.product!
  return (await pool.query({ name: 'product-0', text: statement!.sql, values: valuesFor(statement!, id) })).rows[0]
})
// The list page and the search, as the bare node:http server answers them.
for (const name of ['list', 'search']) {
  app.get(`/${name}`, async () => {
    let items: unknown[] = []
    for (const [i, statement] of scenarios[name]!.entries()) items = items.concat((await pool.query({ name: `${name}-${i}`, text: statement.sql, values: statement.params })).rows)
    return { items }
  })
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
