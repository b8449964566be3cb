// A process's resident memory from /proc: now (VmRSS) and its peak (VmHWM) since the last reset.
import { readFileSync, writeFileSync } from 'node:fs'

const kb = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024

/** Resident memory in MB: now, and the peak since start or since resetPeak. */
export function memory (pid: number): { now: number, peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { now: kb(status, 'VmRSS'), peak: kb(status, 'VmHWM') }
}

/** Starts a new peak from the present resident size (Linux: clear_refs 5; needs to own the process). */
export function resetPeak (pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}

/**
 * Resident memory just after start, and once idle: V8's memory reducer gives back the start-up heap
 * after some time without work (seen: 156 MB at start, 117 MB after 20-40 s; on a busy host, not yet
 * after a minute). Samples every 5 s for up to `seconds`, keeping the lowest.
 */
export async function idleMemory (pid: number, seconds = 90): Promise<{ started: number, idle: number }> {
  const started = memory(pid).now
  let idle = started
  for (let waited = 0; waited < seconds; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000))
    idle = Math.min(idle, memory(pid).now)
  }
  return { started, idle }
}

/**
 * CPU time (user and system) a process has used, in seconds (Linux: /proc/<pid>/stat, in clock ticks of
 * 1/100 s); with `mainThread`, its main thread's alone (/proc/<pid>/task/<pid>/stat): JavaScript runs
 * there, and a Node server whose main thread is busy all the time can go no faster.
 */
export function cpuSeconds (pid: number, mainThread = false): number {
  const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
