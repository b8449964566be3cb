import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const scaled = (factor: number) => Object.fromEntries(Object.entries(FULL_MARKS).map(([code, max]) => [code, Math.floor(max * factor * 4) / 4]))

t.test('evaluations and score sheets', async (t) => {
  const { app, db } = await buildTestApp(t)
  const city = bearer((await makeKey(db, 'council', { councilLevel: 'city' })).token)
  const district = bearer((await makeKey(db, 'council', { councilLevel: 'district' })).token)
  const producer = await makeProducer(db, { adminUnitCode: '279' })
  const product = await makeProduct(db, { producerId: producer.id, status: 'active', group148: '4.1' })

  t.test('an operator prepares the dossier for a product of its unit and submits it', async (t) => {
    const operator = bearer((await makeKey(db, 'operator', { adminUnits: ['279'] })).token)
    const created = await app.inject({ method: 'POST', url: '/v1/evaluations', headers: operator, payload: { productId: product.id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 2 } } })
    t.equal(created.statusCode, 201)
    t.match(created.json(), { productId: product.id, status: 'draft', score: null, tier: null, mandatoryMet: null, sheets: [], round: { year: 2026, batch: 2 } })
    const submitted = await app.inject({ method: 'POST', url: `/v1/evaluations/${created.json().id}/submit`, headers: operator })
    t.equal(submitted.statusCode, 200)
    t.equal(submitted.json().status, 'submitted')
    const again = await app.inject({ method: 'POST', url: `/v1/evaluations/${created.json().id}/submit`, headers: operator })
    t.equal(again.statusCode, 409)
    const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
    const refused = await app.inject({ method: 'POST', url: '/v1/evaluations', headers: elsewhere, payload: { productId: product.id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 2 } } })
    t.equal(refused.statusCode, 403)
  })

  t.test('sheets are totalled and the score is the truncated mean, with tier and mandatory criteria', async (t) => {
    const evaluation = await makeEvaluation(db, { productId: product.id, submit: true })
    const first = await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/score-sheets`, headers: city, payload: { memberName: 'Nguyễn Thị Hoa', points: { ...FULL_MARKS, C4: 0, A4: 0 } } })
    t.equal(first.statusCode, 200)
    t.match(first.json(), { status: 'scored', score: 85, tier: 4, mandatoryMet: { 3: true, 4: true, 5: false } })
    t.match(first.json().sheets, [{ memberName: 'Nguyễn Thị Hoa', partTotals: { A: 30, B: 25, C: 30 }, total: 85 }])
    const second = await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/score-sheets`, headers: city, payload: { memberName: 'Trần Văn Minh', points: { ...FULL_MARKS, C4: 0, A4: 0, A2: 0.25 } } })
    t.match(second.json(), { score: 82.62, tier: 4 }, '(85 + 80.25) / 2 = 82.625, truncated to 82.62')
    const [row] = await db.query<{ score: string }>('SELECT score::text AS score FROM evaluations WHERE id = $1', [evaluation.id])
    t.equal(row?.score, '82.62')
  })

  t.test('a sheet above a maximum, with an unknown or a missing criterion is refused naming it', async (t) => {
    const evaluation = await makeEvaluation(db, { productId: product.id, submit: true })
    const { A1: _a1, ...missing } = FULL_MARKS
    const cases: [Record<string, number>, string][] = [[{ ...FULL_MARKS, B2: 10.5 }, '/points/B2'], [{ ...FULL_MARKS, Z1: 1 }, '/points/Z1'], [missing, '/points/A1']]
    for (const [points, pointer] of cases) {
      const res = await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/score-sheets`, headers: city, payload: { memberName: 'X', points } })
      t.equal(res.statusCode, 422)
      t.match(res.json().errors, [{ in: 'body', pointer }])
    }
    t.same(await db.query('SELECT count(*)::int AS n FROM score_sheets WHERE evaluation_id = $1', [evaluation.id]), [{ n: 0 }])
  })

  t.test('computed fields cannot be sent', async (t) => {
    for (const field of ['score', 'tier', 'mandatoryMet', 'status']) {
      const res = await app.inject({ method: 'POST', url: '/v1/evaluations', headers: city, payload: { productId: product.id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 1 }, [field]: 1 } })
      t.equal(res.statusCode, 400, field)
      t.match(res.json().errors, [{ pointer: `/${field}` }])
    }
    const evaluation = await makeEvaluation(db, { productId: product.id, submit: true })
    const res = await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/score-sheets`, headers: city, payload: { memberName: 'X', points: FULL_MARKS, total: 100 } })
    t.equal(res.statusCode, 400)
  })

  t.test('a council acts at the level on its key', async (t) => {
    const evaluation = await makeEvaluation(db, { productId: product.id, submit: true })
    const res = await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/score-sheets`, headers: district, payload: { memberName: 'X', points: scaled(0.6) } })
    t.equal(res.statusCode, 403)
    const open = await app.inject({ method: 'POST', url: '/v1/evaluations', headers: district, payload: { productId: product.id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 1 } } })
    t.equal(open.statusCode, 403)
  })

  t.test('anonymous readers see no draft, scored evaluation or sheet', async (t) => {
    const evaluation = await makeEvaluation(db, { productId: product.id, submit: true })
    await app.inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/score-sheets`, headers: city, payload: { memberName: 'Lê Văn Tùng', points: scaled(0.8) } })
    t.equal((await app.inject({ method: 'GET', url: `/v1/evaluations/${evaluation.id}` })).statusCode, 404)
    const list = await app.inject({ method: 'GET', url: `/v1/evaluations?product=${product.id}` })
    t.same(list.json().items, [])
    t.notMatch(list.body, /Lê Văn Tùng/)
    const staff = await app.inject({ method: 'GET', url: `/v1/evaluations/${evaluation.id}`, headers: city })
    t.match(staff.json().sheets, [{ memberName: 'Lê Văn Tùng' }])
    const staffList = (await app.inject({ method: 'GET', url: `/v1/evaluations?product=${product.id}&limit=100`, headers: city })).json().items as { id: string, sheets: { memberName: string }[] }[]
    t.ok(staffList.length > 1)
    t.same(staffList.find((e) => e.id === evaluation.id)?.sheets.map((s) => s.memberName), ['Lê Văn Tùng'], 'each listed evaluation carries its own sheets')
    t.ok(staffList.filter((e) => e.id !== evaluation.id).every((e) => !e.sheets.some((s) => s.memberName === 'Lê Văn Tùng')))
  })

  t.test('an evaluation under QD1048 needs the product\'s 1048 group', async (t) => {
    const plant = await makeProduct(db, { producerId: producer.id, status: 'active', group148: '5.1' })
    const res = await app.inject({ method: 'POST', url: '/v1/evaluations', headers: city, payload: { productId: plant.id, criteriaSet: 'QD1048-2019', councilLevel: 'city', round: { year: 2022, batch: 1 } } })
    t.equal(res.statusCode, 422)
    t.match(res.json().errors, [{ pointer: '/criteriaSet' }])
  })

  t.test('a product with an evaluation can no longer be deleted', async (t) => {
    const draft = await makeProduct(db, { producerId: producer.id })
    await makeEvaluation(db, { productId: draft.id })
    const admin = bearer((await makeKey(db, 'admin')).token)
    const res = await app.inject({ method: 'DELETE', url: `/v1/products/${draft.id}`, headers: admin })
    t.equal(res.statusCode, 409)
    t.match(res.json().detail, /hồ sơ đánh giá/)
    t.equal((await db.query('SELECT 1 FROM products WHERE id = $1', [draft.id])).length, 1)
  })
})
