// npm run bench: the catalogue's read paths at 200,000 products, the service against a bare
// node:http + pg server sending the same SQL, and our search against the naive design.
// Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); creates ocop_bench.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { createDb } from '../../src/db/client.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { getProduct, listProducts } from '../../src/modules/products/service.ts'
import { seedBenchDatabase } from './seed.ts'
import { benchVenues } from './venues.ts'
import { benchCsv, benchExport } from './export.ts'
import { benchWrites } from './writes.ts'
import { benchBoot } from './boot.ts'
import { benchImport } from './import.ts'
import { benchCache } from './cache.ts'
import { start } from './process.ts'

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 32
const SEARCH = 'bat trang'

const only = { venues: benchVenues, export: benchExport, csv: benchCsv, import: benchImport, cache: benchCache, writes: benchWrites, boot: benchBoot }[process.argv[2] ?? '']
if (only) {
  await only(SERVER)
  process.exit(0)
}
const url = await seedBenchDatabase(SERVER)
// The service's own code, on a connection that records each statement it sends.
let sent: { sql: string, params: unknown[] }[] = []
const db = await createDb({ databaseUrl: url, poolMax: 2, logQuery: (sql, params) => sent.push({ sql, params }) })
const ids = (await db.query<{ id: string }>("SELECT id FROM products WHERE status = 'active' ORDER BY random() LIMIT 2000")).map((r) => r.id)
const reader = anonymous('bench')
const record = async (call: () => Promise<unknown>) => { sent = []; await call(); return sent }
const scenarios = {
  product: await record(() => getProduct(db.db, ids[0]!, reader, '2026-11-23')),
  list: await record(() => listProducts(db.db, { group148: '4.1', adminUnit: '018', limit: 20 }, reader, '2026-11-23')),
  search: await record(() => listProducts(db.db, { q: SEARCH, limit: 20 }, reader, '2026-11-23')),
  naive: [{
    sql: `SELECT p.*, pr.name AS producer_name, pr.admin_unit_code FROM products p JOIN producers pr ON pr.id = p.producer_id
          WHERE p.status = 'active' AND f_unaccent(p.name_vi) ILIKE '%' || $1 || '%' ORDER BY p.name_vi, p.id LIMIT 21`,
    params: [SEARCH]
  }]
}
const file = join(tmpdir(), 'ocop-bench-scenarios.json')
writeFileSync(file, JSON.stringify(scenarios))

const plans: string[] = []
for (const statement of scenarios.search) {
  const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${statement.sql}`, statement.params)
  plans.push(rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'))
}
const candidates = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM products WHERE search_doc LIKE '%bat trang%'")
await db.close()

const service = await start(['src/server.ts'], { DATABASE_URL: url, PORT: '3101', HOST: '127.0.0.1', LOG_LEVEL: 'info', MIGRATE_ON_START: 'false', RATE_LIMIT_ANONYMOUS: '1000000', DB_POOL_MAX: '10' }, 'http://127.0.0.1:3101/health/ready')
const baseline = await start(['test/bench/baseline.ts'], { DATABASE_URL: url, PORT: '3102', SCENARIOS: file, DB_POOL_MAX: '10' }, `http://127.0.0.1:3102/product/${ids[0]}`)

interface Result { rps: number, p50: number, p99: number, errors: number }
async function measure (base: string, path: (i: number) => string): Promise<Result> {
  let i = 0
  const run = (duration: number) => autocannon({
    url: base,
    connections: CONNECTIONS,
    duration,
    requests: [{ setupRequest: (req) => ({ ...req, path: path(i++) }) }]
  })
  await run(2) // warm-up: JIT, connections, prepared plans
  const r = await run(DURATION)
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx }
}

const pick = (i: number) => ids[i % ids.length]!
const rows: [string, Result, Result][] = []
try {
  rows.push(['GET /v1/products/{id}', await measure('http://127.0.0.1:3101', (i) => `/v1/products/${pick(i)}`), await measure('http://127.0.0.1:3102', (i) => `/product/${pick(i)}`)])
  rows.push(['list (group 4.1, Gia Lâm)', await measure('http://127.0.0.1:3101', () => '/v1/products?group148=4.1&adminUnit=018&limit=20'), await measure('http://127.0.0.1:3102', () => '/list')])
  rows.push([`search q="${SEARCH}"`, await measure('http://127.0.0.1:3101', () => `/v1/products?q=${encodeURIComponent(SEARCH)}&limit=20`), await measure('http://127.0.0.1:3102', () => '/search')])
  const naive = await measure('http://127.0.0.1:3102', () => '/naive')
  const ours = rows[2]![2]

  const f = (n: number) => n.toFixed(0).padStart(7)
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s per run, 200,000 products; ${candidates[0]!.n} products match "${SEARCH}"\n`)
  console.log('scenario                     service req/s  p50  p99 | baseline req/s  p50  p99 | req/s ratio  p99 ratio')
  for (const [name, s, b] of rows) {
    console.log(`${name.padEnd(28)} ${f(s.rps)}    ${String(s.p50).padStart(4)} ${String(s.p99).padStart(4)} |  ${f(b.rps)}     ${String(b.p50).padStart(4)} ${String(b.p99).padStart(4)} |  ${(s.rps / b.rps).toFixed(2).padStart(8)}  ${(s.p99 / Math.max(b.p99, 1)).toFixed(2).padStart(8)}${s.errors + b.errors ? `  (errors: ${s.errors}/${b.errors})` : ''}`)
  }
  console.log(`\nsearch SQL from bare pg: ours ${ours.rps.toFixed(0)} req/s (p99 ${ours.p99} ms) vs naive unaccent(name) ILIKE on a trigram index ${naive.rps.toFixed(0)} req/s (p99 ${naive.p99} ms): ${(ours.rps / naive.rps).toFixed(2)}x`)
  console.log(`\nthe search sends ${scenarios.search.length} statement(s); their plans at 200,000 products:`)
  console.log(plans.join('\n\n'))
} finally {
  service.kill('SIGTERM')
  baseline.kill('SIGTERM')
}
