import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const SCORE_75 = { ...FULL_MARKS, A3: 0, A4: 0, C3: 5 }
const SCORE_60 = { ...FULL_MARKS, A3: 0, A4: 0, A5: 0, B1: 0 }

t.test('the current rating on a date, and the rating filters', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const city = bearer((await makeKey(db, 'council', { councilLevel: 'city' })).token)
  const producer = await makeProducer(db, { name: 'HTX Xếp hạng' })
  const decide = async (productId: string, sheet: Record<string, number>, date: string) => {
    const evaluation = await makeEvaluation(db, { productId, sheet })
    return (await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/decide`, headers: city, payload: { decisionNumber: `QĐ-${date}`, decisionDate: date, certificateNumber: `HN-${productId}-${date}` } })).json()
  }
  const four = await makeProduct(db, { producerId: producer.id, status: 'active', nameVi: 'Bốn sao' })
  await decide(four.id, SCORE_75, '2025-09-01') // 4 stars through 2028-09-01
  const three = await makeProduct(db, { producerId: producer.id, status: 'active', nameVi: 'Ba sao' })
  await decide(three.id, SCORE_75, '2023-08-01') // 4 stars through 2026-08-01, superseded on 2025-08-01 by
  await decide(three.id, SCORE_60, '2025-08-01') // 3 stars through 2028-08-01 (the city recognises 3 stars since 2025-07-06)
  await makeProduct(db, { producerId: producer.id, status: 'active', nameVi: 'Chưa xếp hạng' })

  const read = async (id: string, asOf?: string) => (await app.inject({ method: 'GET', url: `/v1/products/${id}${asOf ? `?asOf=${asOf}` : ''}` })).json().rating
  t.test('asOf before, during and after a recognition', async (t) => {
    t.equal(await read(four.id, '2025-08-31'), null, 'before it was issued')
    t.match(await read(four.id, '2025-09-01'), { star: 4, certificateExpiresOn: '2028-09-01' }, 'on its issue date')
    t.match(await read(four.id), { star: 4 }, 'today')
    t.match(await read(four.id, '2028-09-01'), { star: 4 }, 'valid through its expiry date')
    t.equal(await read(four.id, '2028-09-02'), null, 'lost the day after')
    t.match(await read(three.id, '2025-07-31'), { star: 4 }, 'the day before the supersession')
    t.match(await read(three.id, '2024-01-01'), { star: 4 }, 'the earlier recognition, then in force')
    t.match(await read(three.id, '2025-08-01'), { star: 3 })
  })

  t.test('star, minStar and hasValidCertificate, today and as of a date', async (t) => {
    const names = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}&${query}` })).json().items.map((p: { nameVi: string }) => p.nameVi).sort()
    t.same(await names('star=4'), ['Bốn sao'])
    t.same(await names('minStar=3'), ['Ba sao', 'Bốn sao'])
    t.same(await names('hasValidCertificate=false'), ['Chưa xếp hạng'])
    t.same(await names('hasValidCertificate=true'), ['Ba sao', 'Bốn sao'])
    t.same(await names('star=4&asOf=2024-01-01'), ['Ba sao'], 'in 2024 the other product held 4 stars')
    t.same(await names('hasValidCertificate=true&asOf=2020-01-01'), [])
    const listed = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}&asOf=2024-01-01&sort=name` })
    t.same(listed.json().items.map((p: { rating: { star: number } | null }) => p.rating?.star ?? null), [4, null, null], 'Ba sao, Bốn sao, Chưa xếp hạng as of 2024')
  })
})
