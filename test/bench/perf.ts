// The system profiler (Linux perf) on a server's main thread: every CPU sample it takes there, JavaScript,
// V8's own work, libc and the kernel's, where V8's --cpu-prof sees only what runs inside V8 and counted
// some 40% less than /proc did on a point read (2026-11-30). Node runs with --perf-basic-prof so that
// perf can name JIT-compiled functions. Needs perf (Debian package linux-perf), and root (as the bench runs
// here) or a kernel.perf_event_paranoid low enough for a user to sample the kernel's side of a thread.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireTool } from './process.ts'

const HZ = 1999

/** Node's flag for perf: a map of JIT-compiled code, /tmp/perf-<pid>.map. */
export const PERF_NODE_FLAGS = ['--perf-basic-prof']

export interface PerfSamples { samples: number, hz: number, stacks: string[][] }

/**
 * Samples thread `tid` (a process's main thread has the process's id) for `seconds` while `load` runs,
 * and gives each sample's stack, innermost frame first, as perf names the frames.
 */
export async function perfRecord (tid: number, seconds: number, load: () => void): Promise<PerfSamples> {
  const perf = requireTool('perf', 'linux-perf', 'npm run bench -- profile --perf')
  const file = join(mkdtempSync(join(tmpdir(), 'ocop-perf-')), 'perf.data')
  const recorder = spawn(perf, ['record', '-F', String(HZ), '-e', 'cpu-clock', '-g', '-t', String(tid), '-o', file, '--', 'sleep', String(seconds)], { stdio: 'ignore' })
  const done = new Promise<number | null>((resolve) => recorder.once('exit', resolve))
  load()
  const code = await done
  if (code !== 0) throw new Error(`perf record exited with ${code}: run the bench as root, or lower /proc/sys/kernel/perf_event_paranoid`)
  latestCode(`/tmp/perf-${tid}.map`)
  const script = execFileSync(perf, ['script', '-i', file, '-F', 'ip,sym,dso'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] })
  const stacks = script.split('\n\n').map((block) => block.split('\n').map((line) => line.trim()).filter(Boolean).map(frameName)).filter((s) => s.length)
  return { samples: stacks.length, hz: HZ, stacks }
}

/**
 * Keeps, where V8 put new code at an address that held other code before (start-up's, since collected),
 * only the newest entry of the JIT map: perf would otherwise name a request's frame after a function
 * that ran once at start-up.
 */
function latestCode (map: string): void {
  if (!existsSync(map)) return
  const entries = readFileSync(map, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [start, size] = line.split(' ', 2)
    return { start: parseInt(start!, 16), end: parseInt(start!, 16) + parseInt(size!, 16), line }
  })
  const kept: typeof entries = [] // by start, none overlapping
  const before = (start: number) => { // how many kept entries start before `start`
    let lo = 0
    let hi = kept.length
    while (lo < hi) { const mid = (lo + hi) >> 1; if (kept[mid]!.start < start) lo = mid + 1; else hi = mid }
    return lo
  }
  for (const entry of entries.reverse()) {
    const i = before(entry.start)
    if ((i > 0 && kept[i - 1]!.end > entry.start) || (i < kept.length && kept[i]!.start < entry.end)) continue
    kept.splice(i, 0, entry)
  }
  writeFileSync(map, kept.map((e) => e.line).join('\n') + '\n')
}

/** A frame of perf script's output ("ip symbol+offset (dso)") as a name: the kernel's frames are one. */
function frameName (line: string): string {
  if (line.includes('[kernel.kallsyms]')) return '[kernel]'
  const symbol = line.replace(/^[0-9a-f]+\s+/, '').replace(/\s+\([^()]*\)$/, '').replace(/\+0x[0-9a-f]+$/, '')
  return symbol.replace(/^JS:\*?/, '').replace(/(?:file:\/\/)?\/\S*?\/node_modules\//, '').replace(/(?:file:\/\/)?\/\S*?\/(dist|src|test)\//, '$1/')
}

/** Whether a frame is a JavaScript function: perf names those by file, line and column. */
export const isJavaScript = (frame: string) => /:\d+:\d+$/.test(frame)

/** The frame a sample's time is charged to: the kernel, else the innermost JavaScript function (V8's builtins and C++ run on its behalf), else the innermost native symbol. */
export function owner (stack: string[]): string {
  return stack.find((f) => f === '[kernel]' || isJavaScript(f)) ?? stack[0]!
}
