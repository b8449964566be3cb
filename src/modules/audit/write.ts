import type { Db } from '../../db/client.ts'
import type { Principal } from '../../lib/principal.ts'
import { type Entity, notFound } from '../../lib/problem.ts'
import { changesBetween, recordAudit, type Tx } from './service.ts'

export interface AuditedUpdate<T> {
  entity: string
  id: string
  /** Reads the current version, locking its row (SELECT … FOR UPDATE). */
  load: (tx: Tx) => Promise<T | undefined>
  /** If-Match and rule checks on the current version; throw to refuse. */
  check: (current: T, tx: Tx) => Promise<void> | void
  apply: (tx: Tx, current: T) => Promise<void>
  action?: string
}

/**
 * The shape of every update: lock, check, write, record the changed fields in the audit log, all in one
 * transaction, and return the new version as the service presents it.
 */
export async function auditedUpdate<T extends Record<string, unknown>> (db: Db, actor: Principal, op: AuditedUpdate<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const before = await op.load(tx)
    if (!before) throw notFound(op.entity.replace('_', ' ') as Entity, op.id)

    await op.check(before, tx)
    await op.apply(tx, before)
    const after = (await op.load(tx))!
    const changes = changesBetween(before, after, ['updatedAt'])
    if (Object.keys(changes).length) await recordAudit(tx, actor, { entity: op.entity, entityId: op.id, action: op.action ?? 'update', changes })
    return after
  })
}

/** Inserts through `insert`, records the creation, and returns the new record as presented. */
export async function auditedCreate<T extends Record<string, unknown>> (db: Db, actor: Principal, entity: string, insert: (tx: Tx) => Promise<string>, load: (tx: Tx, id: string) => Promise<T | undefined>): Promise<T> {
  return db.transaction(async (tx) => {
    const id = await insert(tx)
    const created = (await load(tx, id))!
    await recordAudit(tx, actor, { entity, entityId: id, action: 'create', changes: changesBetween(null, created, ['createdAt', 'updatedAt']) })
    return created
  })
}
