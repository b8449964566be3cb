import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { labelToken } from '../../../src/modules/labels/rules.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { FULL_MARKS, makeEvaluation, makeProduct } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'
import { follow, projecting } from '../listings/helpers.ts'

const SCORE_75 = { ...FULL_MARKS, A3: 0, A4: 0, C3: 5 }
const SCORE_60 = { ...FULL_MARKS, A3: 0, A4: 0, A5: 0, B1: 0 }
let n = 0
const decision = (decisionDate: string, extra: Record<string, unknown> = {}) => ({ decisionNumber: `${++n}/QĐ-UBND`, decisionDate, certificateNumber: `HN-TL-${process.pid}-${n}`, ...extra })

t.test('the certificate timeline', async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock })
  // Each write projected at once, on the clock's date: the running service's projector, a moment later.
  const inject = projecting(app)
  const keys = {
    city: bearer((await makeKey(db, 'council', { councilLevel: 'city' })).token),
    central: bearer((await makeKey(db, 'council', { councilLevel: 'central' })).token),
    district: bearer((await makeKey(db, 'council', { councilLevel: 'district' })).token),
    admin: bearer((await makeKey(db, 'admin')).token),
    partner: bearer((await makeKey(db, 'partner')).token)
  }
  const active = async () => (await makeProduct(db, { status: 'active' })).id
  const decide = async (level: 'city' | 'central' | 'district', productId: string, sheet: Record<string, number>, body: Record<string, unknown>, sheets = 3) => {
    const evaluation = await makeEvaluation(db, { productId, councilLevel: level, sheet, sheets })
    return inject({ method: 'POST', url: `/v1/evaluations/${evaluation.id}/decide`, headers: keys[level], payload: body })
  }
  const recognitionCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recognitions'))[0]!.n
  /** The recognition in force on every day from `from` to `to`, by the stored definition: at most one. */
  const inForceEachDay = (productId: string, from: string, to: string) => db.query<{ day: string, n: number, id: string | null }>(`SELECT to_char(d, 'YYYY-MM-DD') AS day, count(r.id)::int AS n, min(r.id::text) AS id
    FROM generate_series($2::date, $3::date, '1 day') d LEFT JOIN recognitions r ON r.product_id = $1 AND r.issued_on <= d::date AND r.effect_ends_on > d::date GROUP BY d ORDER BY d`, [productId, from, to])

  t.test('each rule a decision breaks is a 422 naming the field and the rule, and saves nothing', async (t) => {
    const before = await recognitionCount()
    const cases: [string, () => Promise<Awaited<ReturnType<typeof decide>>>, string, string][] = [
      ['decision-date-in-future', async () => decide('city', await active(), SCORE_75, decision('2026-11-24')), 'body', '/decisionDate'],
      ['issue-date-outside-window', async () => decide('city', await active(), SCORE_75, decision('2026-03-10', { issuedOn: '2026-03-09' })), 'body', '/issuedOn'],
      ['issue-date-outside-window', async () => decide('city', await active(), SCORE_75, decision('2026-03-10', { issuedOn: '2026-04-10' })), 'body', '/issuedOn'],
      ['criteria-set-not-usable', async () => decide('city', await active(), SCORE_75, decision('2023-02-20')), 'body', '/decisionDate'],
      ['no-pending-forward', async () => decide('central', await active(), FULL_MARKS, decision('2026-03-10')), 'path', '/id'],
      ['district-abolished', async () => decide('district', await active(), SCORE_60, decision('2025-07-01')), 'body', '/decisionDate'],
      ['no-three-star-authority', async () => decide('city', await active(), SCORE_60, decision('2025-07-03')), 'body', '/decisionDate'],
      ['outside-authority', async () => decide('city', await active(), SCORE_60, decision('2025-06-30')), 'body', '/decisionDate']
    ]
    for (const [slug, send, where, pointer] of cases) {
      const res = await send()
      t.equal(res.statusCode, 422, slug)
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
      t.match(res.json(), { type: `/problems/${slug}`, status: 422, title: String, detail: String, errors: [{ in: where, pointer, detail: new RegExp(slug) }] }, slug)
    }
    t.equal(await recognitionCount(), before, 'nothing was recognised')
    t.match((await decide('city', await active(), SCORE_75, decision('2026-11-23', { issuedOn: '2026-12-23' }))).json(), { outcome: 'recognised', recognition: { issuedOn: '2026-12-23', status: 'not-yet-in-force' } }, 'today, issued at the end of the 30-day window')
  })

  t.test('a decision needs the quorum of score sheets: 409 naming the count', async (t) => {
    const res = await decide('city', await active(), SCORE_75, decision('2026-03-10'), 2)
    t.equal(res.statusCode, 409)
    t.match(res.json(), { type: '/problems/quorum-not-met', detail: /có 2 phiếu chấm; hội đồng quyết định theo QD148-2023 cần ít nhất 3/ })
  })

  t.test('twenty concurrent decisions on one product leave one recognition in force on each day', async (t) => {
    const product = await active()
    const evaluations = await Promise.all(Array.from({ length: 20 }, () => makeEvaluation(db, { productId: product, sheet: SCORE_75 })))
    const answers = await Promise.all(evaluations.map((e, i) => app.inject({ method: 'POST', url: `/v1/evaluations/${e.id}/decide`, headers: keys.city, payload: decision(`2026-0${1 + (i % 9)}-10`) })))
    t.same(answers.map((a) => a.statusCode).filter((s) => s !== 200 && s !== 409), [], 'each is recognised or refused as out of order')
    const days = await inForceEachDay(product, '2025-12-01', '2030-01-01')
    t.ok(days.every((d) => d.n <= 1), 'never two on one day')
    t.ok(days.filter((d) => d.day >= '2026-01-10' && d.day <= '2029-01-10').every((d) => d.n === 1), 'always one from the first issue date to its expiry')
    const history = (await app.inject({ url: `/v1/products/${product}/recognitions` })).json()
    t.equal(history.items.length, answers.filter((a) => a.statusCode === 200).length, 'every acknowledged decision is in the history')
    t.equal(history.items.filter((r: { status: string }) => r.status === 'in-force').length, 1)
  })

  t.test('decisions entered out of order: a gap is filled, a superseded certificate is never shortened', async (t) => {
    const product = await active()
    const first = (await decide('city', product, SCORE_75, decision('2023-03-01'))).json().recognition
    await app.inject({ method: 'POST', url: `/v1/recognitions/${first.id}/revoke`, headers: keys.city, payload: { decisionReference: 'TH-1', revokedOn: '2024-01-01', reason: 'x' } })
    const third = (await decide('city', product, SCORE_60, decision('2025-08-01'))).json().recognition
    const late = await decide('city', product, SCORE_75, decision('2024-06-01'))
    t.equal(late.statusCode, 200, 'the gap from 2024-01-01 is filled')
    t.match(late.json().recognition, { issuedOn: '2024-06-01', supersededBy: third.id, supersededOn: '2025-08-01', status: 'superseded' }, 'and yields to the one already recorded after it')
    const inside = await decide('city', product, SCORE_75, decision('2025-09-01'))
    t.equal(inside.statusCode, 200, 'after the latest: an ordinary supersession')
    const shortening = await decide('city', product, SCORE_75, decision('2025-01-01'))
    t.equal(shortening.statusCode, 409)
    t.match(shortening.json(), { type: '/problems/out-of-order', errors: [{ pointer: '/issuedOn' }] })
    const days = await inForceEachDay(product, '2023-02-01', '2029-01-01')
    t.ok(days.every((d) => d.n <= 1), 'one recognition per day')
    t.same(days.filter((d, i) => i === 0 || d.id !== days[i - 1]!.id).map((d) => d.day), ['2023-02-01', '2023-03-01', '2024-01-01', '2024-06-01', '2025-08-01', '2025-09-01', '2028-09-02'])
  })

  t.test('the database keeps history append-only and refuses two recognitions in force at once', async (t) => {
    const product = await active()
    const r = (await decide('city', product, SCORE_75, decision('2026-03-10'))).json().recognition
    for (const statement of [
      'UPDATE recognitions SET star = 3 WHERE id = $1',
      'UPDATE recognitions SET expires_on = expires_on + 1 WHERE id = $1',
      'DELETE FROM recognitions WHERE id = $1'
    ]) await t.rejects(db.query(statement, [r.id]), /append-only|never changes/, statement)
    await db.query("UPDATE recognitions SET revoked_on = '2027-01-01', revocation_reference = 'x', revocation_reason = 'y' WHERE id = $1", [r.id])
    await t.rejects(db.query("UPDATE recognitions SET revoked_on = '2027-02-01' WHERE id = $1", [r.id]), /revocation is recorded once/)
    await t.rejects(db.query("UPDATE recognitions SET notice_sent_on = '2026-11-01' WHERE id = $1", [r.id]).then(() => db.query("UPDATE recognitions SET notice_sent_on = '2026-11-02' WHERE id = $1", [r.id])), /notice is recorded once/)
    const evaluation = await makeEvaluation(db, { productId: product, sheet: SCORE_75 })
    await t.rejects(db.query(`INSERT INTO recognitions (product_id, evaluation_id, decision_number, decision_date, issuing_level, star, certificate_number, issued_on, expires_on)
      VALUES ($1, $2, 'x', '2026-05-01', 'city', 4, 'HN-OVERLAP', '2026-05-01', '2029-05-01')`, [product, evaluation.id]), /recognitions_one_in_force|conflicting key/, 'an overlapping period')
  })

  t.test('a label printed under an earlier certificate follows the product', async (t) => {
    const product = await active()
    const first = (await decide('city', product, SCORE_75, decision('2026-03-10'))).json().recognition
    const batch = await app.inject({ method: 'POST', url: `/v1/products/${product}/label-batches`, headers: keys.admin, payload: { quantity: 1 } })
    t.equal(batch.statusCode, 201)
    const [{ secret, first: serial }] = await db.query<{ secret: string, first: number }>('SELECT secret, first_serial AS first FROM label_batches WHERE id = $1', [batch.json().id]) as [{ secret: string, first: number }]
    const scan = async () => (await app.inject({ url: `/v1/labels/${labelToken(secret, serial)}` })).json()
    const second = (await decide('city', product, SCORE_75, decision('2026-11-20'))).json().recognition
    t.match(await scan(), { status: 'valid', valid: true, certificateNumber: first.certificateNumber, current: { certificateNumber: second.certificateNumber, star: 4, validThrough: '2029-11-20' }, validUntil: '2029-11-20', message: /Tem OCOP chính hãng.*in theo giấy chứng nhận trước đó/ })
    await app.inject({ method: 'POST', url: `/v1/recognitions/${second.id}/revoke`, headers: keys.city, payload: { decisionReference: 'TH-2', revokedOn: '2026-11-23', reason: 'x' } })
    t.match(await scan(), { status: 'revoked', valid: false, current: null, message: /2026-11-23/ }, 'no recognition in force: not valid')
    await app.inject({ method: 'POST', url: `/v1/label-batches/${batch.json().id}/void`, headers: keys.admin, payload: { reason: 'Mất' } })
    t.match(await scan(), { status: 'voided', valid: false })
  })

  t.test('notices: due at the lead time, overdue once fewer than 30 days remain', async (t) => {
    const product = await active()
    const r = (await decide('city', product, SCORE_75, decision('2023-12-20'))).json().recognition // valid through 2026-12-20
    const listed = async (query: string) => (await app.inject({ url: `/v1/recognitions?${query}&limit=100`, headers: keys.admin })).json().items.map((i: { id: string }) => i.id).includes(r.id)
    t.notOk(await listed('noticeDue=true&asOf=2026-11-04'), '46 days before: not due')
    t.ok(await listed('noticeDue=true&asOf=2026-11-05'), '45 days before: due')
    t.notOk(await listed('noticeOverdue=true&asOf=2026-11-20'), '30 days before: not late yet')
    t.ok(await listed('noticeOverdue=true&asOf=2026-11-21'), '29 days before: overdue')
    t.match((await app.inject({ url: '/v1/recognitions?noticeOverdue=true&limit=100', headers: keys.admin })).json().items.find((i: { id: string }) => i.id === r.id), { noticeDueFrom: '2026-11-05', noticeOverdue: true })
    const sent = await app.inject({ method: 'POST', url: `/v1/recognitions/${r.id}/notice`, headers: keys.city, payload: { sentOn: '2026-11-23' } })
    t.match(sent.json(), { noticeSentOn: '2026-11-23', noticeOverdue: true }, 'sent late, and it says so')
    t.notOk(await listed('noticeOverdue=true&asOf=2026-11-23'))
  })

  t.test('a product through 3 stars, 4 stars, a confirmed potential 5-star and a revocation dated ahead', async (t) => {
    const product = await active()
    const start = await follow(app, keys.partner)
    clock.set('2025-08-01T03:00:00Z')
    t.equal((await decide('city', product, SCORE_60, decision('2025-08-01', { decisionNumber: '101/QĐ-UBND', certificateNumber: 'HN-STORY-3' }))).statusCode, 200)
    clock.set('2026-02-01T03:00:00Z')
    t.equal((await decide('city', product, SCORE_75, decision('2026-02-01', { decisionNumber: '202/QĐ-UBND', certificateNumber: 'HN-STORY-4' }))).statusCode, 200)
    clock.set('2026-05-04T03:00:00Z')
    t.equal((await decide('city', product, FULL_MARKS, decision('2026-05-04', { decisionNumber: '303/QĐ-UBND', certificateNumber: 'HN-STORY-4P' }))).statusCode, 200)
    clock.set('2026-09-15T03:00:00Z')
    t.equal((await decide('central', product, FULL_MARKS, decision('2026-09-15', { decisionNumber: '404/QĐ-BNN', certificateNumber: 'HN-STORY-5' }))).statusCode, 200)
    clock.set('2026-11-23T03:00:00Z')
    const five = (await app.inject({ url: `/v1/products/${product}/recognitions` })).json().items.at(-1)
    t.equal((await app.inject({ method: 'POST', url: `/v1/recognitions/${five.id}/revoke`, headers: keys.central, payload: { decisionReference: '505/QĐ-BNN', revokedOn: '2026-12-01', reason: 'Không duy trì tiêu chuẩn' } })).statusCode, 200)
    t.match((await app.inject({ url: `/v1/products/${product}` })).json().rating, { star: 5 }, 'still 5 stars until the revocation date')
    const history = (await app.inject({ url: `/v1/products/${product}/recognitions` })).json()
    t.same(history.events.map((e: { on: string, kind: string, reference: string | null, star: number }) => `${e.on} ${e.kind} ${e.star} ${e.reference}`), [
      '2025-08-01 recognised 3 101/QĐ-UBND',
      '2026-02-01 superseded 3 202/QĐ-UBND',
      '2026-02-01 recognised 4 202/QĐ-UBND',
      '2026-05-04 superseded 4 303/QĐ-UBND',
      '2026-05-04 recognised 4 303/QĐ-UBND',
      '2026-09-15 superseded 4 404/QĐ-BNN',
      '2026-09-15 review-confirmed 4 404/QĐ-BNN',
      '2026-09-15 recognised 5 404/QĐ-BNN',
      '2026-12-01 revoked 5 505/QĐ-BNN'
    ])
    t.same((await app.inject({ url: `/v1/products/${product}?asOf=2026-06-01` })).json().rating, { star: 4, certificateNumber: 'HN-STORY-4P', certificateExpiresOn: '2029-05-04', potentialFiveStar: true })
    t.equal((await app.inject({ url: `/v1/products/${product}?asOf=2026-12-01` })).json().rating, null)
    const feed = (await follow(app, keys.partner, start.cursor)).changes.filter((c) => c.productId === product)
    t.same(feed.map((c) => `${c.kind} ${c.reason} ${c.listing?.star ?? ''} ${c.listing?.potentialFiveStar ?? ''}`.trim()), [
      'upsert listed 3 false', 'upsert updated 4 false', 'upsert updated 4 true', 'upsert updated 5 false'
    ], 'the revocation dated ahead adds its removal on 2026-12-01, through the scheduled job')
  })
})
