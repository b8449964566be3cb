// A list by unit, or the plain catalogue, is planned once, not on every request (src/modules/products/list.ts, PLANNED_SIZES):
// PostgreSQL keeps the prepared walk's generic plan after five executions, which pg_prepared_statements
// counts per connection. A search is planned for its words on every request. PostgreSQL only: PGlite
// runs each statement unnamed.
import t from 'tap'
import { sql } from 'drizzle-orm'
import { forCustomPlans, forGenericPlans, type Db } from '../../../src/db/client.ts'
import { fixedClock } from '../../../src/lib/clock.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { createTestDb, explain, onPostgres, planCounts, type SentStatement } from '../../helpers/db.ts'
import { makeProducer } from '../../helpers/factories.ts'

/** Runs SQL text on one of the pools (client.ts), answering its rows. */
const onPool = (pool: Db) => async (text: string) => (await pool.execute(sql.raw(text)) as unknown as { rows: unknown[] }).rows

t.test('a list by unit, and a plain page, keep one generic plan on their connection after five requests', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  // One connection, so that every request and the count below share it.
  const db = await createTestDb({ poolMax: 1 })
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db, clock: fixedClock('2026-11-23T03:00:00Z'), env: { RATE_LIMIT_ANONYMOUS: '100000' } })
  const gialam = await makeProducer(db, { adminUnitCode: '018', adminUnitList: 'QD124-2004' })
  const badinh = await makeProducer(db, { adminUnitCode: '001', adminUnitList: 'QD124-2004' })
  // Enough products that a plan matters: 3,000 in two units, one in twenty a draft.
  await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
    SELECT CASE WHEN g % 2 = 0 THEN $1::uuid ELSE $2::uuid END, 'Gốm Bát Tràng ' || g, CASE WHEN g % 3 = 0 THEN '4.1' ELSE '1.3' END,
           CASE WHEN g % 20 = 0 THEN 'draft' ELSE 'active' END
    FROM generate_series(1, 3000) g`, [gialam.id, badinh.id])
  await db.query('ANALYZE products')

  const url = '/v1/products?adminUnit=018&group148=4.1&limit=20'
  const bodies: string[] = []
  for (let i = 0; i < 8; i++) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200)
    bodies.push(res.body)
  }
  t.equal(new Set(bodies).size, 1, 'the same page from the custom plans and from the generic one')
  t.equal((JSON.parse(bodies[0]!) as { items: unknown[] }).items.length, 20)
  // Planned for the first five requests, then the kept generic plan.
  const keptAfterFive = [{ generic: 3, custom: 5 }]
  t.same(await planCounts(db, "statement LIKE '%CROSS JOIN LATERAL%'"), keptAfterFive, 'the walk by unit')
  const eightTimes = async (path: string) => { for (let i = 0; i < 8; i++) t.equal((await app.inject({ url: path })).statusCode, 200) }

  // The catalogue's plain page (no filter) too.
  await eightTimes('/v1/products?limit=20')
  t.same(await planCounts(db, "statement NOT LIKE '%LATERAL%' AND statement LIKE '%limit 21'"), keptAfterFive, 'a plain page')

  // A search is planned for its words each time, never on a kept generic plan: it is sent on the pool
  // whose connections force custom plans, where it is named (parsed once) and planned for each request.
  for (let i = 0; i < 6; i++) t.equal((await app.inject({ url: '/v1/products?q=gom&adminUnit=018&limit=20' })).statusCode, 200)
  t.same(await planCounts(db, "statement LIKE '%search_exact%'"), [], 'no search statement on the main pool')
  const searchPool = forCustomPlans(db.db)
  t.not(searchPool, db.db, 'searches have a pool of their own')
  const onSearchPool = onPool(searchPool)
  t.same(await onSearchPool('SHOW plan_cache_mode'), [{ plan_cache_mode: 'force_custom_plan' }], 'its connections force custom plans')
  t.same(await db.query('SHOW plan_cache_mode'), [{ plan_cache_mode: 'auto' }], 'the main pool\'s do not')
  t.same(await onSearchPool("SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE '%search_exact%'"),
    [{ generic: 0, custom: 6 }], 'the search is prepared once and planned for each of the six requests')

  // The point read: prepared once, on a kept generic plan.
  const one = (JSON.parse(bodies[0]!) as { items: { id: string }[] }).items[0]!.id
  await eightTimes(`/v1/products/${one}`)
  t.same(await planCounts(db, "name = 'product_by_id'"), keptAfterFive, 'a point read')

  // Another size is planned per request, and pages the same.
  const seven = await app.inject({ url: url.replace('limit=20', 'limit=7') })
  t.same((seven.json() as { items: { id: string }[] }).items.map((p) => p.id), (JSON.parse(bodies[0]!) as { items: { id: string }[] }).items.slice(0, 7).map((p) => p.id), 'limit=7: the first seven of the same order')
})

// A plain search's first read has its plan written into it (list.ts, cappedPage): kept once per connection.
t.test('a plain search\'s first read keeps one plan on its pool; words with many first-tier matches are probed after their first search', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const db = await createTestDb({ poolMax: 1 })
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db, clock: fixedClock('2026-11-23T03:00:00Z'), env: { RATE_LIMIT_ANONYMOUS: '100000' } })
  const producer = await makeProducer(db)
  await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
    SELECT $1::uuid, 'Gốm Bát Tràng ' || g, '1.3', 'active' FROM generate_series(1, 3000) g`, [producer.id])
  await db.query('ANALYZE products')
  const generic = onPool(forGenericPlans(db.db))
  const custom = onPool(forCustomPlans(db.db))
  const counts = "SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement LIKE '%search_exact%' ORDER BY statement"
  t.same(await generic('SHOW plan_cache_mode'), [{ plan_cache_mode: 'force_generic_plan' }], 'its connections keep one plan per statement')

  // `bat trang` as typed is in no name (tier 0 is empty, whole): one statement, on the kept plan.
  const pages = async (url: string, times: number) => {
    const bodies = new Set<string>()
    for (let i = 0; i < times; i++) {
      const res = await app.inject({ url })
      t.equal(res.statusCode, 200)
      bodies.add(res.body)
    }
    t.equal(bodies.size, 1, `${url}: the same page each time`)
    return JSON.parse([...bodies][0]!) as { items: { nameVi: string }[] }
  }
  const plain = await pages('/v1/products?q=bat%20trang&limit=20', 6)
  t.equal(plain.items.length, 20)
  t.same(await generic(counts), [{ generic: 6, custom: 0 }], 'the first read: prepared once, planned once, run six times')
  t.same(await custom(counts), [], 'nothing more was read')

  // `gốm` is in all 3,000 names: its first search learns that (capped, then probed); later ones are probed at once.
  const crowded = await pages('/v1/products?q=g%E1%BB%91m&limit=20', 4)
  t.same(crowded.items.slice(0, 3).map((p) => p.nameVi), ['Gốm Bát Tràng 1', 'Gốm Bát Tràng 10', 'Gốm Bát Tràng 100'], 'in name order')
  t.same(await generic(counts), [{ generic: 7, custom: 0 }], 'the capped read once, for the first search of gốm (its page was in the first names)')
  t.same(await custom(counts), [{ generic: 0, custom: 3 }], 'the probed read for the three after it, planned for its words')

  // `tranh` is in 1,200 names, none among the first 1,000 (all `Gốm …`), and nothing else matches there:
  // the capped read finds no row to say so, and the page is read again, probed; the next searches are probed at once.
  await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
    SELECT $1::uuid, 'Tranh sơn mài ' || g, '1.3', 'active' FROM generate_series(1, 1200) g`, [producer.id])
  await db.query('ANALYZE products')
  const tranh = await pages('/v1/products?q=tranh&limit=20', 3)
  t.same(tranh.items.slice(0, 2).map((p) => p.nameVi), ['Tranh sơn mài 1', 'Tranh sơn mài 10'])
  t.same(await generic(counts), [{ generic: 8, custom: 0 }], 'the capped read once, for the first search of tranh')
})

// At 200,000 products the catalogue-wide walk took 0.6 s for a next page (npm run bench -- shapes).
t.test('the next page of a unit by updatedAt walks the unit\'s index when its products share one updatedAt', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const sent: SentStatement[] = []
  const db = await createTestDb({ logQuery: (sql, params) => sent.push({ sql, params }) })
  // The plan of the walk by unit that the last request sent.
  const walkPlan = () => explain(db, sent.find((s) => s.sql.includes('CROSS JOIN LATERAL'))!)
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db, clock: fixedClock('2026-11-23T03:00:00Z'), env: { RATE_LIMIT_ANONYMOUS: '100000' } })
  const units = ['018', '001', '002', '003'].map((code) => makeProducer(db, { adminUnitCode: code, adminUnitList: 'QD124-2004' }))
  const ids = (await Promise.all(units)).map((p) => p.id)
  // An import: 20,000 products written in one statement, so all with the same updatedAt.
  await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
    SELECT ($1::uuid[])[1 + g % 4], 'Lụa Vạn Phúc ' || g, '1.3', 'active' FROM generate_series(1, 20000) g`, [ids])
  await db.query('ANALYZE products')
  const first = await app.inject({ url: '/v1/products?adminUnit=018&sort=updatedAt&limit=20' })
  const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1]
  sent.length = 0
  const second = await app.inject({ url: next! })
  t.equal(second.statusCode, 200)
  t.equal((second.json() as { items: unknown[] }).items.length, 20)
  const plans = await walkPlan()
  t.match(plans, /Index Scan using products_active_unit_updated_idx/, 'the walk reads the unit\'s index on (unit, updatedAt, id)')
  t.notMatch(plans, /products_updated_idx/, 'not the whole catalogue\'s index on updatedAt')

  // And a first page by name, from the unit's index on (unit, name, id).
  sent.length = 0
  t.equal((await app.inject({ url: '/v1/products?adminUnit=018&limit=20' })).statusCode, 200)
  t.match(await walkPlan(), /Index Scan using products_active_unit_name_idx/, 'by name: the unit\'s index on (unit, name, id)')
})
