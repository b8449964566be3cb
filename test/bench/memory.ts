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
