import t from 'tap'
import { decide, expiryDate, meanScore, noticeDueFrom, recognitionAuthority, starForScore, tierForScore, type Star } from '../../../src/modules/evaluations/rules.ts'

t.test('the score is the mean of the sheets, truncated to two decimals', async (t) => {
  t.equal(meanScore([70, 71]), 70.5)
  t.equal(meanScore([50, 49.99, 49.99]), 49.99, '149.98 / 3 = 49.9933…')
  t.equal(meanScore([50, 49.99]), 49.99, '49.995 stays under 50: never promoted by rounding')
  t.equal(meanScore([90, 89.99]), 89.99)
  t.equal(meanScore([0.1, 0.2]), 0.15, 'no binary-fraction drift')
  t.equal(meanScore([100, 100, 100]), 100)
  t.throws(() => meanScore([]), RangeError)
})

t.test('tiers are half-open intervals, at every boundary, from fractional means', async (t) => {
  const cases: [number[], Star][] = [
    [[29.99, 29.99], 1], [[30, 29.99], 1], [[30, 30], 2],
    [[49.99, 50], 2], [[50, 50], 3],
    [[69.99, 70], 3], [[70, 70], 4],
    [[89.99, 90], 4], [[90, 90], 5],
    [[100, 100], 5], [[0, 0], 1]
  ]
  for (const [totals, star] of cases) t.equal(tierForScore(meanScore(totals)), star, `${totals.join(' and ')} -> mean ${meanScore(totals)} -> ${star} stars`)
  t.equal(tierForScore(29.99), 1)
  t.equal(tierForScore(49.99), 2)
  t.equal(tierForScore(69.99), 3)
  t.equal(tierForScore(89.99), 4)
  t.throws(() => tierForScore(100.01), RangeError)
  t.throws(() => tierForScore(-1), RangeError)
})

t.test('a missing mandatory criterion caps the star', async (t) => {
  const all = () => true
  t.equal(starForScore(95, all), 5)
  t.equal(starForScore(95, (s) => s < 5), 4, 'a 5-star mandatory criterion missed: 4 stars')
  t.equal(starForScore(95, (s) => s < 4), 3)
  t.equal(starForScore(75, (s) => s < 3), 2, 'even a 3-star mandatory criterion missed: 2 stars, not recognised')
  t.equal(starForScore(40, () => false), 2, '1 and 2 stars have no mandatory criteria')
})

t.test('authority: the three regimes, each with a date on either side of its boundary', async (t) => {
  // Under 1048 (until 23 Feb 2023): the city recognises 3 and 4, central 5, districts pre-evaluate.
  t.same(recognitionAuthority('city', '2023-02-23').recognises, [3, 4])
  t.same(recognitionAuthority('district', '2023-02-23').recognises, [])
  t.same(recognitionAuthority('central', '2023-02-23').recognises, [5])
  // Under 148 from 24 Feb 2023 until 5 July 2025: district 3, city 4, central 5.
  t.same(recognitionAuthority('district', '2023-02-24').recognises, [3])
  t.same(recognitionAuthority('city', '2023-02-24').recognises, [4])
  t.same(recognitionAuthority('district', '2025-07-05').recognises, [3])
  t.same(recognitionAuthority('city', '2025-07-05').recognises, [4])
  // From 6 July 2025 (Decision 1489): the commune forwards, the city recognises 3 and 4.
  t.same(recognitionAuthority('district', '2025-07-06').recognises, [])
  t.same(recognitionAuthority('commune', '2025-07-06').recognises, [])
  t.same(recognitionAuthority('city', '2025-07-06').recognises, [3, 4])
  t.same(recognitionAuthority('central', '2025-07-06').recognises, [5])

  t.match(decide(3, 'district', '2025-07-05'), { outcome: 'recognised', star: 3 })
  t.match(decide(3, 'district', '2025-07-06'), { outcome: 'refused', reason: /district council recognises no stars.*city council/ })
  t.match(decide(3, 'city', '2025-07-05'), { outcome: 'refused', reason: /city council recognises 4 stars only; a 3-star result is for the district council/ })
  t.match(decide(3, 'city', '2025-07-06'), { outcome: 'recognised', star: 3 })
  t.match(decide(4, 'district', '2025-07-05'), { outcome: 'refused', reason: /for the city council/ })
  t.match(decide(3, 'city', '2023-02-23'), { outcome: 'recognised', star: 3 })
  t.match(decide(3, 'city', '2023-02-24'), { outcome: 'refused' })
  t.match(decide(3, 'district', '2023-02-23'), { outcome: 'refused' })
  t.match(decide(3, 'district', '2023-02-24'), { outcome: 'recognised', star: 3 })
})

t.test('a city score of 90+ is recognised as 4 stars and forwarded: potential 5-star', async (t) => {
  for (const date of ['2021-06-01', '2024-06-01', '2025-09-01']) {
    t.same(decide(5, 'city', date), { outcome: 'recognised', star: 4, potentialFiveStar: true }, date)
    t.same(decide(5, 'central', date), { outcome: 'recognised', star: 5, potentialFiveStar: false })
    t.match(decide(4, 'central', date), { outcome: 'refused' }, 'the central council decides 5 stars only')
  }
})

t.test('1 and 2 stars are recorded, never recognised', async (t) => {
  t.same(decide(1, 'city', '2025-09-01'), { outcome: 'recorded', star: 1 })
  t.same(decide(2, 'commune', '2025-09-01'), { outcome: 'recorded', star: 2 })
})

t.test('a certificate expires 36 months after issue; 29 February falls back to 28 February', async (t) => {
  t.equal(expiryDate('2024-03-15'), '2027-03-15')
  t.equal(expiryDate('2024-02-29'), '2027-02-28')
  t.equal(expiryDate('2025-02-28'), '2028-02-28')
  t.equal(expiryDate('2023-12-31'), '2026-12-31')
  t.equal(expiryDate('2025-01-31', 1), '2025-02-28')
  t.equal(expiryDate('2028-02-29', 48), '2032-02-29', 'a leap year 48 months on keeps the 29th')
  t.equal(noticeDueFrom('2027-03-15'), '2027-02-13')
  t.equal(noticeDueFrom('2027-02-28'), '2027-01-29')
})

t.test('a score sheet is checked against the card and totalled by part', async (t) => {
  const { scoreSheet, mandatoryMet } = await import('../../../src/modules/evaluations/rules.ts')
  const card = [
    { code: 'A1', part: 'A' as const, maxPoints: 10, mandatoryFor: 3 },
    { code: 'A2', part: 'A' as const, maxPoints: 30, mandatoryFor: null },
    { code: 'B1', part: 'B' as const, maxPoints: 25, mandatoryFor: 4 },
    { code: 'C1', part: 'C' as const, maxPoints: 35, mandatoryFor: 5 }
  ]
  t.same(scoreSheet(card, { A1: 7.5, A2: 20, B1: 12.25, C1: 30 }), { errors: [], partTotals: { A: 27.5, B: 12.25, C: 30 }, total: 69.75 })
  const bad = scoreSheet(card, { A1: 11, A2: 20, C1: 30, X9: 1 })
  t.same(bad.errors.map((e) => e.pointer).sort(), ['/points/A1', '/points/B1', '/points/X9'])
  t.match(bad.errors.find((e) => e.pointer === '/points/A1')?.detail, /above the maximum of 10/)
  t.match(bad.errors.find((e) => e.pointer === '/points/B1')?.detail, /missing/)

  const all = { A1: 5, A2: 10, B1: 5, C1: 5 }
  t.same(mandatoryMet(card, [all, all]), { 3: true, 4: true, 5: true })
  t.same(mandatoryMet(card, [{ ...all, C1: 0 }, { ...all, C1: 0 }]), { 3: true, 4: true, 5: false })
  t.same(mandatoryMet(card, [{ ...all, B1: 0 }, { ...all, B1: 0 }]), { 3: true, 4: false, 5: false }, 'a 4-star mandatory criterion binds 5 stars too')
  t.same(mandatoryMet(card, [{ ...all, A1: 0 }, { ...all, A1: 1 }]), { 3: true, 4: true, 5: true }, 'met on the members\' mean')
  t.same(mandatoryMet(card, []), { 3: false, 4: false, 5: false })
})

t.test('a recognition\'s status on a day', async (t) => {
  const { recognitionStatus } = await import('../../../src/modules/evaluations/rules.ts')
  const r = { issuedOn: '2024-02-29', expiresOn: '2027-02-28', revokedOn: null, supersededOn: null }
  t.equal(recognitionStatus(r, '2024-02-28'), 'not-yet-in-force')
  t.equal(recognitionStatus(r, '2024-02-29'), 'in-force')
  t.equal(recognitionStatus(r, '2027-02-27'), 'in-force')
  t.equal(recognitionStatus(r, '2027-02-28'), 'expired')
  t.equal(recognitionStatus({ ...r, supersededOn: '2026-01-01' }, '2026-01-01'), 'superseded')
  t.equal(recognitionStatus({ ...r, supersededOn: '2026-01-01', revokedOn: '2025-05-05' }, '2026-06-01'), 'revoked', 'revocation takes precedence')
})
