import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { FULL_MARKS, makeEvaluation, makeProduct } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const without = (...codes: string[]) => Object.fromEntries(Object.entries(FULL_MARKS).map(([c, v]) => [c, codes.includes(c) ? 0 : v]))
const SCORE_75 = { ...without('A3', 'A4'), C3: 5 }
const SCORE_60 = without('A3', 'A4', 'A5', 'B1')
const SCORE_40 = without('A2', 'A3', 'A4', 'A5', 'B1', 'B3', 'C3', 'C4')
const SCORE_85_NO_C2 = without('C2', 'C4')
// The QD1048-2019 card: 65 points, its 3-star mandatory criteria met.
const SCORE_60_1048 = { A1: 10, A2: 5, A3: 0, A4: 0, B1: 0, B2: 10, B3: 5, C1: 10, C2: 10, C3: 15, C4: 0 }
let certificate = 0
const decision = (decisionDate: string, extra: Record<string, unknown> = {}) => ({ decisionNumber: `${++certificate}/QĐ-UBND`, decisionDate, certificateNumber: `HN-OCOP-${certificate}`, ...extra })

t.test('decisions, recognitions and the potential 5-star review', async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock })
  const keys = {
    city: bearer((await makeKey(db, 'council', { councilLevel: 'city' })).token),
    central: bearer((await makeKey(db, 'council', { councilLevel: 'central' })).token),
    district: bearer((await makeKey(db, 'council', { councilLevel: 'district' })).token)
  }
  const decide = async (level: 'city' | 'central' | 'district', productId: string, sheet: Record<string, number>, body: Record<string, unknown>, criteriaSet?: string) => {
    const evaluation = await makeEvaluation(db, { productId, councilLevel: level, sheet, criteriaSet })
    return app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/decide`, headers: keys[level], payload: body })
  }
  const history = async (productId: string) => (await app.inject({ method: 'GET', url: `/v1/products/${productId}/recognitions` })).json().items as Record<string, unknown>[]
  const rating = async (productId: string) => (await app.inject({ method: 'GET', url: `/v1/products/${productId}` })).json().rating

  t.test('potential 5-star confirmed by the central council', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    const city = await decide('city', product.id, FULL_MARKS, decision('2026-03-10'))
    t.equal(city.statusCode, 200)
    t.match(city.json(), { outcome: 'recognised', evaluation: { status: 'decided', star: 4 }, recognition: { star: 4, potentialFiveStar: true, reviewStatus: 'pending', issuedOn: '2026-03-10', expiresOn: '2029-03-10', issuingLevel: 'city' } })
    t.match(await rating(product.id), { star: 4, potentialFiveStar: true, certificateExpiresOn: '2029-03-10' })
    const central = await decide('central', product.id, FULL_MARKS, decision('2026-09-01'))
    t.match(central.json(), { outcome: 'recognised', recognition: { star: 5, potentialFiveStar: false, issuingLevel: 'central' } })
    const [four, five] = await history(product.id)
    t.match(four, { star: 4, reviewStatus: 'confirmed', supersededBy: central.json().recognition.id, supersededOn: '2026-09-01', status: 'superseded' })
    t.match(five, { star: 5, supersededBy: null, status: 'in-force' })
    t.match(await rating(product.id), { star: 5, potentialFiveStar: false })
  })

  t.test('potential 5-star rejected by the central council: the 4 stars stand', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    await decide('city', product.id, FULL_MARKS, decision('2026-03-10'))
    const central = await decide('central', product.id, SCORE_75, decision('2026-09-01'))
    t.equal(central.statusCode, 200)
    t.match(central.json(), { outcome: 'review-rejected', recognition: null, evaluation: { star: 4 } })
    const items = await history(product.id)
    t.equal(items.length, 1)
    t.match(items[0], { star: 4, reviewStatus: 'rejected', supersededBy: null })
    t.match(await rating(product.id), { star: 4, potentialFiveStar: false })
  })

  t.test('the authority regime turns on the decision date', async (t) => {
    const product = async () => (await makeProduct(db, { status: 'active' })).id
    const before = await decide('district', await product(), SCORE_60, decision('2025-06-30'))
    t.match(before.json(), { outcome: 'recognised', recognition: { star: 3, issuingLevel: 'district' } })
    const after = await decide('district', await product(), SCORE_60, decision('2025-07-06'))
    t.equal(after.statusCode, 422)
    t.match(after.json(), { type: '/problems/district-abolished', errors: [{ in: 'body', pointer: '/decisionDate' }] })
    const cityThree = await decide('city', await product(), SCORE_60, decision('2025-06-30'))
    t.equal(cityThree.statusCode, 422, 'under QD148 before the reform the city recognises 4 stars only')
    t.match(cityThree.json(), { type: '/problems/outside-authority', detail: /hội đồng cấp city chỉ công nhận 4 sao/ })
    const under1048 = await decide('city', await product(), SCORE_60_1048, decision('2023-02-23'), 'QD1048-2019')
    t.match(under1048.json(), { outcome: 'recognised', recognition: { star: 3, issuingLevel: 'city' } }, 'under QD1048 the city recognised 3 stars')
    const district1048 = await decide('district', await product(), SCORE_60_1048, decision('2023-02-23'), 'QD1048-2019')
    t.equal(district1048.statusCode, 422, 'under QD1048 districts only pre-evaluated')
  })

  t.test('1 and 2 stars are recorded without a recognition', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    const res = await decide('city', product.id, SCORE_40, { decisionNumber: '9/QĐ-UBND', decisionDate: '2026-03-10' })
    t.match(res.json(), { outcome: 'recorded', recognition: null, evaluation: { star: 2, status: 'decided' } })
    t.same(await history(product.id), [])
    t.equal(await rating(product.id), null)
  })

  t.test('a missing mandatory criterion caps the star', async (t) => {
    const res = await decide('city', (await makeProduct(db, { status: 'active' })).id, SCORE_85_NO_C2, decision('2026-03-10'))
    t.match(res.json(), { evaluation: { score: 85, tier: 4, star: 3 }, recognition: { star: 3 } })
  })

  t.test('re-recognition may carry fewer stars; history keeps every recognition in order', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    await decide('city', product.id, SCORE_75, decision('2023-05-02'))
    const again = await decide('city', product.id, SCORE_60, decision('2026-04-20'))
    t.match(again.json(), { recognition: { star: 3 } })
    const items = await history(product.id)
    t.same(items.map((r) => r.star), [4, 3])
    t.equal(items[0]!.supersededBy, items[1]!.id)
    t.match(await rating(product.id), { star: 3 })
  })

  t.test('a certificate issued on 29 February expires on 28 February', async (t) => {
    const res = await decide('city', (await makeProduct(db, { status: 'active' })).id, SCORE_75, decision('2024-02-29'))
    t.match(res.json().recognition, { issuedOn: '2024-02-29', expiresOn: '2027-02-28' })
  })

  t.test('a certificate is valid through its expiry date and stops showing the day after, in Hanoi time', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    await decide('city', product.id, SCORE_75, decision('2023-11-23'))
    clock.set('2026-11-23T16:59:59Z') // 23:59:59 on 23 November in Hanoi: the last valid day
    t.match(await rating(product.id), { star: 4, certificateExpiresOn: '2026-11-23' })
    t.match((await history(product.id))[0], { expiresOn: '2026-11-23', status: 'in-force' })
    clock.set('2026-11-23T17:00:00Z') // midnight, 24 November in Hanoi
    t.equal(await rating(product.id), null)
    t.match((await history(product.id))[0], { expiresOn: '2026-11-23', status: 'expired' }, 'the recognition itself stays in the history')
    clock.set('2026-11-23T03:00:00Z')
  })

  t.test('revocation ends a recognition early and keeps it in the history', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    const decided = await decide('city', product.id, SCORE_75, decision('2026-03-10'))
    const id = decided.json().recognition.id
    const district = await app.inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers: keys.district, payload: { decisionReference: '77/QĐ', revokedOn: '2026-06-01', reason: 'x' } })
    t.equal(district.statusCode, 403, 'a council revokes what its level issued')
    const early = await app.inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers: keys.city, payload: { decisionReference: '77/QĐ', revokedOn: '2026-01-01', reason: 'x' } })
    t.equal(early.statusCode, 422)
    const res = await app.inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers: keys.city, payload: { decisionReference: '77/QĐ-UBND', revokedOn: '2026-06-01', reason: 'Không duy trì chất lượng' } })
    t.equal(res.statusCode, 200)
    t.match(res.json(), { revokedOn: '2026-06-01', revocationReference: '77/QĐ-UBND', revocationReason: 'Không duy trì chất lượng', star: 4 })
    t.equal(await rating(product.id), null)
    t.match(await history(product.id), [{ id, revokedOn: '2026-06-01', status: 'revoked' }])
    const again = await app.inject({ method: 'POST', url: `/v1/recognitions/${id}/revoke`, headers: keys.city, payload: { decisionReference: '78/QĐ', revokedOn: '2026-06-02', reason: 'x' } })
    t.equal(again.statusCode, 409)
    const [audit] = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'recognition' AND entity_id = $1", [id])
    t.equal(audit?.action, 'revoke')
  })

  t.test('a decision needs a scored evaluation, a certificate number when recognised, and a unique one', async (t) => {
    const product = await makeProduct(db, { status: 'active' })
    const draft = await makeEvaluation(db, { productId: product.id })
    t.equal((await app.inject({ method: 'POST', url: `/v1/evaluations/${draft.id}/decide`, headers: keys.city, payload: decision('2026-03-10') })).statusCode, 409)
    const missing = await decide('city', product.id, SCORE_75, { decisionNumber: '1/QĐ', decisionDate: '2026-03-10' })
    t.equal(missing.statusCode, 422)
    t.match(missing.json().errors, [{ pointer: '/certificateNumber' }])
    const first = await decide('city', product.id, SCORE_75, decision('2026-03-10', { certificateNumber: 'HN-DUP-1' }))
    t.equal(first.statusCode, 200)
    const twice = await app.inject({ method: 'POST', url: `/v1/evaluations/${first.json().evaluation.id}/decide`, headers: keys.city, payload: decision('2026-03-11') })
    t.equal(twice.statusCode, 409, 'decided once')
    const dup = await decide('city', (await makeProduct(db, { status: 'active' })).id, SCORE_75, decision('2026-03-10', { certificateNumber: 'HN-DUP-1' }))
    t.equal(dup.statusCode, 409)
    t.match(dup.json().errors, [{ pointer: '/certificateNumber' }])
    for (const computed of [{ star: 5 }, { expiresOn: '2030-01-01' }, { potentialFiveStar: true }, { outcome: 'recognised' }]) {
      const res = await decide('city', product.id, SCORE_75, { ...decision('2026-03-10'), ...computed })
      t.equal(res.statusCode, 400, `${Object.keys(computed)[0]} is computed, never sent`)
      t.match(res.json().errors, [{ pointer: `/${Object.keys(computed)[0]}` }])
    }
  })
})
