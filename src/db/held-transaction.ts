import type { Db } from './client.ts'

/** A transaction opened now and ended later by whoever holds it: the idempotency plugin spans a request with one. */
export interface HeldTransaction {
  /** Drizzle's transaction; a service's own `db.transaction()` on it becomes a savepoint inside it. */
  tx: Db
  /** Commits; rejects when the commit fails (the work is then not saved, or not known to be). */
  commit: () => Promise<void>
  /** Rolls back; never rejects (a connection that cannot roll back is dropped by the driver). */
  rollback: () => Promise<void>
  /** True until commit or rollback has been asked for. */
  readonly open: boolean
}

class RolledBack extends Error {}

/**
 * Opens a transaction whose end is decided outside the callback Drizzle wants. Resolves once BEGIN
 * has run; rejects when it fails (the database is unreachable, the pool is exhausted).
 */
export function holdTransaction (db: Db): Promise<HeldTransaction> {
  let end!: (outcome: 'commit' | 'rollback') => void
  const decided = new Promise<'commit' | 'rollback'>((resolve) => { end = resolve })
  let open = true
  const finish = (outcome: 'commit' | 'rollback') => { open = false; end(outcome) }
  return new Promise((resolve, reject) => {
    const finished = db.transaction(async (tx) => {
      resolve({
        tx: tx as unknown as Db,
        get open () { return open },
        commit: async () => { finish('commit'); await finished },
        rollback: async () => { finish('rollback'); await finished.catch(() => {}) }
      })
      if (await decided === 'rollback') throw new RolledBack()
    })
    // Before the callback ran, a failure is BEGIN's: the promise above is still pending and rejects.
    finished.catch((err: unknown) => { if (!(err instanceof RolledBack)) reject(err) })
  })
}
