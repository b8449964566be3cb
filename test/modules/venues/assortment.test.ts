import t from 'tap'
import { addDays, fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeRecognition, makeVenue } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('a venue carries recognised products only, and stops showing them when the certificate ends', async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const venue = await makeVenue(db)
  const recognitionId = await makeRecognition(db)
  const [{ id: recognised, expires } = { id: '', expires: '' }] = await db.query<{ id: string, expires: string }>(
    "SELECT product_id AS id, to_char(expires_on, 'YYYY-MM-DD') AS expires FROM recognitions WHERE id = $1", [recognitionId])
  const unrecognised = await makeProduct(db, { status: 'active' })
  const entries = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM venue_products'))[0]!.n
  const shown = async (url: string) => (await app.inject({ url })).json().items.map((i: { productId?: string, id: string }) => i.productId ?? i.id)

  t.test('a product without a recognition in force is refused by name, and nothing is added', async (t) => {
    const res = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [recognised, unrecognised.id] } })
    t.equal(res.statusCode, 422)
    t.same(res.json().errors, [{ in: 'body', pointer: '/productIds/1', detail: `sản phẩm ${unrecognised.id} không có công nhận OCOP từ 3 sao trở lên còn hiệu lực hôm nay` }])
    t.match(res.json().detail, unrecognised.id)
    t.equal(await entries(), 0)
    const missing = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: ['00000000-0000-4000-8000-000000000000'] } })
    t.equal(missing.statusCode, 422)
    t.equal(missing.json().errors[0].pointer, '/productIds/0')
    const before = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [recognised], since: '2026-01-10' } })
    t.equal(before.statusCode, 422, 'not in force on `since` (recognised in March 2026)')
    t.match(before.json().errors[0].detail, /không có công nhận còn hiệu lực vào ngày 2026-01-10/)
  })

  t.test('a recognised product is added and shown; adding it twice is a conflict', async (t) => {
    const res = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [recognised], since: '2026-04-01' } })
    t.equal(res.statusCode, 201)
    t.equal(res.headers.location, `/v1/venues/${venue.id}/products`, 'Location: the assortment it now appears in')
    t.match(res.json().items, [{ venueId: venue.id, productId: recognised, star: 4, since: '2026-04-01', until: null, shown: true, certificateExpiresOn: expires }])
    t.same(await shown(`/v1/venues/${venue.id}/products`), [recognised])
    t.same(await shown(`/v1/products/${recognised}/venues`), [venue.id])
    t.same(await shown(`/v1/venues?carries=${recognised}`), [venue.id])
    const twice = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [recognised] } })
    t.equal(twice.statusCode, 409)
    t.equal(twice.json().errors[0].pointer, '/productIds/0')
    t.equal(await entries(), 1)
  })

  t.test('the day after the last valid day the product leaves the current assortment; the record stays', async (t) => {
    const dayAfter = `${addDays(expires, 1)}T00:00:00+07:00`
    clock.set(new Date(new Date(dayAfter).getTime() - 1000).toISOString())
    t.same(await shown(`/v1/venues/${venue.id}/products`), [recognised], 'still shown at 23:59:59 on its last valid day, Hanoi time')
    clock.set(dayAfter)
    t.same(await shown(`/v1/venues/${venue.id}/products`), [], 'gone at midnight in Hanoi')
    t.same(await shown(`/v1/products/${recognised}/venues`), [])
    t.same(await shown(`/v1/venues?carries=${recognised}`), [])
    const history = await app.inject({ url: `/v1/venues/${venue.id}/products?history=true` })
    t.match(history.json().items, [{ productId: recognised, since: '2026-04-01', until: null, shown: false, star: null, certificateExpiresOn: null }])
    const late = await app.inject({ method: 'POST', url: `/v1/venues/${(await makeVenue(db)).id}/products`, headers: admin, payload: { productIds: [recognised] } })
    t.equal(late.statusCode, 422, 'an expired product cannot be added')
    clock.set('2026-11-23T03:00:00Z')
  })

  t.test('revocation removes it at once', async (t) => {
    const other = await makeRecognition(db)
    const [{ id: productId } = { id: '' }] = await db.query<{ id: string }>('SELECT product_id AS id FROM recognitions WHERE id = $1', [other])
    await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [productId] } })
    t.ok((await shown(`/v1/venues/${venue.id}/products`)).includes(productId))
    const revoked = await app.inject({ method: 'POST', url: `/v1/recognitions/${other}/revoke`, headers: admin, payload: { decisionReference: 'QĐ-thu-hồi', revokedOn: '2026-11-23', reason: 'Vi phạm' } })
    t.equal(revoked.statusCode, 200)
    t.notOk((await shown(`/v1/venues/${venue.id}/products`)).includes(productId))
    t.ok((await shown(`/v1/venues/${venue.id}/products?history=true`)).includes(productId), 'the record stays')
  })

  t.test('withdrawing ends the period; closing the venue ends the rest', async (t) => {
    const other = await makeRecognition(db)
    const [{ id: productId } = { id: '' }] = await db.query<{ id: string }>('SELECT product_id AS id FROM recognitions WHERE id = $1', [other])
    const second = await makeRecognition(db)
    const [{ id: secondProduct } = { id: '' }] = await db.query<{ id: string }>('SELECT product_id AS id FROM recognitions WHERE id = $1', [second])
    await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [productId, secondProduct], since: '2026-11-01' } })
    const early = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products/${productId}/withdraw`, headers: admin, payload: { until: '2026-10-01' } })
    t.equal(early.statusCode, 422)
    const res = await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products/${productId}/withdraw`, headers: admin, payload: { until: '2026-11-20' } })
    t.equal(res.statusCode, 200)
    t.match(res.json(), { productId, since: '2026-11-01', until: '2026-11-20', shown: false })
    t.equal((await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products/${productId}/withdraw`, headers: admin, payload: {} })).statusCode, 404, 'no current period left')
    t.notOk((await shown(`/v1/venues/${venue.id}/products`)).includes(productId))
    await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/close`, headers: admin, payload: { closedOn: '2026-11-23' } })
    const [row] = await db.query<{ until: string }>("SELECT to_char(until, 'YYYY-MM-DD') AS until FROM venue_products WHERE venue_id = $1 AND product_id = $2", [venue.id, secondProduct])
    t.equal(row?.until, '2026-11-23', 'closing the venue ends what it still carried')
    t.same(await shown(`/v1/venues/${venue.id}/products`), [])
    t.notOk((await shown(`/v1/products/${secondProduct}/venues`)).includes(venue.id), 'a closed venue is not where to buy it')
    t.equal((await app.inject({ method: 'POST', url: `/v1/venues/${venue.id}/products`, headers: admin, payload: { productIds: [secondProduct] } })).statusCode, 409, 'a closed venue carries nothing new')
    const history = await app.inject({ url: `/v1/venues/${venue.id}/products?history=true&limit=2` })
    t.equal(history.json().items.length, 2)
    t.ok(history.headers.link, 'history pages')
  })

  t.test('operators write the assortment of their units only', async (t) => {
    const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
    const target = await makeVenue(db)
    const res = await app.inject({ method: 'POST', url: `/v1/venues/${target.id}/products`, headers: elsewhere, payload: { productIds: [unrecognised.id] } })
    t.equal(res.statusCode, 403)
  })
})
