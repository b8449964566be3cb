// npm run bench: the catalogue's read paths at 200,000 products, driven by wrk: the service against a
// bare node:http + pg server sending the same SQL (named prepared statements, and replayed unnamed),
// the database alone (pgbench -M prepared) as the ceiling, bare Fastify (the framework's floor) for the
// point read's CPU per request, our search against the naive design, the listings export (npm run
// bench -- export alone), and each list shape's time alone (-- shapes).
// Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); creates ocop_bench.
import { seedBenchDatabase } from './seed.ts'
import { LIST_PATH, recordScenarios, SEARCH, SEARCH_PATH } from './scenarios.ts'
import { benchVenues } from './venues.ts'
import { benchShapes } from './shapes.ts'
import { benchCsv, benchExport } from './export.ts'
import { benchWrites } from './writes.ts'
import { benchBoot } from './boot.ts'
import { benchImport } from './import.ts'
import { benchCache } from './cache.ts'
import { built, start, startBaseline, startService } from './process.ts'
import { benchProfile } from './profile.ts'
import { benchAb } from './ab.ts'
import { benchInstructions } from './instructions.ts'
import { loadIds, pgbench, script } from './pgbench.ts'
import { latencies, paired, pairedLine, rate, wrk } from './wrk.ts'
import { seedLabels } from './labels.ts'
import { cpuSeconds, idleMemory, memory, resetPeak } from './memory.ts'
import { benchLabels, printScans, scanLoads } from './scans.ts'

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 32

const only = { labels: benchLabels, profile: benchProfile, instructions: benchInstructions, venues: benchVenues, export: benchExport, csv: benchCsv, import: benchImport, cache: benchCache, writes: benchWrites, boot: benchBoot, shapes: benchShapes, ab: benchAb }[process.argv[2] ?? '']
if (only) {
  await only(SERVER)
  process.exit(0)
}
const url = await seedBenchDatabase(SERVER)
const { file, ids, statements: scenarios, plans, candidates } = await recordScenarios(url)
await loadIds(url, ids)
const tokens = await seedLabels(url)

const entry = built()
const service = await startService(entry, url, 3101)
// The same service without its in-memory read cache (src/db/read-cache.ts): every read goes to the database.
const uncached = await startService(entry, url, 3105, [], 'info', { READ_CACHE_MB: '0' })
const replayed = await startBaseline(url, 3102, file, false)
const prepared = await startBaseline(url, 3103, file, true)
const floor = await start(['test/bench/fastify-floor.ts'], { DATABASE_URL: url, PORT: '3104', SCENARIOS: file, DB_POOL_MAX: '10', LOG: '1' }, `http://127.0.0.1:3104/product/${ids[0]}`)

const load = { connections: CONNECTIONS, seconds: DURATION }
const warmRun = (base: string, paths: string[], thinkMs?: number) => (seconds: number) => wrk(base, paths, { ...load, seconds, warm: true, thinkMs })
// Latency at the same load for both servers (halfLoad), set by the clients rather than by the server's
// speed: each connection waits between requests so that they offer about half the rate the service
// reached. At full load a closed loop of 32 connections makes latency about 32 / rate (Little's law), so
// the p99 ratio there follows the rate's; at half load it shows what the service adds to a request's time.
const row = (name: string, servicePaths: string[], baselinePaths: string[], statements: { sql: string, params: unknown[] }[], pointRead: boolean) => {
  resetPeak(service.pid!)
  const measured = wrk('http://127.0.0.1:3101', servicePaths, load)
  const thinkMs = 1000 * CONNECTIONS / (measured.rps / 2)
  return {
    name,
    service: measured,
    memory: memory(service.pid!),
    prepared: wrk('http://127.0.0.1:3103', baselinePaths, load),
    replayed: wrk('http://127.0.0.1:3102', baselinePaths, load),
    ceiling: pgbench(url, script(statements, pointRead, ids.length), load),
    // The ratio again, from short runs of the service and the prepared server taken in turn (both warm),
    // and the same for bare Fastify: what the framework and the service's request log alone reach.
    paired: paired(warmRun('http://127.0.0.1:3101', servicePaths), warmRun('http://127.0.0.1:3103', baselinePaths)),
    floor: paired(warmRun('http://127.0.0.1:3104', baselinePaths), warmRun('http://127.0.0.1:3103', baselinePaths)),
    uncached: paired(warmRun('http://127.0.0.1:3105', servicePaths), warmRun('http://127.0.0.1:3103', baselinePaths)),
    halfLoad: { thinkMs, paired: paired(warmRun('http://127.0.0.1:3101', servicePaths, thinkMs), warmRun('http://127.0.0.1:3103', baselinePaths, thinkMs)) }
  }
}
try {
  const idle = await idleMemory(service.pid!)
  const rows = [
    row('GET /v1/products/{id}', ids.map((id) => `/v1/products/${id}`), ids.map((id) => `/product/${id}`), scenarios.product, true),
    row('list (group 4.1, Gia Lâm)', [LIST_PATH], ['/list'], scenarios.list, false),
    row(`search q="${SEARCH}"`, [SEARCH_PATH], ['/search'], scenarios.search, false)
  ]
  const scans = scanLoads('http://127.0.0.1:3101', service.pid!, tokens, load)
  // The point read's CPU per request, steadier than req/s on a shared machine: the service, bare Fastify
  // with the service's request log (the framework's floor), the bare node:http server.
  const perRequest = (pid: number, base: string, paths: string[]) => {
    const before = [cpuSeconds(pid), cpuSeconds(pid, true)]
    const result = wrk(base, paths, load)
    const requests = result.rps * (DURATION + 2)
    return { rps: result.rps, us: (cpuSeconds(pid) - before[0]!) * 1e6 / requests, main: (cpuSeconds(pid, true) - before[1]!) * 1e6 / requests }
  }
  const cpu = [
    ['service', perRequest(service.pid!, 'http://127.0.0.1:3101', ids.map((id) => `/v1/products/${id}`))],
    ['bare Fastify + pg, the service\'s request log, no plugin', perRequest(floor.pid!, 'http://127.0.0.1:3104', ids.map((id) => `/product/${id}`))],
    ['bare node:http + pg (prepared)', perRequest(prepared.pid!, 'http://127.0.0.1:3103', ids.map((id) => `/product/${id}`))]
  ] as const
  const naive = wrk('http://127.0.0.1:3103', ['/naive'], load)
  const ours = rows[2]!.prepared
  const naiveCeiling = pgbench(url, script(scenarios.naive, false, ids.length), load)

  console.log(`\nwrk, ${CONNECTIONS} connections, ${DURATION} s per run (after 2 s of warm-up), 200,000 products; ${candidates} products match "${SEARCH}"`)
  console.log('req/s and p50/p99 in ms. prepared: bare node:http + pg, named prepared statements; replayed: the same, unnamed; pgbench: -M prepared, the database alone\n')
  console.log('scenario                    | service  p50    p99 | prepared  p50    p99 | replayed  p50    p99 | pgbench tps | service/prepared  p99 ratio | service/pgbench | service RSS peak')
  for (const r of rows) {
    const errors = r.service.errors + r.prepared.errors + r.replayed.errors
    console.log(`${r.name.padEnd(27)} | ${rate(r.service.rps)} ${latencies(r.service)} | ${rate(r.prepared.rps)}  ${latencies(r.prepared)} | ${rate(r.replayed.rps)}  ${latencies(r.replayed)} | ${rate(r.ceiling.tps)}      | ${(r.service.rps / r.prepared.rps).toFixed(2).padStart(16)} ${(r.service.p99 / Math.max(r.prepared.p99, 0.1)).toFixed(2).padStart(10)} | ${(r.service.rps / r.ceiling.tps).toFixed(2).padStart(15)} | ${r.memory.peak.toFixed(0).padStart(8)} MB${errors ? `  (errors ${r.service.errors}/${r.prepared.errors}/${r.replayed.errors})` : ''}`)
  }
  console.log('\nThe same ratios from short runs taken in turn (service, prepared, then prepared, service, ...), median and range;')
  console.log('the service without its read cache (READ_CACHE_MB=0: every read goes to the database); bare Fastify: Fastify + pg with the')
  console.log('service\'s request log (one line a request, buffered) and nothing else; each against the same prepared server:')
  for (const r of rows) console.log(`  ${r.name.padEnd(27)} service/prepared ${pairedLine(r.paired)}\n  ${''.padEnd(27)} without the read cache/prepared ${pairedLine(r.uncached)}\n  ${''.padEnd(27)} bare Fastify/prepared ${pairedLine(r.floor)}`)
  console.log('At half the service\'s rate, offered to both (each connection waits between requests), the same pairs:')
  for (const r of rows) console.log(`  ${r.name.padEnd(27)} service/prepared ${pairedLine(r.halfLoad.paired)}; ${r.halfLoad.thinkMs.toFixed(1)} ms between requests`)
  printScans(scans, tokens.length)
  console.log(`\nservice RSS (built output, node dist/server.js, as production starts it), before the first scenario: ${idle.started.toFixed(0)} MB just after start, ${idle.idle.toFixed(0)} MB after 90 s idle (the lowest, sampled every 5 s)`)
  console.log(`\nGET /v1/products/{id}, CPU per request, whole process (main thread): ${cpu.map(([name, c]) => `${name} ${c.us.toFixed(0)} µs (${c.main.toFixed(0)} µs) at ${c.rps.toFixed(0)} req/s`).join('; ')}`)
  // A point read keeps a server's main thread busy: its rate is about 1 / (main-thread CPU per request).
  const [, [, floorCpu], [, bareCpu]] = cpu
  console.log(`  on a load that keeps the main thread busy, bare Fastify with the request log can reach at most about ${(bareCpu.main / floorCpu.main).toFixed(2)}x the bare server's rate (their main-thread CPU per request), and the service ${(bareCpu.main / cpu[0][1].main).toFixed(2)}x`)
  console.log(`\nsearch SQL vs the naive unaccent(name) ILIKE on a trigram index: the database alone (pgbench -M prepared) ours ${rows[2]!.ceiling.tps.toFixed(0)} vs naive ${naiveCeiling.tps.toFixed(0)} tps: ${(rows[2]!.ceiling.tps / naiveCeiling.tps).toFixed(2)}x; through the prepared server ours ${ours.rps.toFixed(0)} req/s (p99 ${ours.p99.toFixed(1)} ms) vs naive ${naive.rps.toFixed(0)} req/s (p99 ${naive.p99.toFixed(1)} ms): ${(ours.rps / naive.rps).toFixed(2)}x`)
  console.log(`\nthe list sends ${scenarios.list.length} statement(s); their plans at 200,000 products:\n${plans.list}`)
  console.log(`\nthe search sends ${scenarios.search.length} statement(s); their plans:\n${plans.search}`)
} finally {
  service.kill('SIGTERM')
  uncached.kill('SIGTERM')
  replayed.kill('SIGTERM')
  prepared.kill('SIGTERM')
  floor.kill('SIGTERM')
}
// The export of 200,000 listings, for a fast and a slow reader, beside the plain cursor stream.
await new Promise((resolve) => setTimeout(resolve, 1000))
await benchExport(SERVER)
await benchShapes(SERVER)
