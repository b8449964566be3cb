import { LRUCache } from 'lru-cache'
import type { DbHandle } from './client.ts'

/** The channel migration 0029 NOTIFYs on, at commit, for every statement that writes to a table the catalogue's reads read. */
export const CATALOGUE_CHANGES = 'catalogue_changes'

/** Reads answered from memory and from the database; NOTIFYs heard (and LISTENs put in place). */
export interface ReadCacheCounts { hits: number, misses: number, notifications: number }

/**
 * What public catalogue reads loaded from the database, kept in memory by what they depend on (the
 * request's parameters and the day they are read on), so that a repeated read does not go to the
 * database. An answer here is never older than the database's last committed change that this instance
 * has heard of; everything is dropped at once when:
 * - a NOTIFY on `catalogue_changes` arrives (a write by any instance, a seed, an operator's SQL);
 * - this instance handles a write request (at its start and before its answer is sent), so a client
 *   reads its own write at once, without waiting for the notification;
 * - the LISTEN connection is lost: nothing is kept or served until it is back (then emptied again,
 *   since notifications sent meanwhile were lost).
 * A read that was loading when the catalogue changed is not kept (it may hold the version before).
 * `maxBytes` 0 turns it off; entries are sized by their JSON text and the least recently used go first.
 */
export class ReadCache {
  private readonly entries?: LRUCache<string, object>
  private generation = 0
  private listening = false
  private unlisten?: () => Promise<void>
  readonly counts: ReadCacheCounts = { hits: 0, misses: 0, notifications: 0 }

  constructor (maxBytes: number) {
    if (maxBytes > 0) this.entries = new LRUCache<string, object>({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, JSON.stringify(value).length) })
  }

  /** Starts listening; until the LISTEN is in place, reads go to the database. */
  async start (handle: DbHandle): Promise<void> {
    if (!this.entries) return
    this.unlisten = await handle.listen(CATALOGUE_CHANGES, () => {
      this.counts.notifications++
      this.listening = true
      this.invalidate()
    }, () => { this.listening = false; this.invalidate() })
  }

  async stop (): Promise<void> {
    this.listening = false
    this.invalidate()
    await this.unlisten?.()
  }

  /** Whether answers are kept now (on, and listening). */
  get active (): boolean { return this.entries !== undefined && this.listening }

  get size (): number { return this.entries?.size ?? 0 }

  /** The kept answer under `key`, else `load()`'s, kept when it is an object and nothing changed while it loaded. */
  async read<T extends object | undefined> (key: string, load: () => Promise<T>): Promise<T> {
    if (!this.entries || !this.listening) return load()
    const kept = this.entries.get(key)
    if (kept !== undefined) {
      this.counts.hits++
      return kept as T
    }
    this.counts.misses++
    const generation = this.generation
    const value = await load()
    if (value !== undefined && generation === this.generation && this.listening) this.entries.set(key, value)
    return value
  }

  /** Drops every kept answer, and any read loading now will not be kept. */
  invalidate (): void {
    this.generation++
    this.entries?.clear()
  }
}
