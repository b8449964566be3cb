import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

type Minimum = Record<'3' | '4' | '5', number | null>
const NONE: Minimum = { 3: null, 4: null, 5: null }
const criterion = (code: string, maxPoints: number, minimumPoints: Minimum = NONE) => ({ code, titleVi: `Tiêu chí ${code}`, titleEn: `Criterion ${code}`, maxPoints, minimumPoints })
const card = (key: string, c = 35) => ({
  key,
  titleVi: 'Thẻ điểm nhóm thực phẩm',
  titleEn: 'Food group score card',
  decision: '148/QĐ-TTg, annex for group 1',
  appliesFrom: '2026-01-01',
  taxonomy: 'QD148-2023',
  parts: [
    { part: 'A', titleVi: 'Phần A', titleEn: 'Part A', maxPoints: 40, criteria: [criterion('A1', 30, { 3: 12, 4: 18, 5: 24 }), criterion('A2', 10)] },
    { part: 'B', titleVi: 'Phần B', titleEn: 'Part B', maxPoints: 25, criteria: [criterion('B1', 25)] },
    { part: 'C', titleVi: 'Phần C', titleEn: 'Part C', maxPoints: c, criteria: [criterion('C1', 17.5, { 3: null, 4: 10.5, 5: 14 }), criterion('C2', 17.5, { 3: null, 4: null, 5: 14 })] }
  ]
})

t.test('criteria sets', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)

  t.test('both shipped sets are data whose parts add up to 100 with the decisions\' maxima', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/criteria-sets' })
    t.equal(res.statusCode, 200)
    const sets = res.json().items as { key: string, appliesFrom: string, appliesTo: string | null, usableFrom: string, usableUntil: string | null, quorum: number, parts: { part: string, maxPoints: number, criteria: { maxPoints: number, minimumPoints: Minimum }[] }[] }[]
    t.same(sets.map((s) => s.key), ['QD1048-2019', 'QD148-2023'])
    t.same(sets.map((s) => s.parts.map((p) => p.maxPoints)), [[35, 25, 40], [40, 25, 35]])
    for (const set of sets) {
      for (const part of set.parts) t.equal(part.criteria.reduce((sum, c) => sum + c.maxPoints, 0), part.maxPoints, `${set.key} part ${part.part}`)
      const minima = set.parts.flatMap((p) => p.criteria.map((c) => c.minimumPoints))
      for (const star of ['3', '4', '5'] as const) t.ok(minima.some((m) => m[star] !== null), `${set.key} has mandatory criteria for ${star} stars`)
      t.equal(set.quorum, 3, `${set.key} needs three score sheets`)
    }
    t.equal(sets[0]!.appliesTo, '2023-02-23')
    t.same([sets[0]!.usableFrom, sets[0]!.usableUntil], ['2019-08-21', '2023-12-31'], 'QD1048 stays usable through the 2023 transition')
    t.same([sets[1]!.usableFrom, sets[1]!.usableUntil], ['2023-02-24', null])
    // Shipped minima: 40%, 60% and 80% of the criterion's maximum from the level it becomes mandatory.
    t.same(sets[1]!.parts.flatMap((p) => p.criteria).find((c) => c.maxPoints === 10 && c.minimumPoints[3] !== null)?.minimumPoints, { 3: 4, 4: 6, 5: 8 })
    t.equal(sets[1]!.appliesFrom, '2023-02-24')
    const one = await app.inject({ method: 'GET', url: '/v1/criteria-sets/QD148-2023' })
    t.same(one.json(), sets[1])
    t.ok(one.headers.etag)
    t.equal((await app.inject({ method: 'GET', url: '/v1/criteria-sets/QD999-2030' })).statusCode, 404)
  })

  t.test('an admin adds a version whose card adds up; it is audited', async (t) => {
    // The answer is read back inside the write's transaction, one connection: no query may be sent
    // while another runs on it (node-postgres warns of it, and pg 9 refuses it).
    const warnings: string[] = []
    const warned = (w: Error) => { warnings.push(w.message) }
    process.on('warning', warned)
    const res = await app.inject({ method: 'POST', url: '/v1/criteria-sets', headers: admin, payload: card('QD148-2023-FOOD') })
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', warned)
    t.same(warnings.filter((w) => /already executing a query/.test(w)), [], 'one query at a time on the transaction\'s connection')
    t.equal(res.statusCode, 201)
    t.equal(res.headers.location, '/v1/criteria-sets/QD148-2023-FOOD')
    t.match(res.json(), { key: 'QD148-2023-FOOD', appliesTo: null, parts: [{ part: 'A', criteria: [{ code: 'A1', maxPoints: 30, minimumPoints: { 3: 12, 4: 18, 5: 24 } }, { code: 'A2' }] }], usableFrom: '2026-01-01', usableUntil: null, quorum: 3 })
    const [audit] = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'criteria_set' AND entity_id = 'QD148-2023-FOOD'")
    t.equal(audit?.action, 'create')
    const again = await app.inject({ method: 'POST', url: '/v1/criteria-sets', headers: admin, payload: card('QD148-2023-FOOD') })
    t.equal(again.statusCode, 409, 'a version never changes once made')
  })

  t.test('a card that does not add up is refused naming where, and nothing is written', async (t) => {
    const before = await db.query('SELECT count(*)::int AS n FROM criteria')
    const parts = await app.inject({ method: 'POST', url: '/v1/criteria-sets', headers: admin, payload: card('BAD-PARTS', 30) })
    t.equal(parts.statusCode, 422)
    t.match(parts.json().errors, [{ pointer: '/parts', detail: /là 95, không phải 100/ }, { pointer: '/parts/2/criteria', detail: /là 35, không phải 30 của phần/ }])
    const twice = card('BAD-CODES')
    twice.parts[1]!.criteria = [criterion('A1', 25)]
    const dup = await app.inject({ method: 'POST', url: '/v1/criteria-sets', headers: admin, payload: twice })
    t.equal(dup.statusCode, 422)
    t.match(dup.json().errors, [{ pointer: '/parts/1/criteria/0/code', detail: /bị dùng hai lần/ }])
    const mandatory = card('BAD-MANDATORY')
    mandatory.parts[0]!.criteria[0]!.minimumPoints = { 3: 12, 4: null, 5: 31 }
    const minima = await app.inject({ method: 'POST', url: '/v1/criteria-sets', headers: admin, payload: mandatory })
    t.equal(minima.statusCode, 422)
    t.match(minima.json().errors, [{ pointer: '/parts/0/criteria/0/minimumPoints/5', detail: /vượt điểm tối đa 30 của tiêu chí/ }, { pointer: '/parts/0/criteria/0/minimumPoints', detail: /mọi hạng cao hơn/ }])
    t.same(await db.query('SELECT count(*)::int AS n FROM criteria'), before)
  })
})
