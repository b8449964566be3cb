// Label scans as the public makes them, through the built service: the verification as JSON (an app)
// and the page (a phone's browser), every scan counted. `npm run bench -- labels` runs these alone.
import { BROWSER_ACCEPT } from '../helpers/labels.ts'
import { memory, resetPeak } from './memory.ts'
import { built, startService } from './process.ts'
import { PRINTED, seedLabels } from './labels.ts'
import { seedBenchDatabase } from './seed.ts'
import { latencies, rate, wrk, type Load } from './wrk.ts'

export interface Scan { name: string, load: Load, peak: number }

/** wrk against the service's label URL, once as an app asks (JSON) and once as a browser (the page). */
export function scanLoads (base: string, pid: number, tokens: string[], load: { connections: number, seconds: number }): Scan[] {
  const paths = tokens.map((token) => `/v1/labels/${token}`)
  return ([['label verification (JSON)', 'application/json'], ['label page (HTML)', BROWSER_ACCEPT]] as const).map(([name, accept]) => {
    resetPeak(pid)
    const result = wrk(base, paths, { ...load, headers: { Accept: accept } })
    return { name, load: result, peak: memory(pid).peak }
  })
}

export const printScans = (scans: Scan[], tokens: number) => {
  for (const { name, load, peak } of scans) {
    console.log(`${name.padEnd(27)} | ${rate(load.rps)} ${latencies(load)} | ${PRINTED.toLocaleString('en')} labels printed, ${tokens.toLocaleString('en')} scanned in turn; the service alone (every scan counted)${' '.repeat(13)} | ${peak.toFixed(0).padStart(8)} MB${load.errors ? `  (errors ${load.errors})` : ''}`)
  }
}

export async function benchLabels (server: string) {
  const url = await seedBenchDatabase(server)
  const tokens = await seedLabels(url)
  const service = await startService(built(), url, 3101)
  try {
    const scans = scanLoads('http://127.0.0.1:3101', service.pid!, tokens, { connections: 32, seconds: Number(process.env.BENCH_SECONDS ?? 10) })
    console.log('\nwrk, 32 connections; req/s, p50 and p99 in ms, RSS peak\n')
    printScans(scans, tokens.length)
  } finally {
    service.kill('SIGTERM')
  }
}
