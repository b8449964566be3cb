// Lists filtered by administrative unit walk the overlapping units one by one (src/modules/products/list.ts,
// pageInUnits) on the product's copy of its producer's unit (migration 0027). Checked against the same
// list computed here, page by page, in both orders and with other filters; the copy follows a producer
// that moves and cannot be written directly.
import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProducer, makeProduct } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

t.test('a list by unit is the catalogue filtered by the unit and every unit overlapping it, page after page', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z'), env: { RATE_LIMIT_ANONYMOUS: '100000' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  // Gia Lâm (old list) and two of the new units that took its territory; Ba Đình, which does not overlap it.
  const places = [{ adminUnitCode: '018', adminUnitList: 'QD124-2004', registeredOn: '2024-01-15' }, { adminUnitCode: '00577', registeredOn: '2025-08-01' }, { adminUnitCode: '00136', registeredOn: '2025-08-01' }, { adminUnitCode: '001', registeredOn: '2024-01-15' }]
  const producers = []
  for (const place of places) producers.push(await makeProducer(db, place))
  const names = ['Gốm men lam', 'Ấm chén', 'Bình hút lộc', 'gốm men rạn', 'Lụa', 'Chè', 'Ấm tử sa', 'Bát', 'Đĩa', 'Bình']
  for (let i = 0; i < 40; i++) {
    await makeProduct(db, { producerId: producers[i % 4]!.id, nameVi: `${names[i % names.length]} ${i % 3}`, group148: i % 2 ? '4.1' : '1.3', status: i % 7 === 3 ? 'draft' : 'active' })
  }
  await db.query("UPDATE products SET updated_at = now() - (random() * interval '100 days')")

  type Item = { id: string, nameVi: string, updatedAt: string, group148: string, adminUnitCode: string }
  const all = async (query: string) => {
    const seen: Item[] = []
    let cursor: string | null = null
    do {
      const res = await app.inject({ url: `/v1/products?${query}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` })
      t.equal(res.statusCode, 200, query)
      const body = res.json() as { items: Item[], nextCursor: string | null }
      seen.push(...body.items)
      cursor = body.nextCursor
    } while (cursor)
    return seen
  }
  const rows = await db.query<Item & { status: string, producerUnit: string }>(`SELECT p.id, p.name_vi AS "nameVi", p.updated_at AS "updatedAt", p.group_148 AS "group148", p.status, pr.admin_unit_code AS "producerUnit"
    FROM products p JOIN producers pr ON pr.id = p.producer_id`)
  // Independent of the SQL: the active products of producers in 018, 00577 or 00136, in the database's own
  // name order (the collation decides how Ấm and Bình compare), then id.
  const collated = (await db.query<{ id: string }>('SELECT id FROM products ORDER BY name_vi, id')).map((r) => r.id)
  const byName = (a: { id: string }, b: { id: string }) => collated.indexOf(a.id) - collated.indexOf(b.id)
  const byUpdated = (a: Item, b: Item) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.id < b.id ? -1 : 1)
  const inGiaLam = rows.filter((r) => r.status === 'active' && ['018', '00577', '00136'].includes(r.producerUnit))
  t.equal(inGiaLam.length, 26, 'the fixture: 30 products of three overlapping units, 4 of them drafts')

  t.same((await all('adminUnit=018')).map((r) => r.id), inGiaLam.sort(byName).map((r) => r.id), 'by name, across the three units, every page')
  t.same((await all('adminUnit=018&sort=updatedAt')).map((r) => r.id), [...inGiaLam].sort(byUpdated).map((r) => r.id), 'by updatedAt')
  // An import gives its products one updatedAt: pages of ties go on by id, none skipped or repeated.
  await db.query("UPDATE products SET updated_at = '2026-11-20T08:00:00Z' WHERE id = ANY($1::uuid[])", [inGiaLam.filter((_, i) => i % 2).map((r) => r.id)])
  const updated = new Map((await db.query<Item>('SELECT id, updated_at AS "updatedAt" FROM products')).map((r) => [r.id, r.updatedAt]))
  const tied = inGiaLam.map((r) => ({ ...r, updatedAt: updated.get(r.id)! }))
  t.same((await all('adminUnit=018&sort=updatedAt')).map((r) => r.id), tied.sort(byUpdated).map((r) => r.id), 'by updatedAt, half of them tied')
  t.same((await all('adminUnit=018&group148=4.1')).map((r) => r.id), inGiaLam.filter((r) => r.group148 === '4.1').sort(byName).map((r) => r.id), 'with a group')
  t.same((await all('adminUnit=00577&adminUnitList=QD19-2025')).map((r) => r.id), rows.filter((r) => r.status === 'active' && ['018', '00577'].includes(r.producerUnit)).sort(byName).map((r) => r.id), 'a new unit finds the district it took territory from, not its siblings')
  t.same((await all('adminUnit=00004')).map((r) => r.id), rows.filter((r) => r.status === 'active' && r.producerUnit === '001').sort(byName).map((r) => r.id), 'Ba Đình\'s new unit finds the producer of its district 001, none of Gia Lâm\'s')

  // The copy follows the producer: moved from Ba Đình into Bát Tràng, its products join the list.
  const baDinh = producers[3]!
  const moved = await app.inject({ method: 'PATCH', url: `/v1/producers/${baDinh.id}`, headers: admin, payload: { adminUnitCode: '00577' } })
  t.equal(moved.statusCode, 200, moved.body)
  const [copy] = await db.query<{ list: string, code: string, n: number }>('SELECT admin_unit_list AS list, admin_unit_code AS code, count(*)::int AS n FROM products WHERE producer_id = $1 GROUP BY 1, 2', [baDinh.id])
  t.same(copy, { list: 'QD19-2025', code: '00577', n: 10 }, 'every product of the producer now carries its new unit')
  t.equal((await all('adminUnit=018')).length, 26 + rows.filter((r) => r.status === 'active' && r.producerUnit === '001').length, 'and the list by Gia Lâm finds them')

  // The copy cannot drift: a direct write is put back from the producer.
  await db.query("UPDATE products SET admin_unit_code = '001', admin_unit_list = 'QD124-2004' WHERE producer_id = $1", [baDinh.id])
  const [kept] = await db.query<{ code: string }>('SELECT DISTINCT admin_unit_code AS code FROM products WHERE producer_id = $1', [baDinh.id])
  t.equal(kept!.code, '00577', 'a direct write of the copy is undone by the trigger')
})
