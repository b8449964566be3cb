import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { decodeCursor, pageOf } from '../../lib/cursor.ts'
import { searchPattern } from '../../lib/keyset.ts'
import type { Principal } from '../../lib/principal.ts'
import { notFound } from '../../lib/problem.ts'
import type { Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { normalizePhone, normalizeTaxCode } from '../producers/rules.ts'
import type { PartnerBody, PartnerCreateBody } from './schemas.ts'
import { distributionPartners as p } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

const present = (row: typeof p.$inferSelect): PartnerBody => ({ ...row, createdAt: isoInstant(row.createdAt), updatedAt: isoInstant(row.updatedAt) })

async function load (tx: Tx, id: string, lock = false) {
  const query = tx.select().from(p).where(eq(p.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row && present(row)
}

export async function getPartner (db: Db, id: string): Promise<PartnerBody> {
  const partner = await load(db, id)
  if (!partner) throw notFound('distribution partner', id)
  return partner
}

/** Vietnamese phone numbers and tax codes are checked and stored in national form; foreign ones as given. */
function normalize<T extends Partial<PartnerCreateBody>> (input: T, country: string): T {
  if (country !== 'VN') return input
  return { ...input, ...(input.phone ? { phone: normalizePhone(input.phone) } : {}), ...(input.taxCode ? { taxCode: normalizeTaxCode(input.taxCode) } : {}) }
}

export async function createPartner (db: Db, actor: Principal, body: PartnerCreateBody): Promise<PartnerBody> {
  const input = normalize({ ...body, country: body.country ?? 'VN' }, body.country ?? 'VN')
  return auditedCreate(db, actor, 'distribution_partner', async (tx) => (await tx.insert(p).values(input).returning({ id: p.id }))[0]!.id, (tx, id) => load(tx, id))
}

export async function updatePartner (db: Db, actor: Principal, id: string, body: Partial<PartnerCreateBody>, precondition: (current: PartnerBody) => void): Promise<PartnerBody> {
  return auditedUpdate(db, actor, {
    entity: 'distribution_partner',
    id,
    load: (tx) => load(tx, id, true),
    check: precondition,
    apply: async (tx, current) => {
      await tx.update(p).set({ ...normalize(body, body.country ?? current.country), updatedAt: sql`now()` }).where(eq(p.id, id))
    }
  })
}

export async function listPartners (db: Db, filter: { kind?: PartnerBody['kind'], country?: string, q?: string, limit: number, cursor?: string }) {
  const after = decodeCursor(filter.cursor, ['text', 'uuid'])
  const rows = await db.select().from(p).where(and(
    filter.kind ? eq(p.kind, filter.kind) : undefined,
    filter.country ? eq(p.country, filter.country) : undefined,
    filter.q ? sql`search_text(${p.name}) LIKE ${searchPattern(filter.q)}` : undefined,
    after ? sql`(${p.name}, ${p.id}) > (${after[0]}::text, ${after[1]}::uuid)` : undefined
  )).orderBy(p.name, p.id).limit(filter.limit + 1)
  const page = pageOf(rows, filter.limit, (r) => [r.name, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}
