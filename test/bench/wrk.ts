// The load generator: wrk (Debian package `wrk`), in its own process, so it never shares an event loop
// with what it measures. Paths rotate through a list (ids for point reads) by a Lua script.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from './stats.ts'
import { requireTool } from './process.ts'

export interface Load { rps: number, p50: number, p99: number, errors: number }

/** wrk's path, installing the Debian package when this process may; otherwise says how. */
export const requireWrk = (): string => requireTool('wrk', 'wrk', 'the bench (it drives the servers with wrk)')

const ms = (text: string): number => {
  const m = /([\d.]+)(us|ms|s)\b/.exec(text)
  if (!m) return NaN
  const n = Number(m[1])
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n
}

export interface WrkOptions { connections: number, seconds: number, headers?: Record<string, string>, warm?: boolean, thinkMs?: number, threads?: number }

/** wrk's command line for a run of `seconds`: the paths in turn from a Lua script written to a temporary directory. */
function wrkCommand (base: string, paths: string[], options: WrkOptions): (seconds: number) => [string, string[]] {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-wrk-'))
  writeFileSync(join(dir, 'paths.txt'), paths.join('\n') + '\n')
  writeFileSync(join(dir, 'paths.lua'), `
${Object.entries(options.headers ?? {}).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`).join('\n')}
local paths = {}
for line in io.lines("${join(dir, 'paths.txt')}") do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
${options.thinkMs ? `delay = function() return ${Math.round(options.thinkMs)} end` : ''}
`)
  return (seconds) => [requireWrk(), [`-t${options.threads ?? 2}`, `-c${options.connections}`, `-d${seconds}s`, '--latency', '-s', join(dir, 'paths.lua'), base]]
}

/** What a wrk run printed, as a Load (requests a second, p50 and p99 in ms, errors). */
function parseWrk (out: string): Load & { requests: number } {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '')
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '')
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors:.*?timeout (\d+)/.exec(out)?.[1] ?? 0)
  const requests = Number(/(\d+) requests in/.exec(out)?.[1])
  return { rps, p50, p99, errors, requests }
}

/**
 * Runs wrk for `seconds` against base + each path in turn; a 2 s warm-up run first unless `warm` says
 * the server is. With `thinkMs`, each connection waits that long after an answer before its next request
 * (wrk's `delay`): the load is then set by the clients, not by how fast the server answers.
 */
export function wrk (base: string, paths: string[], options: WrkOptions): Load {
  const command = wrkCommand(base, paths, options)
  const run = (seconds: number) => execFileSync(...command(seconds), { encoding: 'utf8' })
  if (!options.warm) run(2)
  const { rps, p50, p99, errors } = parseWrk(run(options.seconds))
  return { rps, p50, p99, errors }
}

/** The same as wrk (no warm-up), without blocking: several can run at once. Also answers the count of requests. */
export async function wrkAsync (base: string, paths: string[], options: WrkOptions): Promise<Load & { requests: number }> {
  const { stdout } = await promisify(execFile)(...wrkCommand(base, paths, options)(options.seconds), { encoding: 'utf8' })
  return parseWrk(stdout)
}

/** A rate and a Load's p50/p99, padded for the bench's tables. */
export const rate = (x: number) => x.toFixed(0).padStart(6)
export const latencies = (l: Load) => `${l.p50.toFixed(1).padStart(5)} ${l.p99.toFixed(1).padStart(6)}`

export interface Paired { rounds: number, seconds: number, ratios: number[], p99Ratios: number[], median: number, p99Median: number }

/**
 * A's rate over B's, measured in short runs taken in turn (A B, B A, A B, ...) rather than one long run
 * of each: on a shared host whose speed drifts by half within minutes, one run each compares two
 * different machines, while a pair of adjacent runs sees about the same one. Answers each pair's ratio
 * (rate and p99) and their medians. Both servers must be warm.
 */
export function paired (a: (seconds: number) => Load, b: (seconds: number) => Load, rounds = 6, seconds = 3): Paired {
  const ratios: number[] = []
  const p99Ratios: number[] = []
  for (let i = 0; i < rounds; i++) {
    let x: Load, y: Load
    if (i % 2) { y = b(seconds); x = a(seconds) } else { x = a(seconds); y = b(seconds) }
    ratios.push(x.rps / y.rps)
    p99Ratios.push(x.p99 / Math.max(y.p99, 0.1))
  }
  return { rounds, seconds, ratios, p99Ratios, median: median(ratios), p99Median: median(p99Ratios) }
}

/** A Paired as one line: the median ratio and its range. */
export const pairedLine = (p: Paired) =>
  `${p.median.toFixed(2)} (${Math.min(...p.ratios).toFixed(2)}-${Math.max(...p.ratios).toFixed(2)}), p99 ratio ${p.p99Median.toFixed(2)} (${Math.min(...p.p99Ratios).toFixed(2)}-${Math.max(...p.p99Ratios).toFixed(2)}), ${p.rounds} pairs of ${p.seconds} s runs`
