import { randomUUID } from 'node:crypto'
import { stringify } from 'csv-stringify/sync'
import { sql } from 'drizzle-orm'
import type { DbHandle } from '../../db/client.ts'
import { addDays, daysBetween } from '../../lib/clock.ts'
import { expiryDate } from '../evaluations/rules.ts'

/** The figures Hanoi published (README, "The OCOP domain in brief"), on the last day of the period each refers to. */
export const PUBLISHED = [
  { on: '2020-12-31', products: 630 },
  { on: '2023-06-30', products: 2167, fiveStar: 6, potentialFiveStar: 12, fourStar: 1369, threeStar: 780 },
  { on: '2024-04-30', products: 2711, fiveStar: 6, potentialFiveStar: 12, fourStar: 1473, threeStar: 1220 },
  { on: '2025-06-30', products: 3317, fiveStar: 6, potentialFiveStar: 22, fourStar: 1571, threeStar: 1718 }
] as const

/** The published district examples, on 2025-06-30: Ứng Hòa 44 products, Thường Tín 166, all 3 or 4 stars. */
export const DISTRICT_EXAMPLES = { 281: 44, 279: 166 } as const

type Kind = 'five' | 'potential' | 'four' | 'three'
// Products enter in four cohorts and stay recognised (re-recognised with the same star at each expiry),
// so every count only grows, as the published ones do. Each cohort: its period and its products by kind.
// The first two are split so that 630 are recognised by the end of 2020.
const COHORTS: { from: string, to: string, kinds: Record<Kind, number> }[] = [
  { from: '2019-07-01', to: '2020-12-31', kinds: { five: 0, potential: 0, four: 400, three: 230 } },
  { from: '2021-01-01', to: '2023-06-30', kinds: { five: 6, potential: 12, four: 969, three: 550 } },
  { from: '2023-07-01', to: '2024-04-30', kinds: { five: 0, potential: 0, four: 104, three: 440 } },
  { from: '2024-05-01', to: '2025-06-30', kinds: { five: 0, potential: 10, four: 98, three: 498 } }
]
const STAR: Record<Kind, number> = { five: 5, potential: 4, four: 4, three: 3 }
const SCORE: Record<Kind, number> = { five: 92.5, potential: 91, four: 78, three: 62 }
const OTHER_UNITS = ['018', '271', '277', '280', '274', '275', '276', '282', '269', '268', '017', '016', '272', '273', '278', '250', '020']
const GOODS: [string, string][] = [
  ['1.3', 'Bánh chưng'], ['1.5', 'Chè búp'], ['1.1', 'Bưởi Diễn'], ['1.3', 'Giò chả'], ['1.4', 'Tương'], ['2.1', 'Rượu làng Vân'],
  ['4.1', 'Gốm men lam'], ['4.1', 'Lụa tơ tằm'], ['4.1', 'Mây tre đan'], ['4.1', 'Sơn mài'], ['3.1', 'Cao dược liệu'], ['1.6', 'Cà phê rang']
]
const PLACES = ['Bát Tràng', 'Vạn Phúc', 'Ba Vì', 'Đường Lâm', 'Phú Vinh', 'Chuyên Mỹ', 'Duyên Thái', 'Sài Sơn', 'Hạ Thái', 'Quảng Phú Cầu']

/** The demo catalogue, planned: producers, products and each product's chain of certificates up to `today`. */
export function planPublishedFigures (today: string) {
  const plan = COHORTS.flatMap((cohort) => {
    const kinds = (Object.entries(cohort.kinds) as [Kind, number][]).flatMap(([kind, n]) => Array.from({ length: n }, () => kind))
    const span = daysBetween(cohort.from, cohort.to)
    return kinds.map((kind, i) => ({ kind, firstIssued: addDays(cohort.from, Math.floor((i * span) / kinds.length)) }))
  })
  // Two products per producer; the district examples go to producers whose products are plain 3 or 4 stars.
  const left: Record<string, number> = { ...DISTRICT_EXAMPLES }
  const producers: { id: string, name: string, unit: string, taxCode: string }[] = []
  const products = plan.map((p, n) => {
    if (n % 2 === 0) {
      const pair = [p.kind, plan[n + 1]?.kind]
      const plain = pair.every((k) => k === 'three' || k === 'four') && plan[n + 1] !== undefined
      const unit = plain && left['281']! >= 2 ? '281' : plain && left['279']! >= 2 ? '279' : OTHER_UNITS[producers.length % OTHER_UNITS.length]!
      if (unit in left) left[unit]! -= 2
      const index = producers.length + 1
      producers.push({ id: randomUUID(), name: `Hợp tác xã ${PLACES[producers.length % PLACES.length]} ${index}`, unit, taxCode: `0190${String(index).padStart(6, '0')}` })
    }
    const [group, good] = GOODS[n % GOODS.length]!
    return { ...p, id: randomUUID(), producerId: producers.at(-1)!.id, producerTaxCode: producers.at(-1)!.taxCode, name: `${good} ${PLACES[n % PLACES.length]} (demo ${n + 1})`, group }
  })
  const recognitions = products.flatMap((p, n) => {
    const chain: { id: string, evaluationId: string, productId: string, kind: Kind, issued: string, expires: string, number: string, supersededBy: string | null, supersededOn: string | null }[] = []
    for (let issued = p.firstIssued, k = 1; issued <= today; issued = expiryDate(issued), k++) {
      chain.push({ id: randomUUID(), evaluationId: randomUUID(), productId: p.id, kind: p.kind, issued, expires: expiryDate(issued), number: `HN-DEMO-${n + 1}-${k}`, supersededBy: null as string | null, supersededOn: null as string | null })
    }
    // Each re-recognition is issued on its predecessor's last valid day and supersedes it from then.
    chain.forEach((c, i) => { if (chain[i + 1]) { c.supersededBy = chain[i + 1]!.id; c.supersededOn = chain[i + 1]!.issued } })
    return chain
  })
  return { producers, products, recognitions }
}

/** The demo register as the spreadsheets an operator would import (POST /v1/imports): producers, then products. */
export function publishedFiguresSheets (today: string): { producers: string, products: string } {
  const { producers, products } = planPublishedFigures(today)
  const csv = (rows: string[][]) => stringify(rows, { record_delimiter: 'windows' })
  return {
    producers: csv([['taxCode', 'name', 'type', 'address', 'adminUnitCode', 'registeredOn'], ...producers.map((p) => [p.taxCode, p.name, 'cooperative', 'Hà Nội', p.unit, '2019-01-01'])]),
    products: csv([['producerTaxCode', 'nameVi', 'group148', 'status'], ...products.map((p) => [p.producerTaxCode, p.name, p.group, 'active'])])
  }
}

/**
 * Loads a catalogue whose statistics reproduce the published figures on their four dates: 3,317 products
 * of about 1,660 producers, each with its chain of certificates up to `today`, then the listings (through
 * the scheduled job's own code, so the change feed has them too). Does nothing if it was loaded before.
 */
export async function seedPublishedFigures (db: DbHandle, today: string): Promise<{ products: number, recognitions: number }> {
  const [loaded] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM recognitions WHERE certificate_number LIKE 'HN-DEMO-%'")
  if (loaded!.n > 0) return { products: 0, recognitions: 0 }
  const { producers, products, recognitions } = planPublishedFigures(today)
  const rows = recognitions.map((r) => ({ ...r, star: STAR[r.kind], score: SCORE[r.kind], level: r.kind === 'five' ? 'central' : 'city', potential: r.kind === 'potential', set: r.issued < '2023-02-24' ? 'QD1048-2019' : 'QD148-2023' }))
  const json = (value: unknown) => sql`${JSON.stringify(value)}::json`
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO producers (id, name, type, tax_code, address, admin_unit_list, admin_unit_code, province_list, province_code, registered_on)
      SELECT id, name, 'cooperative', "taxCode", 'Hà Nội', 'QD124-2004', unit, 'QD124-2004', '01', DATE '2019-01-01' FROM json_to_recordset(${json(producers)}) AS t(id uuid, name text, "taxCode" text, unit text)`)
    await tx.execute(sql`INSERT INTO products (id, producer_id, name_vi, group_148, status)
      SELECT id, "producerId", name, "group", 'active' FROM json_to_recordset(${json(products)}) AS t(id uuid, "producerId" uuid, name text, "group" text)`)
    await tx.execute(sql`INSERT INTO evaluations (id, product_id, criteria_set_key, council_level, round_year, round_batch, status, score, star, decision_number, decision_date)
      SELECT "evaluationId", "productId", set, level, extract(year FROM issued)::int, 1, 'decided', score, star, 'QĐ-DEMO-' || number, issued
      FROM json_to_recordset(${json(rows)}) AS t("evaluationId" uuid, "productId" uuid, set text, level text, issued date, score numeric, star int, number text)`)
    await tx.execute(sql`INSERT INTO recognitions (id, product_id, evaluation_id, decision_number, decision_date, issuing_level, star, certificate_number, issued_on, expires_on, potential_five_star, review_status, superseded_by, superseded_on)
      SELECT id, "productId", "evaluationId", 'QĐ-DEMO-' || number, issued, level, star, number, issued, expires, potential, CASE WHEN potential THEN 'pending' END, "supersededBy", "supersededOn"
      FROM json_to_recordset(${json(rows)}) AS t(id uuid, "productId" uuid, "evaluationId" uuid, level text, star int, number text, issued date, expires date, potential boolean, "supersededBy" uuid, "supersededOn" date)`)
  })
  // Their listings and change-feed entries follow through the listing outbox (the projector drains it).
  return { products: products.length, recognitions: recognitions.length }
}
