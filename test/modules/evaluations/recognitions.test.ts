import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const SCORE_75 = { ...FULL_MARKS, A3: 0, A4: 0, C3: 5 }

t.test('recognitions list, statuses on a day, and the 30-day notice', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const city = bearer((await makeKey(db, 'council', { councilLevel: 'city' })).token)
  const recognise = async (issued: string, unit = '279') => {
    const producer = await makeProducer(db, { adminUnitCode: unit })
    const product = await makeProduct(db, { producerId: producer.id, status: 'active' })
    const evaluation = await makeEvaluation(db, { productId: product.id, sheet: SCORE_75 })
    const res = await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/decide`, headers: city, payload: { decisionNumber: `QĐ-${issued}`, decisionDate: issued, certificateNumber: `HN-${issued}-${unit}` } })
    return { product: product.id, recognition: res.json().recognition as { id: string, expiresOn: string } }
  }
  const expiringSoon = await recognise('2023-12-10') // expires 2026-12-10: 17 days after "today"
  const expiredAlready = await recognise('2023-06-01') // expired 2026-06-01
  const fresh = await recognise('2026-02-01', '281') // expires 2029-02-01
  const revoked = await recognise('2025-01-15')
  await app.inject({ method: 'POST', url: `/v1/recognitions/${revoked.recognition.id}/revoke`, headers: city, payload: { decisionReference: 'QĐ-thu-hồi', revokedOn: '2026-05-01', reason: 'x' } })

  const ids = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/recognitions?${query}` })).json().items.map((r: { id: string }) => r.id)
  t.same(await ids('status=in-force'), [expiringSoon.recognition.id, fresh.recognition.id], 'in force today, soonest expiry first')
  t.same(await ids('status=expired'), [expiredAlready.recognition.id])
  t.same(await ids('status=revoked'), [revoked.recognition.id])
  t.same(await ids('status=in-force&asOf=2026-04-30'), [expiredAlready.recognition.id, expiringSoon.recognition.id, revoked.recognition.id, fresh.recognition.id], 'as of a past day')
  t.same(await ids('expiresBefore=2027-01-01&status=in-force'), [expiringSoon.recognition.id])
  t.same(await ids('adminUnit=281'), [fresh.recognition.id])
  t.same(await ids('star=4&level=city&status=in-force'), [expiringSoon.recognition.id, fresh.recognition.id])

  t.same(await ids('noticeDue=true'), [expiringSoon.recognition.id], 'in force, expiring within 30 days, not notified')
  const notice = await app.inject({ method: 'POST', url: `/v1/recognitions/${expiringSoon.recognition.id}/notice`, headers: city, payload: { sentOn: '2026-11-23' } })
  t.equal(notice.statusCode, 200)
  t.equal(notice.json().noticeSentOn, '2026-11-23')
  t.same(await ids('noticeDue=true'), [], 'a recorded notice is no longer due')
  t.equal((await app.inject({ method: 'POST', url: `/v1/recognitions/${expiringSoon.recognition.id}/notice`, headers: city, payload: { sentOn: '2026-11-24' } })).statusCode, 409)
  const late = await app.inject({ method: 'POST', url: `/v1/recognitions/${fresh.recognition.id}/notice`, headers: city, payload: { sentOn: '2029-02-01' } })
  t.equal(late.statusCode, 422, 'a notice on or after the expiry date is refused')
  t.equal((await app.inject({ method: 'GET', url: '/v1/recognitions?status=bogus' })).statusCode, 400)
})
