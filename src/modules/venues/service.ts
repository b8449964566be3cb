import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import { requireUnit, seesUnpublished, type Principal } from '../../lib/principal.ts'
import { bodyField, conflict, notFound, unprocessable } from '../../lib/problem.ts'
import type { Tx } from '../audit/service.ts'
import { auditedCreate, auditedUpdate } from '../audit/write.ts'
import { normalizePhone } from '../producers/rules.ts'
import { resolveUnit } from '../reference/units.ts'
import { requireVillage } from '../villages/service.ts'
import { requireInHanoi, validateOpeningHours } from './rules.ts'
import type { VenueBody, VenueCreateBody, VenuePatchBody } from './schemas.ts'
import { venueProducts, venues } from './tables.ts'
import { isoInstant } from '../../lib/clock.ts'

export const venueColumns = {
  id: venues.id,
  name: venues.name,
  type: venues.type,
  locationKind: venues.locationKind,
  address: venues.address,
  adminUnitList: venues.adminUnitList,
  adminUnitCode: venues.adminUnitCode,
  craftVillageId: venues.craftVillageId,
  latitude: venues.latitude,
  longitude: venues.longitude,
  operatorName: venues.operatorName,
  phone: venues.phone,
  email: venues.email,
  website: venues.website,
  openingHours: venues.openingHours,
  openedOn: venues.openedOn,
  closedOn: venues.closedOn,
  closureReason: venues.closureReason,
  status: venues.status,
  createdAt: venues.createdAt,
  updatedAt: venues.updatedAt
}
type Row = { [K in keyof typeof venueColumns]: typeof venues.$inferSelect[K] } & { distanceKm?: number }
export const presentVenue = (row: Row): VenueBody => ({
  ...row,
  ...(row.distanceKm !== undefined ? { distanceKm: Math.round(row.distanceKm * 1000) / 1000 } : {}),
  createdAt: isoInstant(row.createdAt),
  updatedAt: isoInstant(row.updatedAt)
})

export async function loadVenue (tx: Tx, id: string, lock = false): Promise<VenueBody | undefined> {
  const query = tx.select(venueColumns).from(venues).where(eq(venues.id, id))
  const [row] = lock ? await query.for('update') : await query
  return row && presentVenue(row)
}

/** Planned venues are shown to staff of their unit only; to anyone else they do not exist. */
export function requireVisible (venue: VenueBody | undefined, principal: Principal, id: string): asserts venue is VenueBody {
  if (!venue || (venue.status === 'planned' && !seesUnpublished(principal, venue.adminUnitCode))) throw notFound('venue', id)
}

export async function getVenue (db: Db, id: string, principal: Principal): Promise<VenueBody> {
  const venue = await loadVenue(db, id)
  requireVisible(venue, principal, id)
  return venue
}

type Input = Partial<VenueCreateBody>
/** Rules shared by create and update: coordinates in Hanoi (unless allowed), opening hours, contact. */
function normalize<T extends Input> (input: T): Omit<T, 'allowOutsideHanoi'> {
  const { allowOutsideHanoi, ...rest } = input
  if ((rest.latitude === undefined) !== (rest.longitude === undefined)) {
    const missing = rest.latitude === undefined ? 'latitude' : 'longitude'
    throw unprocessable({ vi: 'vĩ độ và kinh độ thay đổi cùng nhau', en: 'latitude and longitude change together' },
      [bodyField(missing, { vi: 'là bắt buộc cùng với tọa độ kia', en: 'is required with the other coordinate' })])
  }
  if (rest.latitude !== undefined && rest.longitude !== undefined && !allowOutsideHanoi) requireInHanoi(rest.latitude, rest.longitude)
  validateOpeningHours(rest.openingHours)
  return { ...rest, ...(rest.phone ? { phone: normalizePhone(rest.phone) } : {}) }
}

/** The unit must be valid on the opening date; a planned venue (no date yet) needs only an existing unit. */
async function checkReferences (tx: Tx, unit: { code: string, list?: string | null }, openedOn: string | null | undefined, craftVillageId: string | null | undefined) {
  const resolved = await resolveUnit(tx, unit, openedOn ? { date: openedOn, what: 'the opening date' } : undefined)
  if (craftVillageId) await requireVillage(tx, craftVillageId)
  return resolved
}

export async function createVenue (db: Db, actor: Principal, body: VenueCreateBody, today: string): Promise<VenueBody> {
  requireUnit(actor, body.adminUnitCode, 'venues')
  const input = normalize(body)
  const values = { ...input, ...(input.status === 'open' ? { openedOn: input.openedOn ?? today } : {}) }
  return auditedCreate(db, actor, 'venue', async (tx) => {
    const unit = await checkReferences(tx, { code: values.adminUnitCode, list: values.adminUnitList }, values.openedOn, values.craftVillageId)
    const [row] = await tx.insert(venues).values({ ...values, adminUnitList: unit.list }).returning({ id: venues.id })
    return row!.id
  }, (tx, id) => loadVenue(tx, id))
}

export async function updateVenue (db: Db, actor: Principal, id: string, body: VenuePatchBody, today: string, precondition: (current: VenueBody) => void): Promise<VenueBody> {
  const patch = normalize(body)
  return auditedUpdate(db, actor, {
    entity: 'venue',
    id,
    action: patch.status === 'open' ? 'open' : 'update',
    load: (tx) => loadVenue(tx, id, true),
    check: async (current, tx) => {
      requireVisible(current, actor, id)
      precondition(current)
      requireUnit(actor, current.adminUnitCode, 'venues')
      if (current.status === 'closed') throw conflict({ vi: `điểm bán ${id} đã đóng cửa ngày ${current.closedOn} và không còn thay đổi`, en: `venue ${id} closed on ${current.closedOn} and no longer changes` })
      if (patch.status === 'planned' && current.status === 'open') {
        throw conflict({ vi: `điểm bán ${id} đang mở, không thể quay lại planned; hãy đóng cửa điểm bán`, en: `venue ${id} is open and cannot go back to planned; close it instead` },
          [bodyField('status', { vi: 'không thể chuyển từ open sang planned', en: 'cannot move from open to planned' })])
      }
      if (patch.status === 'open' && current.status === 'planned') patch.openedOn ??= today
      if (patch.openedOn || patch.craftVillageId) await checkReferences(tx, { code: current.adminUnitCode, list: current.adminUnitList }, patch.openedOn ?? current.openedOn, patch.craftVillageId)
    },
    apply: async (tx) => {
      await tx.update(venues).set({ ...patch, updatedAt: sql`now()` }).where(eq(venues.id, id))
    }
  })
}

/** Closes a venue: it stays readable, and what it carried ends on the closing day. */
export async function closeVenue (db: Db, actor: Principal, id: string, body: { closedOn?: string, reason?: string }, today: string, precondition: (current: VenueBody) => void): Promise<VenueBody> {
  const closedOn = body.closedOn ?? today
  return auditedUpdate(db, actor, {
    entity: 'venue',
    id,
    action: 'close',
    load: (tx) => loadVenue(tx, id, true),
    check: (current) => {
      requireVisible(current, actor, id)
      precondition(current)
      requireUnit(actor, current.adminUnitCode, 'venues')
      if (current.status === 'closed') throw conflict({ vi: `điểm bán ${id} đã đóng cửa ngày ${current.closedOn}`, en: `venue ${id} already closed on ${current.closedOn}` })
      if (current.openedOn && closedOn < current.openedOn) {
        throw unprocessable({ vi: 'điểm bán đóng cửa vào hoặc sau ngày mở cửa', en: 'a venue closes on or after the day it opened' },
          [bodyField('closedOn', { vi: `trước ngày mở cửa ${current.openedOn}`, en: `is before the opening date ${current.openedOn}` })])
      }
    },
    apply: async (tx) => {
      await tx.update(venues).set({ status: 'closed', closedOn, closureReason: body.reason ?? null, updatedAt: sql`now()` }).where(eq(venues.id, id))
      await tx.update(venueProducts).set({ until: sql`GREATEST(${venueProducts.since}, ${closedOn}::date)` })
        .where(sql`${venueProducts.venueId} = ${id} AND ${venueProducts.until} IS NULL`)
    }
  })
}
