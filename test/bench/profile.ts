// npm run bench -- profile [labels|list|search|baseline|floor] [list|search] [--perf]: where the service
// spends its CPU on point reads (or label scans, the list page, the search). Starts the service under
// --cpu-prof, drives GET /v1/products/{id} (or /v1/labels/{token}, the bench's list or search) with wrk, and
// prints the top frames by self time, and the time per package (node_modules/<name>, node: internals,
// src/). `baseline` profiles the bare prepared server (baseline.ts) on the same point reads, the figures
// the service's are compared with, and `floor` bare Fastify with the service's request log
// (fastify-floor.ts); either, followed by `list` or `search`, on that page instead. With --perf,
// Linux perf samples the main thread instead (perf.ts): all of its CPU, the kernel's and V8's included,
// where --cpu-prof sees only JavaScript and misses about 40% of it.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { activeIds, seedBenchDatabase } from './seed.ts'
import { built, start, startBaseline, startService } from './process.ts'
import { wrk, type Load } from './wrk.ts'
import { isJavaScript, owner, perfRecord, PERF_NODE_FLAGS, type PerfSamples } from './perf.ts'
import { seedLabels } from './labels.ts'
import { PAGE_PATHS, pageScenario, recordScenarios } from './scenarios.ts'

interface Frame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: Frame, hitCount?: number, children?: number[] }
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[] }

function where (url: string): string {
  if (!url) return '(native)'
  if (url.startsWith('node:')) return 'node:'
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1]!
  const src = /\/(src|test)\/(.*)$/.exec(url)
  return src ? `${src[1]}/${src[2]}` : url
}

export async function benchProfile (server: string): Promise<void> {
  const url = await seedBenchDatabase(server)
  const ids = await activeIds(url)
  const usePerf = process.argv.includes('--perf')
  const [target, then] = process.argv.slice(3).filter((a) => a !== '--perf')
  const bare = target === 'baseline' || target === 'floor'
  const page = pageScenario(bare ? then : target)
  let scenario = 'GET /v1/products/{id}'
  let paths = ids.map((id) => `/v1/products/${id}`)
  if (target === 'labels') {
    scenario = 'GET /v1/labels/{token}'
    paths = (await seedLabels(url)).map((token) => `/v1/labels/${token}`)
  } else if (bare) {
    scenario = `${target === 'floor' ? 'bare Fastify with the service\'s request log' : 'bare prepared server'}, GET ${page ? `/${page}` : '/product/{id}'}`
    paths = page ? [`/${page}`] : ids.map((id) => `/product/${id}`)
  } else if (page) {
    scenario = `GET ${PAGE_PATHS[page]}`
    paths = [PAGE_PATHS[page]]
  }
  const dir = mkdtempSync(join(tmpdir(), 'ocop-profile-'))
  const level = process.env.LOG_LEVEL ?? 'info'
  const flags = usePerf ? PERF_NODE_FLAGS : ['--cpu-prof', `--cpu-prof-dir=${dir}`]
  const scenarios = bare ? (await recordScenarios(url)).file : ''
  const service = target === 'baseline'
    ? await startBaseline(url, 3111, scenarios, true, flags)
    : target === 'floor'
      ? await start(['test/bench/fastify-floor.ts'], { DATABASE_URL: url, PORT: '3111', SCENARIOS: scenarios, DB_POOL_MAX: '10', LOG: '1' }, `http://127.0.0.1:3111/product/${ids[0]}`, flags)
      : await startService(built(), url, 3111, flags, level)
  const seconds = Number(process.env.BENCH_SECONDS ?? 10)
  if (usePerf) {
    wrk('http://127.0.0.1:3111', paths, { connections: 32, seconds: 2, warm: true })
    let load: Load | undefined
    const recorded = await perfRecord(service.pid!, seconds, () => { load = wrk('http://127.0.0.1:3111', paths, { connections: 32, seconds, warm: true }) })
    await new Promise((resolve) => { service.once('exit', resolve); service.kill('SIGTERM') })
    printPerf(`${scenario}${bare ? '' : `, LOG_LEVEL=${level}`}`, load!, recorded, load!.rps * seconds)
    return
  }
  const load = wrk('http://127.0.0.1:3111', paths, { connections: 32, seconds })
  await new Promise((resolve) => { service.once('exit', resolve); service.kill('SIGTERM') })
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no profile written in ${dir}`)
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile
  const perSample = (profile.endTime - profile.startTime) / 1000 / profile.samples.length
  // Only the samples from the first request on: start-up (loading and compiling modules) is not a request's cost.
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const inRequest = (id: number | undefined): boolean => {
    for (; id !== undefined; id = parent.get(id)) if (byId.get(id)!.callFrame.functionName === 'parserOnHeadersComplete') return true
    return false
  }
  const first = profile.samples.findIndex((id) => inRequest(id))
  const hitsOf = new Map<number, number>()
  for (const id of profile.samples.slice(first)) hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1)
  const self = new Map<string, number>()
  const packages = new Map<string, number>()
  let total = 0
  let idle = 0
  for (const [id, hits] of hitsOf) {
    const node = byId.get(id)!
    if (node.callFrame.functionName === '(idle)') { idle += hits; continue }
    const { functionName, url: source, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${where(source)}:${lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + hits)
    const owner = where(source).replace(/^(src|test)\/([^/]+).*$/, '$1/$2')
    packages.set(owner, (packages.get(owner) ?? 0) + hits)
    total += hits
  }
  // Each share as CPU per request: the samples' time over the requests wrk completed (its warm-up included).
  const requests = load.rps * (Number(process.env.BENCH_SECONDS ?? 10) + 2)
  const pct = (n: number) => `${(100 * n / total).toFixed(1).padStart(5)}% ${(n * perSample * 1000 / requests).toFixed(1).padStart(6)} µs/req`
  console.log(`\n${scenario}${bare ? '' : `, LOG_LEVEL=${level}`}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms; ${total} busy samples (${idle} idle) of ${perSample.toFixed(2)} ms, ${(total * perSample * 1000 / requests).toFixed(0)} µs of CPU per request on the main thread (profile ${join(dir, file)})`)
  console.log('\nself time by package or source directory:')
  for (const [name, hits] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(hits)}  ${name}`)
  console.log('\ntop frames by self time:')
  for (const [name, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(hits)}  ${name}`)
}

/** A perf frame's package or source directory, as where() gives a V8 profile's. */
function perfWhere (frame: string): string {
  if (frame === '[kernel]') return 'kernel'
  const file = frame.split(' ').pop()!
  if (!isJavaScript(file)) return '(native: V8, Node, libc)'
  if (file.startsWith(':')) return '(generated by new Function: serialisers, validators)'
  if (file.startsWith('node:')) return 'node:'
  const own = /^(src|test|dist)\/([^/]+)/.exec(file)
  if (own) return `${own[1]}/${own[2]}`
  return /^((?:@[^/]+\/)?[^/:]+)/.exec(file)?.[1] ?? file
}

/** The main thread's CPU per request from perf's samples, by package and by the frame charged (owner()). */
function printPerf (scenario: string, load: Load, recorded: PerfSamples, requests: number): void {
  const byFrame = new Map<string, number>()
  const byPackage = new Map<string, number>()
  for (const stack of recorded.stacks) {
    const frame = owner(stack)
    const where = perfWhere(frame)
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + 1)
    byPackage.set(where, (byPackage.get(where) ?? 0) + 1)
  }
  const us = (n: number) => n * 1e6 / recorded.hz / requests
  const line = (n: number) => `${(100 * n / recorded.samples).toFixed(1).padStart(5)}% ${us(n).toFixed(1).padStart(6)} µs/req`
  console.log(`\n${scenario}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms; perf: ${recorded.samples} samples of the main thread at ${recorded.hz} Hz, ${us(recorded.samples).toFixed(0)} µs of its CPU per request (JavaScript, V8, libc and the kernel)`)
  console.log('\nby package or source directory (each sample charged to the kernel, else its innermost JavaScript function):')
  for (const [name, n] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${line(n)}  ${name}`)
  console.log('\ntop frames:')
  for (const [name, n] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${line(n)}  ${name}`)
}
