import t from 'tap'
import { dateRefusals, decide, expiryDate, meanScore, minimumPointsErrors, recognitionAuthority, starForScore, tierForScore, type Star } from '../../../src/modules/evaluations/rules.ts'
import { effectEnds, noticeDeadline, noticeDueFrom, potentialFiveOn, recognitionStatus, standingOn, validThrough } from '../../../src/modules/evaluations/timeline.ts'

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
  t.same(recognitionAuthority('district', '2025-06-30').recognises, [3])
  t.same(recognitionAuthority('city', '2025-06-30').recognises, [4])
  // 1 to 5 July 2025: no district, and nobody recognises 3 stars.
  t.same(recognitionAuthority('district', '2025-07-01').recognises, [])
  t.same(recognitionAuthority('city', '2025-07-01').recognises, [4])
  t.same(recognitionAuthority('city', '2025-07-05').recognises, [4])
  t.same(recognitionAuthority('central', '2025-07-05').recognises, [5])
  // From 6 July 2025 (Decision 1489): the commune forwards, the city recognises 3 and 4.
  t.same(recognitionAuthority('district', '2025-07-06').recognises, [])
  t.same(recognitionAuthority('commune', '2025-07-06').recognises, [])
  t.same(recognitionAuthority('city', '2025-07-06').recognises, [3, 4])
  t.same(recognitionAuthority('central', '2025-07-06').recognises, [5])

  t.match(decide(3, 'district', '2025-06-30'), { outcome: 'recognised', star: 3 })
  t.match(decide(3, 'district', '2025-07-06'), { outcome: 'refused', refusal: { slug: 'outside-authority', detail: { en: /district council recognises no stars.*city council/ } } })
  t.match(decide(3, 'city', '2025-06-30'), { outcome: 'refused', refusal: { slug: 'outside-authority', detail: { en: /city council recognises 4 stars only; a 3-star result is for the district council/ } } })
  t.match(decide(3, 'city', '2025-07-01'), { outcome: 'refused', refusal: { slug: 'no-three-star-authority', pointer: '/decisionDate' } })
  t.match(decide(3, 'city', '2025-07-05'), { outcome: 'refused', refusal: { slug: 'no-three-star-authority' } })
  t.match(decide(3, 'city', '2025-07-06'), { outcome: 'recognised', star: 3 })
  t.match(decide(4, 'district', '2025-06-30'), { outcome: 'refused', refusal: { detail: { en: /for the city council/ } } })
  t.match(decide(4, 'city', '2025-07-03'), { outcome: 'recognised', star: 4 })
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
  t.equal(noticeDueFrom('2027-03-15', 45), '2027-01-29')
  t.equal(noticeDeadline('2027-03-15'), '2027-02-13', 'the notice goes out at least 30 days before the last valid day')
})

t.test('a score sheet is checked against the card and totalled by part', async (t) => {
  const { scoreSheet, mandatoryMet } = await import('../../../src/modules/evaluations/rules.ts')
  const card = [
    { code: 'A1', part: 'A' as const, maxPoints: 10, minimumPoints: { 3: 2, 4: 4, 5: 6 } },
    { code: 'A2', part: 'A' as const, maxPoints: 30, minimumPoints: { 3: null, 4: null, 5: null } },
    { code: 'B1', part: 'B' as const, maxPoints: 25, minimumPoints: { 3: null, 4: 5, 5: 10 } },
    { code: 'C1', part: 'C' as const, maxPoints: 35, minimumPoints: { 3: null, 4: null, 5: 5 } }
  ]
  t.same(scoreSheet(card, { A1: 7.5, A2: 20, B1: 12.25, C1: 30 }), { errors: [], partTotals: { A: 27.5, B: 12.25, C: 30 }, total: 69.75 })
  const bad = scoreSheet(card, { A1: 11, A2: 20, C1: 30, X9: 1 })
  t.same(bad.errors.map((e) => e.pointer).sort(), ['/points/A1', '/points/B1', '/points/X9'])
  t.match(bad.errors.find((e) => e.pointer === '/points/A1')?.detail.en, /above the maximum of 10/)
  t.match(bad.errors.find((e) => e.pointer === '/points/B1')?.detail.en, /missing/)

  const all = { A1: 6, A2: 10, B1: 10, C1: 5 }
  t.same(mandatoryMet(card, [all, all]), { 3: true, 4: true, 5: true })
  t.same(mandatoryMet(card, [{ ...all, C1: 4.75 }, { ...all, C1: 5 }]), { 3: true, 4: true, 5: false }, 'a mean just under the 5-star minimum')
  t.same(mandatoryMet(card, [{ ...all, B1: 5 }, { ...all, B1: 4.75 }]), { 3: true, 4: false, 5: false }, 'a 4-star minimum missed: 5 stars need more still')
  t.same(mandatoryMet(card, [{ ...all, B1: 5 }, { ...all, B1: 5 }]), { 3: true, 4: true, 5: false }, 'the minimum itself is enough at its level')
  t.same(mandatoryMet(card, [{ ...all, A1: 1 }, { ...all, A1: 3 }]), { 3: true, 4: false, 5: false }, 'met on the members\' mean: 2 is the 3-star minimum')
  t.same(mandatoryMet(card, [{ ...all, A1: 0 }, { ...all, A1: 3 }]), { 3: false, 4: false, 5: false })
  t.same(mandatoryMet(card, []), { 3: false, 4: false, 5: false })
  t.same(minimumPointsErrors([{ criteria: card }]), [])
  t.match(minimumPointsErrors([{ criteria: [{ maxPoints: 10, minimumPoints: { 3: 4, 4: null, 5: 8 } }, { maxPoints: 10, minimumPoints: { 3: null, 4: 6, 5: 11 } }] }]), [
    { pointer: '/parts/0/criteria/0/minimumPoints', detail: { en: /every level above/ } },
    { pointer: '/parts/0/criteria/1/minimumPoints/5', detail: { en: /above the criterion's maximum/ } }
  ])
})

t.test('validity as the Civil Code counts it: expiresOn is the last valid day', async (t) => {
  t.equal(expiryDate('2023-06-16'), '2026-06-16')
  const r = { id: 'r', issuedOn: '2023-06-16', expiresOn: '2026-06-16', revokedOn: null, supersededOn: null, potentialFiveStar: false, reviewedOn: null }
  t.equal(recognitionStatus(r, '2023-06-15'), 'not-yet-in-force')
  t.equal(recognitionStatus(r, '2023-06-16'), 'in-force')
  t.equal(recognitionStatus(r, '2026-06-16'), 'in-force', 'valid through 16 June 2026')
  t.equal(recognitionStatus(r, '2026-06-17'), 'expired', 'the mark is lost on 17 June 2026')
  t.equal(effectEnds(r), '2026-06-17')
  t.equal(validThrough(r), '2026-06-16')
  const leap = { ...r, issuedOn: '2024-02-29', expiresOn: expiryDate('2024-02-29') }
  t.equal(leap.expiresOn, '2027-02-28')
  t.equal(recognitionStatus(leap, '2027-02-28'), 'in-force')
  t.equal(recognitionStatus(leap, '2027-03-01'), 'expired')
  t.equal(recognitionStatus({ ...r, supersededOn: '2026-01-01' }, '2026-01-01'), 'superseded')
  t.equal(recognitionStatus({ ...r, supersededOn: '2026-01-01' }, '2025-12-31'), 'in-force')
  t.equal(recognitionStatus({ ...r, supersededOn: '2026-01-01', revokedOn: '2025-05-05' }, '2026-06-01'), 'revoked', 'the revocation came first')
  t.equal(recognitionStatus({ ...r, supersededOn: '2025-05-05', revokedOn: '2026-01-01' }, '2026-06-01'), 'superseded', 'a revocation dated after the supersession changes nothing')
  t.equal(recognitionStatus({ ...r, revokedOn: '2026-01-01' }, '2025-12-31'), 'in-force', 'a revocation dated ahead takes effect on its date')
  t.equal(validThrough({ ...r, revokedOn: '2026-01-01' }), '2025-12-31')
})

t.test('potential 5-star on a day reads the review as it stood that day', async (t) => {
  const r = { id: 'r', issuedOn: '2025-08-01', expiresOn: '2028-08-01', revokedOn: null, supersededOn: null, potentialFiveStar: true, reviewedOn: '2026-02-10' }
  t.equal(potentialFiveOn(r, '2026-02-09'), true)
  t.equal(potentialFiveOn(r, '2026-02-10'), false)
  t.equal(potentialFiveOn({ ...r, reviewedOn: null }, '2027-01-01'), true)
  t.equal(potentialFiveOn({ ...r, potentialFiveStar: false }, '2026-01-01'), false)
})

t.test('a product\'s standing on a day: in force, or why not', async (t) => {
  const base = { potentialFiveStar: false, reviewedOn: null, revokedOn: null, supersededOn: null }
  const a = { ...base, id: 'a', issuedOn: '2023-01-10', expiresOn: '2026-01-10', supersededOn: '2025-06-01', createdAt: '1' }
  const b = { ...base, id: 'b', issuedOn: '2025-06-01', expiresOn: '2028-06-01', revokedOn: '2027-01-01', createdAt: '2' }
  t.match(standingOn([], '2026-01-01'), { inForce: null, reason: 'never-recognised' })
  t.match(standingOn([a, b], '2022-12-31'), { inForce: null, reason: 'not-yet-recognised' })
  t.match(standingOn([a, b], '2025-05-31'), { inForce: { id: 'a' }, reason: null })
  t.match(standingOn([a, b], '2025-06-01'), { inForce: { id: 'b' }, reason: null })
  t.match(standingOn([a, b], '2027-01-01'), { inForce: null, reason: 'revoked', since: '2027-01-01', last: { id: 'b' } }, 'the superseded one does not come back')
  t.match(standingOn([{ ...a, supersededOn: null }], '2026-01-11'), { inForce: null, reason: 'expired', since: '2026-01-11' })
})

t.test('dates a decision must respect', async (t) => {
  const set = { key: 'QD148-2023', usableFrom: '2023-02-24', usableUntil: null }
  const ok = { level: 'city' as const, decisionDate: '2026-03-10', issuedOn: '2026-03-10', today: '2026-11-23', issueWindowDays: 30, criteriaSet: set }
  t.same(dateRefusals(ok), [])
  t.same(dateRefusals({ ...ok, decisionDate: '2026-11-23', issuedOn: '2026-12-23' }), [], 'today, and an issue date at the end of the window')
  t.match(dateRefusals({ ...ok, decisionDate: '2026-11-24', issuedOn: '2026-11-24' }), [{ slug: 'decision-date-in-future', pointer: '/decisionDate' }])
  t.match(dateRefusals({ ...ok, issuedOn: '2026-03-09' }), [{ slug: 'issue-date-outside-window', pointer: '/issuedOn' }])
  t.match(dateRefusals({ ...ok, issuedOn: '2026-04-10' }), [{ slug: 'issue-date-outside-window', detail: { en: /2026-04-09/ } }])
  t.match(dateRefusals({ ...ok, decisionDate: '2023-02-23', issuedOn: '2023-02-23' }), [{ slug: 'criteria-set-not-usable', pointer: '/decisionDate' }])
  const old = { key: 'QD1048-2019', usableFrom: '2019-08-21', usableUntil: '2023-12-31' }
  t.same(dateRefusals({ ...ok, criteriaSet: old, decisionDate: '2023-12-31', issuedOn: '2023-12-31' }), [], 'the transition: 1048 still usable at the end of 2023')
  t.match(dateRefusals({ ...ok, criteriaSet: old, decisionDate: '2024-01-01', issuedOn: '2024-01-01' }), [{ slug: 'criteria-set-not-usable' }])
  t.match(dateRefusals({ ...ok, criteriaSet: old, decisionDate: '2019-08-20', issuedOn: '2019-08-20' }), [{ slug: 'criteria-set-not-usable' }])
  t.same(dateRefusals({ ...ok, level: 'district', decisionDate: '2025-06-30', issuedOn: '2025-06-30' }), [])
  t.match(dateRefusals({ ...ok, level: 'district', decisionDate: '2025-07-01', issuedOn: '2025-07-01' }), [{ slug: 'district-abolished' }])
})
