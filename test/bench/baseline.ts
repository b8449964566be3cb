// The baseline: a bare node:http + pg server that sends the same SQL as the service for each scenario
// and writes the rows as JSON, with none of the framework (validation, auth, serialisation schemas).
// PREPARED=1 sends each statement as a named prepared statement (parsed and planned once per
// connection), the honest floor for a Node server on this database; without it, unnamed, as replayed.
import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import pg from 'pg'
import { readScenarios, valuesFor } from './statements.ts'

// Each scenario is the list of statements the service sent for one request, sent here in the same order.
const scenarios = readScenarios()
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) })
const prepared = process.env.PREPARED === '1'

createServer((req, res) => {
  const [, name, id] = (req.url ?? '').split('/')
  if (name === 'health') { res.end('ok'); return }
  if (name === 'export') { exportListings(res).catch((err: Error) => res.destroy(err)); return }
  const scenario = scenarios[name ?? '']
  if (!scenario) { res.statusCode = 404; res.end(); return }
  const run = async () => {
    let rows: unknown[] = []
    for (const [i, statement] of scenario.entries()) {
      // The point read's id (the one uuid among its parameters) is the one requested.
      const values = id ? valuesFor(statement, id) : statement.params
      const query = prepared ? { name: `${name}-${i}`, text: statement.sql, values } : { text: statement.sql, values }
      rows = rows.concat((await pool.query(query)).rows)
    }
    return rows
  }
  run().then((rows) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(id ? rows[0] : { items: rows }))
  }, (err: Error) => { res.statusCode = 500; res.end(err.message) })
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'))
// Stopped by SIGTERM as a normal exit, so that --cpu-prof (npm run bench -- profile baseline) writes its profile.
process.once('SIGTERM', () => process.exit(0))

/** The plain export design: one REPEATABLE READ transaction, a cursor fetched 1,000 rows at a time. */
async function exportListings (res: ServerResponse): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    await client.query('DECLARE listings_export NO SCROLL CURSOR FOR SELECT body::text AS body FROM listings ORDER BY product_id')
    res.setHeader('content-type', 'application/x-ndjson')
    let count = 0
    for (;;) {
      const { rows } = await client.query<{ body: string }>('FETCH 1000 FROM listings_export')
      if (!rows.length) break
      count += rows.length
      if (!res.write(rows.map((r) => `{"type":"listing","listing":${r.body}}\n`).join(''))) await once(res, 'drain')
    }
    await client.query('COMMIT')
    res.end(`${JSON.stringify({ type: 'end', count })}\n`)
  } finally {
    client.release()
  }
}
