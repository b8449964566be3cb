import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { rowsOf } from '../../db/rows.ts'

interface Pending { batchId: string, count: number, firstAt: string, lastAt: string }

/** Scans written together: `xid` is the writing transaction's, `written` the order in which this instance learnt it committed. */
interface Batch { scans: Map<number, Pending>, xid: bigint | null, written: number | null }

/** A read of stored counts under way: how many batches this instance knew written when it was sent. */
export interface Reading { readonly after: number }

/** What a read saw: its ticket, and its statement's snapshot (`pg_current_snapshot()::text`, xmin:xmax:xip,…). */
export interface Seen { reading: Reading, snapshot: string }

/** Past this many labels waiting (the database away for long), new labels' scans are not counted; how many is logged once a round. */
const MAX_PENDING = 100_000

/**
 * Whether a transaction had ended when the snapshot was taken (PostgreSQL's own test: below xmin, or
 * below xmax and not in progress). For a write that had not failed, ended means committed.
 */
export function endedIn (snapshot: string, xid: bigint): boolean {
  const [xmin, xmax, xip = ''] = snapshot.split(':')
  if (xid < BigInt(xmin!)) return true
  return xid < BigInt(xmax!) && !xip.split(',').some((x) => x !== '' && BigInt(x) === xid)
}

/**
 * Scans of labels, counted in memory and written in one statement every interval: a scan costs no
 * write of its own, which is what lets verification keep up with a crowd of shoppers. Another
 * instance's scans show within one interval. Written on close; a crash loses at most one interval's
 * scans (the count is a signal of copying, not a record anyone was told was saved). A failed write is
 * kept and retried.
 *
 * What a scan answers is the stored count its statement read plus this instance's scans that statement
 * did not see: not yet sent, being written, or written after its snapshot. Each write learns its
 * transaction id before it commits; a read's snapshot says whether that transaction had committed, so a
 * write that commits while a scan is under way is counted once, never missed or doubled. Written
 * batches are kept until no read sent before they were known written is still under way.
 */
export class VerificationCounts {
  private open: Batch = { scans: new Map(), xid: null, written: null }
  /** Sent, oldest first: being written, or written but possibly unseen by a read under way. */
  private sent: Batch[] = []
  private written = 0
  /** Reads under way, by how many batches were known written when each was sent. */
  private reads = new Map<number, number>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  /** Scans not counted since the last report, because too many were waiting. */
  private dropped = 0

  private readonly db: Db
  private readonly onError: (err: unknown, dropped?: number) => void

  constructor (db: Db, onError: (err: unknown, dropped?: number) => void) {
    this.db = db
    this.onError = onError
  }

  /** Taken before a statement that reads stored counts is sent; given back with `release` once its answer is counted. */
  reading (): Reading {
    const after = this.written
    this.reads.set(after, (this.reads.get(after) ?? 0) + 1)
    return { after }
  }

  release (reading: Reading): void {
    const left = this.reads.get(reading.after)! - 1
    if (left) this.reads.set(reading.after, left)
    else this.reads.delete(reading.after)
    this.prune()
  }

  /** Counts one scan now; answers this instance's scans of the serial that the read did not see, this one included. */
  add (serial: number, batchId: string, at: string, seen: Seen): Pending {
    const scans = this.open.scans
    const mine = scans.get(serial)
    if (mine) {
      mine.count++
      mine.lastAt = at
    } else if (scans.size < MAX_PENDING) scans.set(serial, { batchId, count: 1, firstAt: at, lastAt: at })
    else this.dropped++
    const unseen: Pending = { batchId, count: mine || scans.has(serial) ? 0 : 1, firstAt: at, lastAt: at }
    // Newest first, so that the oldest unseen batch gives the first scan.
    for (let i = this.sent.length; i >= 0; i--) {
      const batch = i === this.sent.length ? this.open : this.sent[i]!
      const p = batch.scans.get(serial)
      if (!p || this.saw(batch, seen)) continue
      unseen.count += p.count
      unseen.firstAt = p.firstAt
    }
    return unseen
  }

  private saw (batch: Batch, { reading, snapshot }: Seen): boolean {
    if (batch.written !== null && batch.written <= reading.after) return true
    return batch.xid !== null && endedIn(snapshot, batch.xid)
  }

  start (intervalMs: number): void {
    this.timer = setInterval(() => { this.flush().catch(() => {}) }, intervalMs)
    this.timer.unref()
  }

  /** Writes what is pending (one statement); waits for a write already under way first. */
  flush (): Promise<void> {
    this.flushing = this.flushing.then(() => this.write())
    return this.flushing
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    await this.flush()
  }

  private async write (): Promise<void> {
    if (this.dropped) {
      this.onError(new Error(`${this.dropped} label scans were not counted: ${MAX_PENDING} labels were waiting to be written`), this.dropped)
      this.dropped = 0
    }
    if (!this.open.scans.size) return
    const batch = this.open
    this.open = { scans: new Map(), xid: null, written: null }
    this.sent.push(batch)
    const rows = [...batch.scans]
    try {
      await this.db.transaction(async (tx) => {
        // Known before the commit, so that a read can tell from its snapshot whether it saw this write.
        const [{ xid } = { xid: '' }] = await rowsOf<{ xid: string }>(tx, sql`SELECT pg_current_xact_id()::text AS xid`)
        batch.xid = BigInt(xid)
        await tx.execute(sql`INSERT INTO label_verifications (serial, batch_id, count, first_at, last_at)
          SELECT * FROM unnest(${`{${rows.map(([s]) => s).join(',')}}`}::int8[], ${`{${rows.map(([, p]) => p.batchId).join(',')}}`}::uuid[],
            ${`{${rows.map(([, p]) => p.count).join(',')}}`}::int4[], ${`{${rows.map(([, p]) => `"${p.firstAt}"`).join(',')}}`}::timestamptz[],
            ${`{${rows.map(([, p]) => `"${p.lastAt}"`).join(',')}}`}::timestamptz[])
          ON CONFLICT (serial) DO UPDATE SET count = label_verifications.count + excluded.count, last_at = GREATEST(label_verifications.last_at, excluded.last_at)`)
      })
    } catch (err) {
      // Not written: its scans go back with those counted meanwhile (older, so they give the first scan), for the next round.
      this.sent.splice(this.sent.indexOf(batch), 1)
      for (const [serial, p] of rows) {
        const later = this.open.scans.get(serial)
        if (later) Object.assign(later, { count: later.count + p.count, firstAt: p.firstAt })
        else this.open.scans.set(serial, p)
      }
      this.onError(err)
      return
    }
    batch.written = ++this.written
    this.prune()
  }

  /** Drops written batches that every read under way was sent after. */
  private prune (): void {
    const oldest = this.reads.size ? Math.min(...this.reads.keys()) : this.written
    if (this.sent[0]?.written != null && this.sent[0].written <= oldest) {
      this.sent = this.sent.filter((b) => b.written === null || b.written > oldest)
    }
  }
}
