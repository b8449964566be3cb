import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/client.ts'
import type { Principal } from '../../lib/principal.ts'
import { bodyField, brokenRules, conflict, notFound } from '../../lib/problem.ts'
import { changesBetween, recordAudit } from '../audit/service.ts'
import type { CriteriaSetBody, CriteriaSetCreateBody } from './criteria-schemas.ts'
import { minimumPointsErrors, scoreCardErrors, type MinimumPoints } from './rules.ts'
import { criteria, criteriaSetParts, criteriaSets } from './tables.ts'

const num = (v: number | string | null) => v === null ? null : Number(v)
/** A criterion's minimum mean points per star level, from its row. */
export const minimumPointsOf = (c: { minPoints3: number | null, minPoints4: number | null, minPoints5: number | null }): MinimumPoints =>
  ({ 3: num(c.minPoints3), 4: num(c.minPoints4), 5: num(c.minPoints5) })

/**
 * Every criteria set with its parts and criteria, oldest first. Reference data: a few rows. The three
 * reads run one after the other: `db` may be a transaction (createCriteriaSet's, or a request's held
 * one), a single connection, where queries sent at once queue in the driver (deprecated by node-postgres,
 * an error from pg 9).
 */
export async function listCriteriaSets (db: Db, key?: string): Promise<CriteriaSetBody[]> {
  const sets = await db.select().from(criteriaSets).where(key ? eq(criteriaSets.key, key) : undefined).orderBy(asc(criteriaSets.appliesFrom), asc(criteriaSets.key))
  const parts = await db.select().from(criteriaSetParts).where(key ? eq(criteriaSetParts.setKey, key) : undefined).orderBy(asc(criteriaSetParts.part))
  const items = await db.select().from(criteria).where(key ? eq(criteria.setKey, key) : undefined).orderBy(asc(criteria.position))
  return sets.map((s) => ({
    key: s.key,
    titleVi: s.titleVi,
    titleEn: s.titleEn,
    decision: s.decision,
    appliesFrom: s.appliesFrom,
    appliesTo: s.appliesTo,
    usableFrom: s.usableFrom,
    usableUntil: s.usableUntil,
    quorum: s.quorum,
    taxonomy: s.taxonomy as CriteriaSetBody['taxonomy'],
    parts: parts.filter((p) => p.setKey === s.key).map((p) => ({
      part: p.part,
      titleVi: p.titleVi,
      titleEn: p.titleEn,
      maxPoints: p.maxPoints,
      criteria: items.filter((c) => c.setKey === s.key && c.part === p.part).map((c) => ({
        code: c.code, titleVi: c.titleVi, titleEn: c.titleEn, maxPoints: Number(c.maxPoints), minimumPoints: minimumPointsOf(c)
      }))
    }))
  }))
}

export async function getCriteriaSet (db: Db, key: string): Promise<CriteriaSetBody> {
  const [set] = await listCriteriaSets(db, key)
  if (!set) throw notFound('criteria set', key)
  return set
}

/** Adds a version; its score card must add up (parts to 100, criteria to their part). */
export async function createCriteriaSet (db: Db, actor: Principal, input: CriteriaSetCreateBody): Promise<CriteriaSetBody> {
  const errors = [...scoreCardErrors(input.parts), ...minimumPointsErrors(input.parts)]
  if (input.appliesTo && input.appliesTo < input.appliesFrom) errors.push({ pointer: '/appliesTo', detail: { vi: 'trước appliesFrom', en: 'is before appliesFrom' } })
  const usableFrom = input.usableFrom ?? input.appliesFrom
  const usableUntil = input.usableUntil === undefined ? input.appliesTo ?? null : input.usableUntil
  if (usableUntil !== null && usableUntil < usableFrom) errors.push({ pointer: '/usableUntil', detail: { vi: 'trước usableFrom', en: 'is before usableFrom' } })
  if (errors.length) throw brokenRules(errors)
  return db.transaction(async (tx) => {
    const [exists] = await tx.select({ key: criteriaSets.key }).from(criteriaSets).where(eq(criteriaSets.key, input.key))
    if (exists) {
      throw conflict({ vi: `bộ tiêu chí ${input.key} đã có: một phiên bản không thay đổi sau khi tạo; hãy thêm khóa mới`, en: `criteria set ${input.key} already exists: a version never changes once made; add a new key` },
        [bodyField('key', { vi: 'đã có', en: 'already exists' })])
    }

    const { parts, ...set } = input
    await tx.insert(criteriaSets).values({ ...set, appliesTo: set.appliesTo ?? null, usableFrom, usableUntil, quorum: set.quorum ?? 3 })
    await tx.insert(criteriaSetParts).values(parts.map(({ criteria: _c, ...p }) => ({ ...p, setKey: input.key })))
    let position = 0
    await tx.insert(criteria).values(parts.flatMap((p) => p.criteria.map(({ minimumPoints: min, ...c }) => ({
      ...c, minPoints3: min[3], minPoints4: min[4], minPoints5: min[5], setKey: input.key, part: p.part, position: ++position
    }))))
    const created = (await listCriteriaSets(tx as unknown as Db, input.key))[0]!
    await recordAudit(tx, actor, { entity: 'criteria_set', entityId: input.key, action: 'create', changes: changesBetween(null, created) })
    return created
  })
}
