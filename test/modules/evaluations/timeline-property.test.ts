// Property: over generated histories (decisions of every kind, dated in and out of order, central
// reviews with both outcomes, revocations including ones dated ahead, expiries), the SQL definition of
// "in force on a day" (effect_ends_on), its TypeScript twin (timeline.ts) and an independent model agree
// on every day, and every read surface answers the same on every day where the answer can change.
import fc from 'fast-check'
import t from 'tap'
import { addDays, daysBetween } from '../../../src/lib/clock.ts'
import { anonymous, type Principal } from '../../../src/lib/principal.ts'
import { ProblemError } from '../../../src/lib/problem.ts'
import { decideEvaluation, revokeRecognition } from '../../../src/modules/evaluations/decision.ts'
import { recognitions } from '../../../src/modules/evaluations/tables.ts'
import { potentialFiveOn, standingOn, type TimelineRow } from '../../../src/modules/evaluations/timeline.ts'
import { labelToken } from '../../../src/modules/labels/rules.ts'
import { createBatch } from '../../../src/modules/labels/service.ts'
import { VerificationCounts } from '../../../src/modules/labels/counts.ts'
import { verifyLabel } from '../../../src/modules/labels/verify.ts'
import { eligibility, getListing } from '../../../src/modules/listings/service.ts'
import { syncListings } from '../../../src/modules/listings/sync.ts'
import { getProduct } from '../../../src/modules/products/service.ts'
import { productStatistics } from '../../../src/modules/statistics/service.ts'
import { listAssortment } from '../../../src/modules/venues/assortment.ts'
import { eq } from 'drizzle-orm'
import { createTestDb, onPostgres } from '../../helpers/db.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeVenue, TIMELINE } from '../../helpers/factories.ts'

// 200 timelines on PostgreSQL (about a second each here); fewer on the slower embedded PGlite.
const RUNS = Number(process.env.TIMELINE_PROPERTY_RUNS ?? (onPostgres ? 200 : 25))
t.setTimeout(20 * 60_000)
const admin: Principal = { ...anonymous('property'), role: 'admin', keyName: 'property test' }
const TODAY = '2031-12-31'
const DAY0 = '2025-07-06' // the two-tier regime: the city recognises 3 and 4 stars and forwards 90+
const SPAN = 1800
const SHEETS = { three: { ...FULL_MARKS, A3: 0, A4: 0, A5: 0, B1: 0 }, four: { ...FULL_MARKS, A3: 0, A4: 0, C3: 5 }, potential: FULL_MARKS }

type Op =
  | { t: 'decide', kind: 'three' | 'four' | 'potential', day: number, lag: number }
  | { t: 'central', confirm: boolean, day: number, lag: number }
  | { t: 'revoke', which: number, day: number }
const day = fc.integer({ min: 0, max: SPAN })
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('decide' as const), kind: fc.constantFrom('three' as const, 'four' as const, 'potential' as const), day, lag: fc.constantFrom(0, 0, 1, 30) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('central' as const), confirm: fc.boolean(), day, lag: fc.constantFrom(0, 5) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('revoke' as const), which: fc.nat(), day }) }
)

type Row = typeof recognitions.$inferSelect
/** The independent model: the latest recognition issued by that day, unless it ran out or was revoked. */
function model (rows: Row[], on: string): Row | null {
  const issued = rows.filter((r) => r.issuedOn <= on).sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime())
  const last = issued.at(-1)
  if (!last || on > last.expiresOn || (last.revokedOn !== null && last.revokedOn <= on)) return null
  return last
}

t.test('the timeline: SQL, TypeScript, a model and every read surface agree on every day', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const everyProduct: { id: string, rows: Row[] }[] = []
  let certificate = 0
  let runs = 0

  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
    runs++
    const product = await makeProduct(db, { status: 'active' })
    const venue = await makeVenue(db)
    await db.query('INSERT INTO venue_products (venue_id, product_id, since) VALUES ($1, $2, $3)', [venue.id, product.id, '2024-01-15'])
    const rowsNow = () => db.db.select().from(recognitions).where(eq(recognitions.productId, product.id))
    for (const o of ops) {
      try {
        if (o.t === 'revoke') {
          const rows = await rowsNow()
          if (rows.length) await revokeRecognition(db.db, admin, rows[o.which % rows.length]!.id, { decisionReference: `TH-${o.which}`, revokedOn: addDays(DAY0, o.day), reason: 'property test' }, TODAY, TIMELINE)
          continue
        }
        const central = o.t === 'central'
        const evaluation = await makeEvaluation(db, { productId: product.id, councilLevel: central ? 'central' : 'city', sheet: central ? (o.confirm ? FULL_MARKS : SHEETS.four) : SHEETS[o.kind] })
        const decisionDate = addDays(DAY0, o.day)
        await decideEvaluation(db.db, admin, evaluation.id, { decisionNumber: `QĐ-${++certificate}`, decisionDate, issuedOn: addDays(decisionDate, o.lag), certificateNumber: `HN-PROP-${process.pid}-${certificate}` }, TODAY, TIMELINE)
      } catch (err) {
        // Refusals (a central decision without a forward, an out-of-order decision, nothing left to revoke) change nothing.
        if (!(err instanceof ProblemError) || err.status >= 500) throw err
      }
    }
    const rows = await rowsNow()
    everyProduct.push({ id: product.id, rows })

    // Every day of the range: the stored definition, the TypeScript twin and the model.
    const first = addDays(DAY0, -1)
    const last = addDays(DAY0, SPAN + 30 + 1100)
    const stored = await db.query<{ day: string, id: string | null }>(`SELECT to_char(d, 'YYYY-MM-DD') AS day, r.id FROM generate_series($1::date, $2::date, '1 day') d
      LEFT JOIN recognitions r ON r.product_id = $3 AND r.issued_on <= d::date AND r.effect_ends_on > d::date ORDER BY d`, [first, last, product.id])
    t.equal(stored.length, daysBetween(first, last) + 1, 'at most one recognition in force on any day')
    for (const { day: on, id } of stored) {
      const ts = standingOn(rows as (Row & TimelineRow)[], on).inForce?.id ?? null
      const expected = model(rows, on)?.id ?? null
      if (id !== ts || ts !== expected) {
        t.fail(`${on}: SQL ${id}, TypeScript ${ts}, model ${expected}`, { ops, rows })
        return false
      }
    }

    // Every read surface on each day the answer can change (the answer is constant between them).
    const days = new Set([first, ...rows.flatMap((r) => [r.issuedOn, addDays(r.expiresOn, 1), r.revokedOn, r.supersededOn, r.reviewedOn])
      .filter((d): d is string => d !== null).flatMap((d) => [addDays(d, -1), d])])
    // A label printed under the first recognition that had any effect, on its first day.
    const printedUnder = [...rows].sort((a, b) => a.issuedOn.localeCompare(b.issuedOn)).find((r) => r.effectEndsOn > r.issuedOn)
    const batch = printedUnder ? await createBatch(db.db, admin, product.id, { quantity: 1 }, printedUnder.issuedOn) : null
    const [secret] = batch ? await db.query<{ secret: string, first: number }>('SELECT secret, first_serial AS first FROM label_batches WHERE id = $1', [batch.id]) : []
    for (const on of [...days].sort()) {
      const expected = model(rows, on)
      const rating = expected && { star: expected.star, certificateNumber: expected.certificateNumber, potentialFiveStar: potentialFiveOn(expected, on) }
      const read = await getProduct(db.db, product.id, admin, TODAY, on)
      const seen = read.rating && { star: read.rating.star, certificateNumber: read.rating.certificateNumber, potentialFiveStar: read.rating.potentialFiveStar }
      const eligible = await eligibility(db.db, product.id, on, admin)
      await db.db.transaction((tx) => syncListings(tx, [product.id], on))
      const listing = await getListing(db.db, product.id).catch(() => null)
      const shown = (await listAssortment(db.db, venue.id, admin, { limit: 100 }, on)).items.some((e) => e.productId === product.id)
      const label = secret ? await verifyLabel(db.db, new VerificationCounts(db.db, () => {}), labelToken(secret.secret, secret.first), on, new Date().toISOString()) : null
      const answers = {
        product: seen,
        eligibility: eligible.eligible ? { star: eligible.star, certificateNumber: eligible.certificateNumber, potentialFiveStar: rating?.potentialFiveStar } : null,
        listing: listing && { star: listing.star, certificateNumber: listing.certificateNumber, potentialFiveStar: listing.potentialFiveStar },
        assortment: shown ? rating : null,
        label: label === null ? rating : label.valid ? { star: label.current!.star, certificateNumber: label.current!.certificateNumber, potentialFiveStar: rating?.potentialFiveStar } : null
      }
      for (const [surface, answer] of Object.entries(answers)) {
        if (JSON.stringify(answer) !== JSON.stringify(rating)) {
          t.fail(`${on}: ${surface} answers ${JSON.stringify(answer)}, the timeline ${JSON.stringify(rating)}`, { ops, rows })
          return false
        }
      }
    }
    return true
  }), { numRuns: RUNS, endOnFailure: true })
  t.equal(runs, RUNS, `${RUNS} generated timelines`)

  // Statistics count every generated product on sample days as the model does.
  const samples = fc.sample(fc.integer({ min: -1, max: SPAN + 1200 }), { numRuns: 25, seed: 42 }).map((d) => addDays(DAY0, d))
  for (const on of samples) {
    const expected = { products: 0, fiveStar: 0, potentialFiveStar: 0, fourStar: 0, threeStar: 0 }
    for (const p of everyProduct) {
      const r = model(p.rows, on)
      if (!r) continue
      expected.products++
      if (r.star === 5) expected.fiveStar++
      else if (r.star === 3) expected.threeStar++
      else if (potentialFiveOn(r, on)) expected.potentialFiveStar++
      else expected.fourStar++
    }
    t.same((await productStatistics(db.db, { on })).totals, expected, `statistics on ${on}`)
  }
})
