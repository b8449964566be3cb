import type { DbHandle } from '../../db/client.ts'

/** A reader waiting for the feed to grow: resolves at the next change or when its time is up. */
export interface Waiter { promise: Promise<void>, cancel: () => void }

/**
 * Wakes readers of the change feed (GET /v1/listings/changes?wait=) when new entries commit: LISTEN on
 * `listing_changes` (migration 0023 NOTIFYs once per statement that appends), on a connection of its
 * own, so a waiting reader holds no pooled connection. At most `max` readers wait in this process.
 */
export class FeedSignal {
  private readonly waiting = new Set<() => void>()
  private unlisten?: () => Promise<void>
  private readonly max: number
  constructor (max: number) { this.max = max }

  async start (handle: DbHandle): Promise<void> {
    this.unlisten = await handle.listen('listing_changes', () => this.wakeAll())
  }

  get count (): number { return this.waiting.size }

  /**
   * Registers a reader before it reads the feed, so a change that commits between its read and its wait
   * still wakes it. Undefined when `max` readers already wait.
   */
  register (ms: number): Waiter | undefined {
    if (this.waiting.size >= this.max) return undefined
    let wake = () => {}
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), ms)
      wake = () => { clearTimeout(timer); this.waiting.delete(wake); resolve() }
    })
    this.waiting.add(wake)
    return { promise, cancel: () => wake() }
  }

  private wakeAll (): void {
    for (const wake of [...this.waiting]) wake()
  }

  /** Wakes every reader (they answer with what the feed holds) and stops listening. */
  async close (): Promise<void> {
    this.wakeAll()
    await this.unlisten?.()
  }
}
