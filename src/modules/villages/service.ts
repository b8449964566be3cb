import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { requireUnit, type Principal } from '../../lib/principal.ts'
import { noSuch, notFound } from '../../lib/problem.ts'
import type { Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { overlapping, resolveUnit } from '../reference/units.ts'
import type { CraftVillageBody, CraftVillageCreateBody } from './schemas.ts'
import { craftVillages } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

const columns = {
  id: craftVillages.id,
  name: craftVillages.name,
  adminUnitList: craftVillages.adminUnitList,
  adminUnitCode: craftVillages.adminUnitCode,
  trade: craftVillages.trade,
  recognised: craftVillages.recognised,
  createdAt: craftVillages.createdAt,
  updatedAt: craftVillages.updatedAt
}
const present = (row: Omit<CraftVillageBody, never>): CraftVillageBody =>
  ({ ...row, createdAt: isoInstant(row.createdAt), updatedAt: isoInstant(row.updatedAt) })

async function load (tx: Tx, id: string, lock = false) {
  const query = tx.select(columns).from(craftVillages).where(eq(craftVillages.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row && present(row)
}

export async function getVillage (db: Db, id: string): Promise<CraftVillageBody> {
  const village = await load(db, id)
  if (!village) throw notFound('craft village', id)
  return village
}

export async function listVillages (db: Db, filter: { adminUnit?: string, adminUnitList?: string, recognised?: boolean, q?: string, limit: number, cursor?: string }) {
  const after = decodeCursor(filter.cursor, ['text', 'uuid'])
  const rows = await db.select(columns).from(craftVillages).where(and(
    filter.adminUnit ? overlapping('unit', craftVillages.adminUnitList, craftVillages.adminUnitCode, filter.adminUnit, filter.adminUnitList) : undefined,
    filter.recognised !== undefined ? eq(craftVillages.recognised, filter.recognised) : undefined,
    filter.q ? sql`search_text(${craftVillages.name} || ' ' || ${craftVillages.trade}) LIKE '%' || search_text(${filter.q}) || '%'` : undefined,
    after ? sql`(${craftVillages.name}, ${craftVillages.id}) > (${after[0]}, ${after[1]}::uuid)` : undefined
  )).orderBy(asc(craftVillages.name), asc(craftVillages.id)).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.name, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

/** Refuses (422, naming the field) a craft village that does not exist. */
export async function requireVillage (db: Pick<Db, 'select'>, id: string, field = 'craftVillageId'): Promise<void> {
  const [village] = await db.select({ id: craftVillages.id }).from(craftVillages).where(eq(craftVillages.id, id))
  if (!village) throw noSuch('craft village', id, field)
}

export async function createVillage (db: Db, actor: Principal, input: CraftVillageCreateBody): Promise<CraftVillageBody> {
  requireUnit(actor, input.adminUnitCode, 'craft villages')
  const unit = await resolveUnit(db, { code: input.adminUnitCode, list: input.adminUnitList })
  return auditedCreate(db, actor, 'craft_village',
    async (tx) => (await tx.insert(craftVillages).values({ ...input, adminUnitList: unit.list }).returning({ id: craftVillages.id }))[0]!.id,
    (tx, id) => load(tx, id))
}

export async function updateVillage (db: Db, actor: Principal, id: string, patch: Partial<CraftVillageCreateBody>, precondition: (current: CraftVillageBody) => void) {
  return auditedUpdate(db, actor, {
    entity: 'craft_village',
    id,
    load: (tx) => load(tx, id, true),
    check: (current) => { precondition(current); requireUnit(actor, current.adminUnitCode, 'craft villages') },
    apply: async (tx) => { await tx.update(craftVillages).set({ ...patch, updatedAt: sql`now()` }).where(eq(craftVillages.id, id)) }
  })
}
