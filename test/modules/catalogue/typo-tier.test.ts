// The typo tier (src/modules/products/typo-tier.ts) must return exactly the rows, in exactly the order
// (distance, then id), that the tier's single statement returns, whichever statements the window picks.
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { products } from '../../../src/modules/products/tables.ts'
import { typoStatements, typoTierRows, type After, type TypoPlan, type TypoRow, type TypoStatements } from '../../../src/modules/products/typo-tier.ts'
import { createTestDb } from '../../helpers/db.ts'
import { makeProducer } from '../../helpers/factories.ts'

const SMALL: TypoPlan = { sampleRows: 10, cheapRows: 20 }

/** Every row of the tier after `after`, `need` at a time, as a client pages with the cursor. */
async function pageAll (statements: TypoStatements, need: number, plan: TypoPlan) {
  const all: TypoRow[] = []
  let after: After
  for (let page = 0; page < 1000; page++) {
    const rows = await typoTierRows(statements, after, need + 1, plan)
    all.push(...rows.slice(0, need))
    if (rows.length <= need) return all
    const last = rows[need - 1]!
    after = [last.sortKey, last.id]
  }
  throw new Error('more than 1000 pages')
}

// A catalogue in memory: the statements' meaning, with a count of the rows each one reads. `kept`: the
// product passes the reader's filters (the tier is the products at a distance and kept).
function memoryStatements (catalogue: { id: string, distance: number | null, kept?: boolean }[]) {
  const byId = [...catalogue].sort((a, b) => a.id < b.id ? -1 : 1)
  const candidates = byId.filter((row) => row.distance !== null)
  const tier = candidates.filter((row) => row.kept !== false).map((row) => ({ id: row.id, sortKey: row.distance! }))
  const ordered = [...tier].sort((a, b) => a.sortKey - b.sortKey || (a.id < b.id ? -1 : 1))
  const past = (row: TypoRow, after: After) => !after || row.sortKey > after[0] || (row.sortKey === after[0] && row.id > after[1])
  const read = { rest: 0, nearer: 0, tied: 0, calls: [] as string[] }
  const statements: TypoStatements = {
    size: async () => catalogue.length,
    async sample (from, rows, afterId) {
      const window = byId.filter((row) => !afterId || row.id > afterId).slice(0, rows)
      const found = window.filter((row) => row.distance !== null && (from === undefined || row.distance >= from))
      return { kept: found.filter((row) => row.kept !== false).map((row) => row.distance!), all: found.map((row) => row.distance!), lastId: window[window.length - 1]?.id }
    },
    async nearer (bound, inclusive, after, limit) {
      // The index at the bound's threshold reads every candidate as near as the bound.
      read.nearer += candidates.filter((row) => inclusive ? row.distance! <= bound : row.distance! < bound).length
      read.calls.push('nearer')
      return ordered.filter((row) => (inclusive ? row.sortKey <= bound : row.sortKey < bound) && past(row, after)).slice(0, limit)
    },
    async tied (bound, afterId, limit) {
      const found: TypoRow[] = []
      for (const row of byId) {
        if (found.length === limit) break
        if (afterId && row.id <= afterId) continue
        read.tied++
        if (row.distance === bound && row.kept !== false) found.push({ id: row.id, sortKey: bound })
      }
      read.calls.push('tied')
      return found
    },
    async rest (after, limit) {
      read.rest += candidates.length
      read.calls.push('rest')
      return ordered.filter((row) => past(row, after)).slice(0, limit)
    }
  }
  return { statements, ordered, read }
}

// A deterministic stream of numbers (a linear congruential generator), so that a failure can be replayed.
function numbers (seed: number) {
  let state = seed
  return () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648 }
}
const uuidOf = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`

t.test('any catalogue, any page size: the rows and order of the single statement', async (t) => {
  const random = numbers(21)
  for (let round = 0; round < 60; round++) {
    const size = 400 + Math.floor(random() * 800)
    // Some distances crowded (a few values), some spread; some products not in the tier at all.
    const crowd = random() < 0.7 ? Math.floor(random() * 4) / 10 + 0.1 : undefined
    // A filter that keeps all, most or few of the products.
    const keptShare = [1, 0.7, 0.05][round % 3]!
    const catalogue = Array.from({ length: size }, (_, i) => {
      const r = random()
      const distance = r < 0.3 ? null : crowd !== undefined && r < 0.3 + random() * 0.6 ? crowd : Math.round(random() * 400) / 1000
      return { id: uuidOf(Math.floor(random() * 2 ** 31) * 2 + (i % 2)), distance, kept: random() < keptShare }
    })
    const unique = [...new Map(catalogue.map((row) => [row.id, row])).values()]
    const { statements, ordered } = memoryStatements(unique)
    const need = 1 + Math.floor(random() * 30)
    const paged = await pageAll(statements, need, SMALL)
    t.same(paged.map((row) => row.id), ordered.map((row) => row.id), `round ${round}: ${unique.length} products, pages of ${need}`)
  }
})

t.test('a crowd of ties is walked by id, not read whole', async (t) => {
  // 3,000 products; 900 at one distance (the crowd), 60 nearer, the rest out of the tier.
  const catalogue = Array.from({ length: 3000 }, (_, i) => ({ id: uuidOf(i * 7919 % 3001), distance: i < 900 ? 0.4 : i < 960 ? (i % 6) / 20 : null }))
  const { statements, ordered, read } = memoryStatements(catalogue)
  const first = await typoTierRows(statements, undefined, 21, SMALL)
  t.same(first.map((row) => row.id), ordered.slice(0, 21).map((row) => row.id), 'the first page')
  t.equal(read.rest, 0, 'the tier\'s own statement is not run')
  t.ok(read.nearer + read.tied < 300, `rows read: ${read.nearer} from the index, ${read.tied} by id, of ${ordered.length} in the tier`)

  // A page deep in the crowd, and the last ones of it.
  for (const at of [400, 950]) {
    read.rest = read.nearer = read.tied = 0
    const last = ordered[at - 1]!
    const page = await typoTierRows(statements, [last.sortKey, last.id], 21, SMALL)
    t.same(page.map((row) => row.id), ordered.slice(at, at + 21).map((row) => row.id), `the page after row ${at}`)
  }
})

t.test('a crowd that a filter thins (a star rating) is still walked by id on every page', async (t) => {
  // 9,000 products; 2,700 at one distance, one in ten of them kept by the filter.
  const catalogue = Array.from({ length: 9000 }, (_, i) => ({ id: uuidOf(i * 7919 % 9001), distance: i < 2700 ? 0.4 : null, kept: i % 10 === 0 }))
  const { statements, ordered, read } = memoryStatements(catalogue)
  let after: After
  for (let page = 0; page < 5; page++) {
    read.calls.length = 0
    const rows = await typoTierRows(statements, after, 21, { sampleRows: 100, cheapRows: 500 })
    t.same(rows.map((row) => row.id), ordered.slice(page * 20, page * 20 + 21).map((row) => row.id), `page ${page + 1}`)
    t.notOk(read.calls.includes('rest'), `page ${page + 1}: ${read.calls.join(', ')}`)
    after = [rows[19]!.sortKey, rows[19]!.id]
  }
})

async function typoCatalogue (t: Test, names: string, q: string) {
  // One connection, so that the check of the threshold afterwards reads the connection the statements ran on.
  const db = await createTestDb({ poolMax: 1 })
  t.teardown(() => db.close())
  const producer = await makeProducer(db, { name: 'Hợp tác xã Đồ Gốm' })
  // Drafts, which readers do not see, among them.
  // Ids from a hash of the row's number, not random: the window, and so the statements chosen, are the same on every run.
  await db.query(`INSERT INTO products (id, producer_id, name_vi, group_148, status)
    SELECT md5('product ' || g)::uuid, $1::uuid, ${names}, '4.1', CASE WHEN g % 50 = 0 THEN 'draft' ELSE 'active' END FROM generate_series(1, 600) g`, [producer.id])
  await db.query('ANALYZE products')
  const expected = (await db.query<{ id: string }>(`SELECT id FROM products
    WHERE status = 'active' AND search_text($1) <% search_doc AND NOT search_doc LIKE '%' || search_text($1) || '%'
    ORDER BY search_text($1) <<-> search_doc, id`, [q])).map((row) => row.id)
  const calls: string[] = []
  const real = typoStatements(db.db, () => ({ id: products.id }), { where: [() => sql`${products.status} = 'active'`], values: { q }, shape: ['test'] })
  // Each call named, and for nearer whether it reads the bound's own distance.
  const counted = Object.fromEntries(Object.entries(real).map(([name, statement]) =>
    [name, (...args: unknown[]) => { calls.push(name === 'nearer' && args[1] ? 'nearer inclusive' : name); return (statement as (...a: unknown[]) => unknown)(...args) }])) as unknown as TypoStatements
  return { db, expected, calls, counted }
}

t.test('on the database: a crowd at one distance', async (t) => {
  // Every "Gốm Bát Tràng" is at one distance from "bat trnag"; a few spellings nearer and farther; names the typo does not reach.
  const { db, expected, calls, counted } = await typoCatalogue(t, `CASE WHEN g % 10 < 6 THEN 'Gốm Bát Tràng ' || g WHEN g % 10 = 6 THEN 'Bát Trang' || repeat('n', g % 3) || ' ' || g
    WHEN g % 10 = 7 THEN 'Bat Tra ' || g ELSE 'Lụa Vạn Phúc ' || g END`, 'bat trnag')
  t.ok(expected.length > 300, `${expected.length} products in the tier`)
  for (const need of [1, 7, 50]) {
    const paged = await pageAll(counted, need, SMALL)
    t.same(paged.map((row) => row.id), expected, `pages of ${need}`)
  }
  t.ok(calls.includes('tied') && calls.includes('nearer'), `the walk by id and the raised threshold were used (${[...new Set(calls)].join(', ')})`)

  calls.length = 0
  const first = await typoTierRows(counted, undefined, 21, SMALL)
  t.same(first.map((row) => row.id), expected.slice(0, 21))
  t.notOk(calls.includes('rest'), `the first page reads the crowd by id (${calls.join(', ')})`)
  // The threshold was set for those transactions only.
  t.same(await db.query("SELECT current_setting('pg_trgm.word_similarity_threshold') AS t"), [{ t: '0.6' }], 'the threshold is back at its default')
})

t.test('on the database: distances spread over a few values, each shared by a few products', async (t) => {
  const variants = ['bat trang', 'bat tranag', 'bat trnagg', 'bat trnaag', 'bat trna', 'bat trnang', 'bat trn', 'bat trnagx', 'bat trnnag', 'bat trrnag', 'bat trnga', 'ba trnag', 'batt trnag', 'bat trnac', 'bat trmag', 'vat trnag']
  const { expected, calls, counted } = await typoCatalogue(t, `(ARRAY['${variants.join("','")}'])[1 + g % ${variants.length}] || ' ' || g`, 'bat trnag')
  t.ok(expected.length > 500, `${expected.length} products in the tier`)
  // A crowd only where a distance holds 4 of the window's 10.
  const plan = { sampleRows: 10, cheapRows: 200 }
  for (const need of [3, 20]) t.same((await pageAll(counted, need, plan)).map((row) => row.id), expected, `pages of ${need}`)
  t.ok(calls.includes('nearer inclusive'), `the index read up to a distance (${[...new Set(calls)].join(', ')})`)
})
