// What a command prints while it works, on stderr (stdout keeps the result): a bar on a terminal, a line
// every few seconds otherwise (CI logs, `docker compose run`), through cli-progress.
import { Presets, SingleBar } from 'cli-progress'
import type { MigrationProgress } from '../db/migrate.ts'

export interface Progress { tick: (n?: number) => void, done: () => void }

export function progressBar (label: string, total: number, unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total} ${unit} · {duration_formatted}`,
    stream,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    hideCursor: true
  }, Presets.shades_classic)
  bar.start(total, 0)
  return { tick: (n = 1) => bar.increment(n), done: () => bar.stop() }
}

/** Migrations, as lines: how many are pending, then each one as it is applied. */
export function migrationLines (stream: NodeJS.WritableStream = process.stderr): MigrationProgress {
  return {
    pending: (tags) => { if (tags.length) stream.write(`Applying ${tags.length} migrations…\n`) },
    applied: ({ tag, index, total, ms }) => stream.write(`  ${index}/${total} ${tag} (${ms} ms)\n`)
  }
}
