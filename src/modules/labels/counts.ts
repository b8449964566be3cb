import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'

interface Pending { batchId: string, count: number, firstAt: string, lastAt: string }

/** Past this many labels waiting (the database away for long), new labels' scans are not counted; how many is logged once a round. */
const MAX_PENDING = 100_000

/**
 * Scans of labels, counted in memory and written in one statement every interval: a scan costs no
 * write of its own, which is what lets verification keep up with a crowd of shoppers. What a scan
 * answers is the stored count plus this instance's scans not yet written; another instance's scans
 * show within one interval. Written on close; a crash loses at most one interval's scans (the count
 * is a signal of copying, not a record anyone was told was saved). A failed write is kept and retried.
 */
export class VerificationCounts {
  private pending = new Map<number, Pending>()
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

  /** Counts one scan now; answers this instance's unwritten scans of the serial, this one included. */
  add (serial: number, batchId: string, at: string): Pending {
    const seen = this.pending.get(serial)
    if (seen) {
      seen.count++
      seen.lastAt = at
      return seen
    }
    const fresh = { batchId, count: 1, firstAt: at, lastAt: at }
    if (this.pending.size < MAX_PENDING) this.pending.set(serial, fresh)
    else this.dropped++
    return fresh
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
    if (!this.pending.size) return
    // What is sent stays pending until it is written: a scan answered while the write is under way reads
    // the stored count without it, so it must still find it here (taken out only once committed).
    const rows = [...this.pending].map(([serial, p]) => [serial, { ...p }] as const)
    try {
      await this.db.execute(sql`INSERT INTO label_verifications (serial, batch_id, count, first_at, last_at)
        SELECT * FROM unnest(${`{${rows.map(([s]) => s).join(',')}}`}::int8[], ${`{${rows.map(([, p]) => p.batchId).join(',')}}`}::uuid[],
          ${`{${rows.map(([, p]) => p.count).join(',')}}`}::int4[], ${`{${rows.map(([, p]) => `"${p.firstAt}"`).join(',')}}`}::timestamptz[],
          ${`{${rows.map(([, p]) => `"${p.lastAt}"`).join(',')}}`}::timestamptz[])
        ON CONFLICT (serial) DO UPDATE SET count = label_verifications.count + excluded.count, last_at = GREATEST(label_verifications.last_at, excluded.last_at)`)
    } catch (err) {
      // Still pending, with the scans counted meanwhile: written on the next round.
      this.onError(err)
      return
    }
    for (const [serial, sent] of rows) {
      const now = this.pending.get(serial)!
      if (now.count === sent.count) this.pending.delete(serial)
      else now.count -= sent.count
    }
  }
}
