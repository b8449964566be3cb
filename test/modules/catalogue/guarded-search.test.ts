// A relevance search is first read by a walk bounded to the first BOUNDED_ROWS products
// (src/modules/products/list.ts, Read): the pages must be exactly those of PostgreSQL's own
// statement, whichever way each page is read, and each way must be the one meant.
import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { BOUNDED_ROWS, CAPPED_ROWS } from '../../../src/modules/products/list.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { createTestDb, type SentStatement } from '../../helpers/db.ts'
import { makeProducer } from '../../helpers/factories.ts'

interface Page { items: { id: string, nameVi: string }[], nextCursor: string | null }

t.test('a guarded search pages exactly as its own statement, and reads the way meant', async (t) => {
  const sent: SentStatement[] = []
  const db = await createTestDb({ logQuery: (sql, params) => sent.push({ sql, params }) })
  t.teardown(() => db.close())
  const { app } = await buildTestApp(t, { db, clock: fixedClock('2026-11-23T03:00:00Z'), env: { RATE_LIMIT_ANONYMOUS: '100000' } })
  const producer = await makeProducer(db)
  // In name order: 30 "A gom" (group 4.1), then 1,500 "Bánh chưng" (half 4.1, every 300th also
  // "Chén"), then 200 "Bình gốm" (4.1), then 60 "Chén" (1.3). So the first BOUNDED_ROWS names hold
  // no "binh", only the "A gom" for "gom", "bánh" from the 31st, and three "Chén" of group 4.1 (there
  // are five). Written in
  // no order, so that a scan's order is not the names'.
  await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
    SELECT $1::uuid, name, grp, 'active' FROM (
      SELECT 'A gom ' || lpad(g::text, 4, '0') AS name, '4.1' AS grp FROM generate_series(1, 30) g
      UNION ALL SELECT 'Bánh chưng ' || lpad(g::text, 4, '0') || CASE WHEN g % 300 = 0 THEN ' Chén' ELSE '' END, CASE WHEN g % 2 = 0 THEN '4.1' ELSE '1.3' END FROM generate_series(1, 1500) g
      UNION ALL SELECT 'Bình gốm ' || lpad(g::text, 4, '0'), '4.1' FROM generate_series(1, 200) g
      UNION ALL SELECT 'Chén ' || lpad(g::text, 4, '0'), '1.3' FROM generate_series(1, 60) g) names
    ORDER BY md5(name)`, [producer.id])
  await db.query('ANALYZE products')
  t.ok(BOUNDED_ROWS < 1530, 'the bounded walk ends before the "Bình gốm" names')

  // Every page of a search, following nextCursor, and the ways each page was read.
  const pages = async (query: string) => {
    const ids: string[] = []
    const reads: string[][] = []
    const statements: SentStatement[][] = []
    let url: string | undefined = `/v1/products?${query}`
    while (url) {
      sent.length = 0
      const res = await app.inject({ url })
      t.equal(res.statusCode, 200, url)
      const page = res.json() as Page
      ids.push(...page.items.map((p) => p.id))
      // The statements of tiers 0 and 1, or of a sort by name (the typo tier's, by distance, <<->, are typo-tier.ts's).
      // Of tiers 0 and 1 read together, the way the second is read (the first's is probed: firstTier).
      const second = (text: string) => text.includes('union all') ? text.slice(text.indexOf('1 as "tier"')) : text
      reads.push(sent.filter((s) => s.sql.includes('"sort_key"') && !s.sql.includes('<<->')).map((s) => second(s.sql)).map((text) => text.includes(`LIMIT ${BOUNDED_ROWS})`) ? 'bounded' : text.includes('OFFSET 0) page') ? 'fenced' : 'walk'))
      statements.push(sent.filter((s) => s.sql.includes('union all')))
      url = page.nextCursor ? `/v1/products?${query}&cursor=${encodeURIComponent(page.nextCursor)}` : undefined
    }
    return { ids, reads, statements }
  }
  // The order PostgreSQL's own statements give: by name (tiers 0 and 1 of a relevance search: names
  // with the typed diacritics, then the others), then id.
  const expected = async (q: string, condition: string, tiers: boolean, group?: string) => (await db.query<{ id: string }>(`
    SELECT id FROM products WHERE status = 'active' AND ${condition} ${group ? 'AND group_148 = $3' : ''}
    ORDER BY ${tiers ? 'CASE WHEN search_exact LIKE $2 THEN 0 ELSE 1 END, ' : ''}name_vi, id`,
  group ? [q, `%${q.toLowerCase()}%`, group] : [q, `%${q.toLowerCase()}%`])).map((r) => r.id)
  const contains = "search_doc LIKE '%' || search_text($1) || '%' AND $2 <> ''"

  await t.test('no match in the bounded walk: the matches are found first, then sorted', async (t) => {
    const { ids, reads } = await pages('q=binh&group148=4.1&limit=20')
    t.same(ids.slice(0, 200), await expected('binh', contains, true, '4.1'), 'every page of the "Bình gốm" products, by name')
    t.same(reads[0], ['bounded', 'fenced'])
  })

  await t.test('a filter the words never meet: found first, not walked', async (t) => {
    const { ids, reads } = await pages('q=chen&group148=1.1&limit=20')
    t.same(ids, [], 'no product')
    t.same(reads[0], ['bounded', 'fenced'], 'the bounded walk found none: the matches are found first')
  })

  await t.test('the first tier is read in full beside the bounded walk: its names past the walk\'s end come first', async (t) => {
    const { ids, reads } = await pages('q=gốm&group148=4.1&limit=10')
    t.same(ids.slice(0, 230), await expected('gốm', contains, true, '4.1'), 'the "Bình gốm" names first, then "A gom"')
    t.match(await db.query<{ name_vi: string }>('SELECT name_vi FROM products WHERE id = $1', [ids[0]]), [{ name_vi: /^Bình gốm/ }])
    t.same(reads[0], ['bounded'], 'one statement: the bounded walk (all "A gom", the second tier) beside the whole first tier')
  })

  // Which of the first tier's reads ran (list.ts, probedPage), from EXPLAIN ANALYZE of a page's statement:
  // whether the bounded walk's branch was taken, and how many init plans were never run.
  const firstTier = async (statement: SentStatement) => {
    const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${statement.sql}`, statement.params)).map((r) => r['QUERY PLAN']).join('\n')
    return { early: !/Subquery Scan on early \(never executed\)/.test(plan), skipped: (plan.match(/InitPlan \d+[^\n]*\n\s*->[^\n]*never executed/g) ?? []).length }
  }

  await t.test('the first tier is read whole when it is small, from the bounded walk when its page is there, and found first when none is', async (t) => {
    const few = await pages('q=chén&group148=4.1&limit=20')
    t.same(few.ids, await expected('chén', contains, true, '4.1'), 'the five "Bánh chưng … Chén" of group 4.1')
    t.same(await firstTier(few.statements[0]![0]!), { early: false, skipped: 4 }, 'five matches, at most CAPPED_ROWS: read whole; the branch for more (and its three reads) never run')
    const there = await pages('q=bánh&group148=4.1&limit=100')
    t.same(await firstTier(there.statements[0]![0]!), { early: true, skipped: 2 }, '750 matches, a full page in the first names: neither the walk nor finding them all')
    const notThere = await pages('q=gốm&group148=4.1&limit=10')
    t.same(await firstTier(notThere.statements[0]![0]!), { early: true, skipped: 1 }, '200 matches, none in the first names: found first (the walk never runs)')
    t.ok(CAPPED_ROWS < 200 && CAPPED_ROWS > 100, 'read whole below the largest page plus one, and 200 is more')
  })

  await t.test('matches early in the names: the bounded walk\'s page is the page', async (t) => {
    const { ids, reads } = await pages('q=bánh&group148=4.1&limit=100')
    t.same(ids.slice(0, 750), await expected('bánh', contains, true, '4.1'), 'every page of the 750 "Bánh chưng" of group 4.1')
    t.same(reads[0], ['bounded'], 'one statement for the first page')
  })

  await t.test('a few matches in the bounded walk: the walk goes on', async (t) => {
    const { ids, reads } = await pages('q=chen&group148=4.1&limit=20')
    t.same(ids.slice(0, 5), await expected('chen', contains, true, '4.1'), 'the five "Bánh chưng … Chén" of group 4.1, by name')
    t.same(reads[0], ['bounded', 'walk'])
  })

  await t.test('without a group: the second tier past the bounded walk is found first, not walked to', async (t) => {
    // Every "binh" is "Bình gốm", spelt with its diacritics, past the first BOUNDED_ROWS names: as
    // every "tranh" of a real catalogue is spelt so, and its names begin with the word.
    const { ids, reads } = await pages('q=binh&limit=50')
    t.same(ids.slice(0, 200), await expected('binh', contains, true), 'every page of the "Bình gốm" products, by name')
    t.same(reads[0], ['bounded', 'fenced'])
    const early = await pages('q=bánh&limit=100')
    t.same(early.ids.slice(0, 1500), await expected('bánh', contains, true), 'every page of the 1,500 "Bánh chưng"')
    t.same(early.reads[0], ['bounded'], 'matches early in the names: one statement')
  })

  await t.test('short words are walked on; a search sorted by name, or a producer\'s, is walked, as before', async (t) => {
    const short = await pages('q=go&limit=50')
    t.same(short.ids.slice(0, 230), await expected('go', contains, true), 'every page of "go", by name')
    t.same(short.reads[0], ['bounded', 'walk'], 'no word of three letters: the trigram index cannot narrow it, so the walk goes on')
    t.same((await pages('q=binh&group148=4.1&sort=name&limit=50')).reads[0], ['walk'])
    t.same((await pages(`q=gom&producer=${producer.id}&limit=50`)).reads[0], ['walk'])
    t.same((await pages(`q=gom&group148=4.1&producer=${producer.id}&limit=50`)).reads[0], ['walk'])
  })
})
