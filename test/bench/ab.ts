// npm run bench -- ab <other server.js | self> [list|search]: this build of the service (A) against
// another (B: an earlier commit's built dist/server.js, or `self` for this build again, which shows the
// method's own noise), both loaded AT THE SAME TIME by two wrk processes (4 connections each), in rounds
// of 8 s. Each round reads each server's main-thread CPU per request from /proc. On this shared host the
// speed moves by a quarter within seconds, so runs taken in turn (ABBA) could not see a change of 5%;
// two servers under load at once see the same host, and the ratio of their CPU per request holds from
// round to round (two copies of one build read 0.97-1.02). B runs with AB_NODE_FLAGS (for example
// --max-semi-space-size=8), to compare a Node flag on the same build.
// The other build needs its packages: build it in a worktree with its own node_modules, or copy its
// dist/ into this checkout (for example to dist/base/), where it finds this checkout's node_modules.
import { resolve } from 'node:path'
import { activeIds, seedBenchDatabase } from './seed.ts'
import { PAGE_PATHS, pageScenario } from './scenarios.ts'
import { built, startService } from './process.ts'
import { cpuSeconds } from './memory.ts'
import { median } from './stats.ts'
import { wrkAsync } from './wrk.ts'

const ROUNDS = Number(process.env.AB_ROUNDS ?? 6)
const SECONDS = 8

export async function benchAb (server: string): Promise<void> {
  const [other, scenario] = process.argv.slice(3)
  if (!other) throw new Error('npm run bench -- ab <path to the other build\'s server.js, or self> [list|search]')
  const url = await seedBenchDatabase(server)
  const ids = await activeIds(url)
  const page = pageScenario(scenario)
  const paths = page ? [PAGE_PATHS[page]] : ids.map((id) => `/v1/products/${id}`)
  const entry = built()
  const flags = (process.env.AB_NODE_FLAGS ?? '').split(' ').filter(Boolean)
  const a = await startService(entry, url, 3101)
  const b = await startService(other === 'self' ? entry : resolve(other), url, 3105, flags)
  const servers = [{ name: 'A', base: 'http://127.0.0.1:3101', pid: a.pid! }, { name: 'B', base: 'http://127.0.0.1:3105', pid: b.pid! }]
  const load = (seconds: number) => Promise.all(servers.map((s) => wrkAsync(s.base, paths, { connections: 4, seconds, threads: 1 })))
  await load(3)
  console.log(`A: this build (${entry}); B: ${other === 'self' ? 'this build again' : other}${flags.length ? ` with ${flags.join(' ')}` : ''}; ${page ? PAGE_PATHS[page] : 'GET /v1/products/{id}'}, both loaded at once, ${ROUNDS} rounds of ${SECONDS} s`)
  const ratios: number[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    const before = servers.map((s) => cpuSeconds(s.pid, true))
    const results = await load(SECONDS)
    const perRequest = servers.map((s, i) => 1e6 * (cpuSeconds(s.pid, true) - before[i]!) / results[i]!.requests)
    const errors = results.reduce((sum, r) => sum + r.errors, 0)
    if (errors) throw new Error(`${errors} requests failed in round ${round}`)
    ratios.push(perRequest[1]! / perRequest[0]!)
    console.log(`  round ${round}: main thread per request A ${perRequest[0]!.toFixed(0)} µs (${results[0]!.rps.toFixed(0)} req/s), B ${perRequest[1]!.toFixed(0)} µs (${results[1]!.rps.toFixed(0)} req/s); B/A ${ratios.at(-1)!.toFixed(3)}`)
  }
  console.log(`B/A, main-thread CPU per request: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}); below 1, B costs less`)
}
