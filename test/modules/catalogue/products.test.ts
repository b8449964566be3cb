import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProduct, makeProducer } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('products', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const producer = await makeProducer(db, { name: 'HTX Mây tre đan Phú Vinh', adminUnitCode: '277' })
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products'))[0]!.n

  t.test('creates a product with a generated code, the 1048 group derived, and no rating yet', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: { producerId: producer.id, nameVi: 'Giỏ mây Phú Vinh', nameEn: 'Phu Vinh rattan basket', group148: '4.1', priceVnd: 250000, imageUrls: ['https://cdn.example.vn/gio-may.jpg'] } })
    t.equal(res.statusCode, 201)
    t.match(res.json(), { code: /^HN-\d{6}$/, producerId: producer.id, producerName: 'HTX Mây tre đan Phú Vinh', adminUnitCode: '277', group148: '4.1', group1048: 'keepsake', status: 'draft', rating: null, priceVnd: 250000 })
    const textile = await app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: { producerId: producer.id, nameVi: 'Khăn lụa', group148: '4.2' } })
    t.equal(textile.json().group1048, 'cloth', 'textiles map back to the 1048 textiles group')
    const plant = await app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: { producerId: producer.id, nameVi: 'Cây cảnh bonsai', group148: '5.1' } })
    t.equal(plant.json().group1048, null, 'ornamental plants have no 1048 group')
    const given = await app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: { producerId: producer.id, nameVi: 'Bộ ấm chén', group148: '4.1', group1048: 'keepsake.01' } })
    t.equal(given.json().group1048, 'keepsake.01', 'a given 1048 group is kept')
  })

  const invalid: [string, Record<string, unknown>, number, string][] = [
    ['an unknown 148 group', { group148: '9.9' }, 422, '/group148'],
    ['an unknown 1048 group', { group1048: 'spaceships' }, 422, '/group1048'],
    ['a missing 148 group', { group148: undefined }, 400, '/group148'],
    ['an image URL that is not https', { imageUrls: ['http://cdn.example.vn/a.jpg'] }, 400, '/imageUrls/0'],
    ['too many images', { imageUrls: Array.from({ length: 11 }, (_, i) => `https://cdn.example.vn/${i}.jpg`) }, 400, '/imageUrls'],
    ['a negative price', { priceVnd: -1 }, 400, '/priceVnd'],
    ['a fractional price', { priceVnd: 10.5 }, 400, '/priceVnd'],
    ['an unknown producer', { producerId: '00000000-0000-4000-8000-000000000000' }, 422, '/producerId'],
    ['a rating sent by the client', { rating: { star: 5 } }, 400, '/rating'],
    ['a code sent by the client', { code: 'HN-999999' }, 400, '/code'],
    ['an archived status', { status: 'archived' }, 400, '/status']
  ]
  for (const [what, change, status, pointer] of invalid) {
    t.test(`${what} is refused with ${status} naming ${pointer}, and nothing is written`, async (t) => {
      const before = await count()
      const res = await app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: { producerId: producer.id, nameVi: 'Giỏ mây', group148: '4.1', ...change } })
      t.equal(res.statusCode, status)
      t.ok(res.json().errors.some((e: { pointer: string }) => e.pointer === pointer), JSON.stringify(res.json().errors))
      t.equal(await count(), before)
    })
  }

  t.test('drafts and archived products are invisible to anonymous readers and partners', async (t) => {
    const partner = bearer((await makeKey(db, 'partner')).token)
    const draft = await makeProduct(db, { producerId: producer.id, nameVi: 'Bản nháp' })
    const active = await makeProduct(db, { producerId: producer.id, nameVi: 'Đã công bố', status: 'active' })
    const archived = await makeProduct(db, { producerId: producer.id, nameVi: 'Đã lưu trữ', status: 'active' })
    t.equal((await app.inject({ method: 'POST', url: `/v1/products/${archived.id}/archive`, headers: admin })).statusCode, 200)
    for (const headers of [{}, partner]) {
      t.equal((await app.inject({ method: 'GET', url: `/v1/products/${draft.id}`, headers })).statusCode, 404)
      t.equal((await app.inject({ method: 'GET', url: `/v1/products/${archived.id}`, headers })).statusCode, 404)
      t.equal((await app.inject({ method: 'GET', url: `/v1/products/${active.id}`, headers })).statusCode, 200)
      const list = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}&limit=100`, headers })
      t.ok(list.json().items.every((p: { status: string }) => p.status === 'active'))
      const asked = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}&status=draft`, headers })
      t.same(asked.json().items, [], 'asking for drafts shows none')
    }
    t.equal((await app.inject({ method: 'GET', url: `/v1/products/${draft.id}`, headers: admin })).statusCode, 200)
    const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
    t.equal((await app.inject({ method: 'GET', url: `/v1/products/${draft.id}`, headers: elsewhere })).statusCode, 404, 'another unit\'s draft reads as 404')
    const home = bearer((await makeKey(db, 'operator', { adminUnits: ['277'] })).token)
    t.equal((await app.inject({ method: 'GET', url: `/v1/products/${draft.id}`, headers: home })).statusCode, 200)
    const homeDrafts = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}&status=draft&limit=100`, headers: home })
    t.ok(homeDrafts.json().items.some((p: { id: string }) => p.id === draft.id), 'an operator lists the drafts of its units')
    const otherDrafts = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}&status=draft`, headers: elsewhere })
    t.same(otherDrafts.json().items, [], 'but not those of other units')
    const producersSeen = await app.inject({ method: 'GET', url: '/v1/producers?status=inactive', headers: elsewhere })
    t.equal(producersSeen.statusCode, 200)
  })

  t.test('only a draft can be deleted', async (t) => {
    const active = await makeProduct(db, { producerId: producer.id, status: 'active' })
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/products/${active.id}`, headers: admin })).statusCode, 409)
    const draft = await makeProduct(db, { producerId: producer.id })
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/products/${draft.id}`, headers: admin })).statusCode, 204)
    t.equal((await app.inject({ method: 'GET', url: `/v1/products/${draft.id}`, headers: admin })).statusCode, 404)
  })

  t.test('ETag and If-Match on products', async (t) => {
    const product = await makeProduct(db, { producerId: producer.id, status: 'active' })
    const read = await app.inject({ method: 'GET', url: `/v1/products/${product.id}` })
    const etag = read.headers.etag as string
    t.equal((await app.inject({ method: 'GET', url: `/v1/products/${product.id}`, headers: { 'if-none-match': etag } })).statusCode, 304)
    t.equal((await app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: { ...admin, 'if-match': etag }, payload: { priceVnd: 1 } })).statusCode, 200)
    const stale = await app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, headers: { ...admin, 'if-match': etag }, payload: { priceVnd: 2 } })
    t.equal(stale.statusCode, 412)
    const staleDelete = await app.inject({ method: 'POST', url: `/v1/products/${product.id}/archive`, headers: { ...admin, 'if-match': etag } })
    t.equal(staleDelete.statusCode, 412)
    const fresh = (await app.inject({ method: 'GET', url: `/v1/products/${product.id}` })).headers.etag as string
    t.equal((await app.inject({ method: 'POST', url: `/v1/products/${product.id}/archive`, headers: { ...admin, 'if-match': fresh } })).statusCode, 200)
  })

  t.test('filters: group (a group includes its sub-groups), producer, updatedSince', async (t) => {
    const other = await makeProducer(db, { adminUnitCode: '018' })
    const a = await makeProduct(db, { producerId: other.id, group148: '4.1', status: 'active' })
    const b = await makeProduct(db, { producerId: other.id, group148: '4.2', status: 'active' })
    const c = await makeProduct(db, { producerId: other.id, group148: '1.3', status: 'active' })
    const ids = async (query: string) => (await app.inject({ method: 'GET', url: `/v1/products?producer=${other.id}&${query}` })).json().items.map((p: { id: string }) => p.id).sort()
    t.same(await ids('group148=4'), [a.id, b.id].sort())
    t.same(await ids('group148=4.2'), [b.id])
    t.same(await ids('group1048=food'), [c.id])
    t.same(await ids('adminUnit=018'), [a.id, b.id, c.id].sort())
    const since = new Date(Date.now() + 1000).toISOString()
    await db.query("UPDATE products SET updated_at = now() + interval '1 minute' WHERE id = $1", [c.id])
    t.same(await ids(`updatedSince=${since}`), [c.id])
  })

  t.test('pages never skip or repeat a row while rows are inserted and updated between requests', async (t) => {
    const p = await makeProducer(db)
    const original = new Set<string>()
    for (let i = 0; i < 25; i++) original.add((await makeProduct(db, { producerId: p.id, nameVi: `Bánh ${String(i).padStart(2, '0')}`, status: 'active' })).id)
    for (const sort of ['name', 'updatedAt']) {
      const seen: string[] = []
      let url: string | undefined = `/v1/products?producer=${p.id}&limit=7&sort=${sort}`
      let round = 0
      while (url) {
        const res = await app.inject({ method: 'GET', url })
        const body = res.json() as { items: { id: string }[], nextCursor: string | null }
        seen.push(...body.items.map((i) => i.id))
        // Between pages: a row sorting before the cursor, one after it, and a change to a row not yet seen.
        await makeProduct(db, { producerId: p.id, nameVi: `Bánh 00-${sort}-${round}`, status: 'active' })
        if (sort === 'name') await makeProduct(db, { producerId: p.id, nameVi: `Bánh 99-${round}`, status: 'active' })
        await db.query("UPDATE products SET price_vnd = coalesce(price_vnd, 0) + 1 WHERE producer_id = $1 AND name_vi = 'Bánh 24'", [p.id])
        url = body.nextCursor ? `/v1/products?producer=${p.id}&limit=7&sort=${sort}&cursor=${body.nextCursor}` : undefined
        round++
      }
      t.equal(new Set(seen).size, seen.length, `${sort}: no row repeated`)
      t.ok([...original].every((id) => seen.includes(id)), `${sort}: every row present at the start was seen`)
    }
  })
})
