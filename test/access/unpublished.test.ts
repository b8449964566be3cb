// One rule decides whose unpublished records a list shows (unpublishedScope in src/lib/principal.ts), and
// every list uses it. Before, producers hid inactive ones from operators of every unit, while products
// showed them theirs; and an operator of another unit saw decided evaluations of a draft product.
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { makeEvaluation, makeProduct, makeProducer } from '../helpers/factories.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

t.test('lists show unpublished records by one rule', async (t) => {
  const { app, db } = await buildTestApp(t)
  const producer = await makeProducer(db, { adminUnitCode: '018' })
  const draft = await makeProduct(db, { producerId: producer.id })
  await makeEvaluation(db, { productId: draft.id })
  await db.query("UPDATE evaluations SET status = 'decided', score = 80, star = 4, decision_number = 'QĐ-1', decision_date = '2026-01-05' WHERE product_id = $1", [draft.id])
  await db.query("UPDATE producers SET status = 'inactive' WHERE id = $1", [producer.id])
  const callers = {
    admin: bearer((await makeKey(db, 'admin')).token),
    'operator of every unit': bearer((await makeKey(db, 'operator')).token),
    'operator of 018': bearer((await makeKey(db, 'operator', { adminUnits: ['018'] })).token),
    'operator of 281': bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token),
    partner: bearer((await makeKey(db, 'partner')).token)
  }
  const sees = { admin: true, 'operator of every unit': true, 'operator of 018': true, 'operator of 281': false, partner: false }
  for (const [caller, headers] of Object.entries(callers)) {
    const ids = async (url: string) => ((await app.inject({ method: 'GET', url, headers })).json().items as { id: string, productId?: string }[])
    const expected = sees[caller as keyof typeof sees]
    t.equal((await ids('/v1/producers?status=inactive')).some((p) => p.id === producer.id), expected, `${caller}: the inactive producer`)
    t.equal((await ids('/v1/products')).some((p) => p.id === draft.id), expected, `${caller}: the draft product`)
    t.equal((await ids(`/v1/evaluations?product=${draft.id}`)).length > 0, expected, `${caller}: the draft's decided evaluation`)
  }
})
