// npm run bench -- instructions [list|search]: the instructions one point read (or list page, or search)
// costs each server, counted by valgrind (callgrind) over 3,000 requests after 2,000 of warm-up (1,000
// after 1,000 for the list and the search): the service (built), bare Fastify + pg with the service's request log
// (the framework's floor) and the bare node:http + pg server (prepared). The count moves far less than
// req/s or CPU time (the bare server counted twice agreed within 2%), but the service's timers and V8's
// background compilation run by wall time, which valgrind stretches some 50 times: compare counts of the
// service taken on a quiet machine. The run takes some minutes (BENCH_SERVERS=0 counts the service alone;
// 1 bare Fastify, 2 the bare server). Needs valgrind (Debian package; installed when run as root).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedBenchDatabase } from './seed.ts'
import { PAGE_PATHS, pageScenario, recordScenarios } from './scenarios.ts'
import { built, requireTool, start } from './process.ts'

// A list page costs about five point reads: fewer of them give as steady a count.
const page = pageScenario(process.argv[3])
const WARM_UP = page ? 1000 : 2000
const COUNTED = page ? 1000 : 3000

/** Sends `count` GETs, four at a time, over the paths in turn. */
async function drive (base: string, paths: string[], count: number): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) {
      const res = await fetch(base + paths[next++ % paths.length]!)
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${res.url} answered ${res.status}`)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
}

/** The instructions a callgrind dump counted, once valgrind has written it (it acts on the command when its process next runs). */
async function dumped (file: string): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
    const totals = /^totals: (\d+)/m.exec(text)
    if (totals) return Number(/^summary: (\d+)/m.exec(text)?.[1] ?? totals[1])
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`callgrind wrote no dump to ${file}`)
}

export async function benchInstructions (server: string): Promise<void> {
  requireTool('valgrind', 'valgrind', 'npm run bench -- instructions')
  requireTool('callgrind_control', 'valgrind', 'npm run bench -- instructions')
  const url = await seedBenchDatabase(server)
  const { file, ids } = await recordScenarios(url)
  const dir = mkdtempSync(join(tmpdir(), 'ocop-instructions-'))
  // No background jobs (pg-boss polling, the listings projector): their work grows with the run's wall time, not with requests.
  const env = { DATABASE_URL: url, HOST: '127.0.0.1', LOG_LEVEL: 'info', MIGRATE_ON_START: 'false', JOBS_ENABLED: 'false', RATE_LIMIT_ANONYMOUS: '1000000', DB_POOL_MAX: '10', SCENARIOS: file, PREPARED: '1', LOG: '1' }
  const scenario = page ? `GET ${PAGE_PATHS[page]}` : 'GET /v1/products/{id}'
  // Each server's paths: the point read rotates over the ids; a page is one request (the bare servers name it /list or /search).
  const pathsOf = (prefix: string, own: string) => page ? [own] : ids.map((id) => `${prefix}${id}`)
  const servers = [
    ['service (dist/server.js, everything on)', [built()], pathsOf('/v1/products/', page ? PAGE_PATHS[page] : '')],
    ['bare Fastify + pg, the service\'s request log, no plugin', ['test/bench/fastify-floor.ts'], pathsOf('/product/', `/${page}`)],
    ['bare node:http + pg (prepared)', ['test/bench/baseline.ts'], pathsOf('/product/', `/${page}`)]
  ] as const
  const vgdb = join(dir, 'vgdb')
  // valgrind names its control pipes by USER and HOST: callgrind_control is given the servers' HOST.
  const control = (action: '-z' | '-d', pid: number) => execFileSync('callgrind_control', [`--vgdb-prefix=${vgdb}`, action, String(pid)], { stdio: 'ignore', env: { ...process.env, HOST: env.HOST } })
  const counts: [string, number][] = []
  const only = process.env.BENCH_SERVERS?.split(',').map(Number)
  for (const [i, [name, args, paths]] of servers.entries()) {
    if (only && !only.includes(i)) continue
    const port = String(3121 + i)
    const out = join(dir, `callgrind-${i}.out`)
    const base = `http://127.0.0.1:${port}`
    const child = await start([...args], { ...env, PORT: port }, `${base}${paths[0]}`, [], ['valgrind', '-q', `--vgdb-prefix=${vgdb}`, '--tool=callgrind', `--callgrind-out-file=${out}`, '--smc-check=all-non-file'], 600)
    try {
      await drive(base, paths, WARM_UP)
      control('-z', child.pid!)
      await drive(base, paths, COUNTED)
      control('-d', child.pid!)
      const summary = await dumped(`${out}.1`)
      counts.push([name, summary / COUNTED])
    } finally {
      await new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM') })
    }
  }
  // Ratios against the bare server, when it was counted (BENCH_SERVERS=0,1,2 picks servers by index).
  const bare = counts.find(([name]) => name === servers[2][0])?.[1]
  console.log(`\n${scenario}: instructions per request (valgrind --tool=callgrind, all threads, ${COUNTED} requests after ${WARM_UP} of warm-up, 4 at a time)`)
  for (const [name, perRequest] of counts) console.log(`  ${(perRequest / 1e6).toFixed(3)} M  ${bare ? `${(perRequest / bare).toFixed(2)}x  ` : ''}${name}`)
}
