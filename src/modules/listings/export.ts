import { PassThrough } from 'node:stream'
import { sql } from 'drizzle-orm'
import copyStreams from 'pg-copy-streams'
import type pg from 'pg'
import type { DbHandle } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'
import { FEED_HEAD, feedCursor } from './service.ts'

const SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'
// CSV with a quote and a delimiter that JSON text never holds raw (control characters are escaped in
// JSON): each line leaves PostgreSQL exactly as built, with no COPY escaping of backslashes.
const COPY = 'COPY (SELECT export_line FROM listings ORDER BY product_id) TO STDOUT WITH (FORMAT csv, QUOTE E\'\\x01\', DELIMITER E\'\\x02\')'
// A slow reader holds the COPY open: it is one statement, so it gets longer than the usual timeout.
const COPY_TIMEOUT = "SET LOCAL statement_timeout = '30min'"
const BATCH = 1000
const NEWLINE = 10

const endLine = (count: number, position: number) => `${JSON.stringify({ type: 'end', count, nextCursor: feedCursor(position) })}\n`

/** Writes a chunk, and waits while the client is slower than the database (false when it went away). */
async function send (out: PassThrough, chunk: string | Buffer): Promise<boolean> {
  if (out.destroyed) return false
  if (!out.write(chunk)) {
    await new Promise<void>((resolve) => {
      const go = () => { out.off('drain', go); out.off('close', go); resolve() }
      out.on('drain', go).on('close', go)
    })
  }
  return !out.destroyed
}

function linesIn (chunk: Buffer): number {
  let n = 0
  for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) n++
  return n
}

/**
 * Every listing as NDJSON (`{"type":"listing","listing":…}` per line) from one REPEATABLE READ snapshot,
 * then `{"type":"end","count":…,"nextCursor":…}`: the feed position of that snapshot. Feed order is
 * commit order, so the changes after it are exactly those the snapshot lacks. Resolves once the
 * snapshot is taken (a database that is away fails here: a 503, not a broken 200). Writes wait for the
 * client (backpressure), so memory stays flat whatever the number of listings and the reader's speed.
 * Each line is the listing's stored `export_line`, so the service never parses a listing. On PostgreSQL
 * the lines come out of one COPY; on PGlite, in batches.
 */
export function exportListings (handle: DbHandle, onError: (err: unknown) => void): Promise<PassThrough> {
  return handle.pool ? copyExport(handle.pool, onError) : batchExport(handle, onError)
}

async function copyExport (pool: pg.Pool, onError: (err: unknown) => void): Promise<PassThrough> {
  const client = await pool.connect()
  let position: number
  try {
    await client.query(SNAPSHOT)
    position = Number((await client.query<{ seq: string }>(FEED_HEAD)).rows[0]!.seq)
    await client.query(COPY_TIMEOUT)
  } catch (err) {
    client.release(err as Error)
    throw err
  }
  const out = new PassThrough()
  const stream = async () => {
    let count = 0
    for await (const chunk of client.query(copyStreams.to(COPY)) as AsyncIterable<Buffer>) {
      count += linesIn(chunk)
      // The client went away: the connection is dropped with the COPY in it, not put back.
      if (!await send(out, chunk)) throw new Error('the client closed the export')
    }
    await client.query('COMMIT')
    client.release()
    out.end(endLine(count, position))
  }
  stream().catch((err) => {
    client.release(err as Error)
    if (!out.destroyed) { onError(err); out.destroy(err as Error) }
  })
  return out
}

async function batchExport (handle: DbHandle, onError: (err: unknown) => void): Promise<PassThrough> {
  const out = new PassThrough()
  let started!: (position: number) => void
  const snapshot = new Promise<number>((resolve) => { started = resolve })
  const done = handle.db.transaction(async (tx) => {
    const [{ seq } = { seq: '0' }] = await rowsOf<{ seq: string }>(tx, sql.raw(FEED_HEAD))
    started(Number(seq))
    let after: string | null = null
    let count = 0
    for (;;) {
      const rows: { id: string, line: string }[] = await rowsOf(tx, sql`SELECT product_id AS id, export_line AS line FROM listings
        WHERE ${after === null ? sql`true` : sql`product_id > ${after}`} ORDER BY product_id LIMIT ${BATCH}`)
      if (!rows.length) break
      count += rows.length
      after = rows[rows.length - 1]!.id
      if (!await send(out, rows.map((r) => `${r.line}\n`).join(''))) return
    }
    out.end(endLine(count, Number(await snapshot)))
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' })
  await Promise.race([snapshot, done])
  done.catch((err) => {
    if (!out.destroyed) { onError(err); out.destroy(err as Error) }
  })
  return out
}
