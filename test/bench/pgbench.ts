// The ceiling: the database alone, pgbench -M prepared sending the statements a request sends, with
// the same connections and duration. Point reads pick their id from bench_ids by a random number.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { isId, type Statement } from './statements.ts'

export type { Statement }

export interface Ceiling { tps: number, latencyMs: number }

/** Loads the ids the scenarios rotate through into bench_ids(n, id). */
export async function loadIds (url: string, ids: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('DROP TABLE IF EXISTS bench_ids; CREATE TABLE bench_ids (n int PRIMARY KEY, id uuid NOT NULL)')
    await client.query('INSERT INTO bench_ids SELECT n, id FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)', [ids])
  } finally { await client.end() }
}

const literal = (value: unknown): string => value === null || value === undefined
  ? 'NULL'
  : Array.isArray(value) ? `ARRAY[${value.map(literal).join(',')}]` : `'${String(value).replace(/'/g, "''")}'`

/**
 * pgbench's script for one request: each statement with its parameters inlined, except the id of a
 * point read (its uuid parameter), which becomes the id numbered :n in bench_ids.
 */
export function script (statements: Statement[], pointRead: boolean, idCount: number): string {
  const lines = [`\\set n random(1, ${idCount})`]
  for (const s of statements) {
    const text = s.sql.replace(/\$(\d+)/g, (_, i: string) => {
      const value = s.params[Number(i) - 1]
      return pointRead && isId(value) ? '(SELECT id FROM bench_ids WHERE n = :n)' : literal(value)
    })
    lines.push(text.replace(/\s*\n\s*/g, ' ') + ';')
  }
  return lines.join('\n') + '\n'
}

export function pgbench (url: string, body: string, options: { connections: number, seconds: number }): Ceiling {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-pgbench-'))
  writeFileSync(join(dir, 'script.sql'), body)
  const out = execFileSync('pgbench', ['-n', '-M', 'prepared', '-c', String(options.connections), '-j', '2', '-T', String(options.seconds), '-f', join(dir, 'script.sql'), url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  return { tps: Number(/tps = ([\d.]+)/.exec(out)?.[1]), latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]) }
}
