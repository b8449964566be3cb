import { and, asc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { unionAll } from 'drizzle-orm/pg-core'
import { forCustomPlans, forGenericPlans, type Db } from '../../db/client.ts'
import { prepared } from '../../db/prepared.ts'
import { cursorValueIs, decodeCursor, encodeCursor, invalidCursor, type CursorKind } from '../../lib/cursor.ts'
import { afterRow, type SortKey } from '../../lib/keyset.ts'
import { unpublishedScope, type Principal } from '../../lib/principal.ts'
import { overlapSet } from '../reference/units.ts'
import { producers } from '../producers/tables.ts'
import { ratedOnSql } from '../evaluations/recognitions.ts'
import { groupAndChildren } from '../reference/service.ts'
import type { ProductBody } from './schemas.ts'
import { products } from './tables.ts'
import { distance, exact, fuzzy, typoMatch, unaccented } from './search-sql.ts'
import { typoStatements, typoTierRows, type After } from './typo-tier.ts'

export interface ProductFilter {
  adminUnit?: string
  adminUnitList?: string
  producer?: string
  group148?: string
  group1048?: string
  craftVillage?: string
  status?: ProductBody['status']
  updatedSince?: string
  star?: number
  minStar?: number
  hasValidCertificate?: boolean
  asOf?: string
  q?: string
  sort?: SortKey
  limit: number
  cursor?: string
}

type Row = Record<string, unknown> & { id: string }
const p = (name: string) => sql.placeholder(name)

/**
 * The filters: the values to bind, a key naming the query's shape, and the SQL on placeholders. The SQL
 * is a function: it is built only when a shape is first prepared (db/prepared.ts), not on every request.
 */
async function conditions (db: Db, filter: ProductFilter, principal: Principal, today: string) {
  const where: (() => SQL)[] = []
  const values: Record<string, unknown> = {}
  const shape: string[] = []
  const add = (name: string, condition: () => SQL, value?: unknown) => { shape.push(name); where.push(condition); if (value !== undefined) values[name] = value }

  // Anonymous readers and partners see active products; staff also the others (operators: of their units).
  // The rule is unpublishedScope's; here it is written with a placeholder, for the prepared statement.
  // `scope` is also kept apart from the filters: a bounded walk reads the products it allows (boundedPage).
  const seen = unpublishedScope(principal)
  const scope = Array.isArray(seen)
    ? () => sql`(${products.status} = 'active' OR ${products.adminUnitCode} = ANY(${p('units')}::text[]))`
    : seen === 'none' ? () => sql`${products.status} = 'active'` : undefined
  if (scope) add(Array.isArray(seen) ? 'units' : 'published', scope, Array.isArray(seen) ? seen : undefined)
  // The unit filter is not a condition here: listProductRows walks the overlapping units one by one.
  let units: (() => SQL) | undefined
  if (filter.adminUnit) {
    values.adminUnit = filter.adminUnit
    if (filter.adminUnitList) values.adminUnitList = filter.adminUnitList
    shape.push(filter.adminUnitList ? 'adminUnit:list' : 'adminUnit')
    units = () => overlapSet('unit', p('adminUnit'), filter.adminUnitList ? p('adminUnitList') : undefined)
  }
  if (filter.producer) add('producer', () => sql`${products.producerId} = ${p('producer')}::uuid`, filter.producer)
  // A group filter covers its sub-groups (148) or product sets (1048): a list of codes the indexes can use.
  if (filter.group148) add('group148', () => sql`${products.group148} = ANY(${p('group148')}::text[])`, await groupAndChildren(db, 'QD148-2023', filter.group148))
  if (filter.group1048) add('group1048', () => sql`${products.group1048} = ANY(${p('group1048')}::text[])`, await groupAndChildren(db, 'QD1048-2019', filter.group1048))
  if (filter.craftVillage) add('craftVillage', () => sql`${products.craftVillageId} = ${p('craftVillage')}::uuid`, filter.craftVillage)
  if (filter.status) add('status', () => sql`${products.status} = ${p('status')}`, filter.status)
  if (filter.updatedSince) add('updatedSince', () => sql`${products.updatedAt} >= ${p('updatedSince')}::timestamptz`, filter.updatedSince)
  // Rating filters: on the product's recognition in force on the day read (asOf, default today).
  values.day = filter.asOf ?? today
  const rated = (star?: Parameters<typeof ratedOnSql>[2]) => ratedOnSql(products.id, p('day'), star)
  const byRating = filter.star !== undefined || filter.minStar !== undefined || filter.hasValidCertificate !== undefined
  if (filter.star !== undefined) add('star', () => rated((star) => sql`${star} = ${p('star')}::int`), filter.star)
  if (filter.minStar !== undefined) add('minStar', () => rated((star) => sql`${star} >= ${p('minStar')}::int`), filter.minStar)
  if (filter.hasValidCertificate !== undefined) add(`valid:${filter.hasValidCertificate}`, filter.hasValidCertificate ? () => rated() : () => sql`NOT ${rated()}`)
  return { where, values, shape, units, scope, byRating }
}

interface Tier { name: string, condition?: SQL, key: SQL, cast: SQL, kind: CursorKind }
/** With `q` and sort=relevance: three tiers (see listProductRows). */
const relevanceTiers: Tier[] = [
  { name: 'exact', condition: exact, key: sql`${products.nameVi}`, cast: sql`::text`, kind: 'text' },
  { name: 'unaccented', condition: sql`${unaccented} AND NOT ${exact}`, key: sql`${products.nameVi}`, cast: sql`::text`, kind: 'text' },
  { name: 'fuzzy', condition: typoMatch, key: distance, cast: sql`::real`, kind: 'number' }
]
/** Otherwise one tier, by name or updatedAt (relevance without `q` is by name), with or without `q`. */
const sortTier = (sort: SortKey, q: boolean): Tier => ({
  name: sort,
  condition: q ? sql`(${unaccented} OR ${fuzzy})` : undefined,
  key: sort === 'updatedAt' ? sql`${products.updatedAt}` : sql`${products.nameVi}`,
  cast: sort === 'updatedAt' ? sql`::timestamptz` : sql`::text`,
  kind: sort === 'updatedAt' ? 'timestamp' : 'text'
})
const sortTiers = Object.fromEntries((['name', 'updatedAt', 'relevance'] as const).map((sort) => [sort, [[sortTier(sort, false)], [sortTier(sort, true)]]])) as Record<SortKey, [Tier[], Tier[]]>

/** The first `limit` ids of `pages` (rows `page` with `id` and `key`) in the order (key, id), as an array. */
const idsInOrder = (pages: SQL, limit: SQL) => sql`ARRAY(SELECT page.id FROM ${pages} ORDER BY page.key, page.id LIMIT ${limit})`

/**
 * The ids of a page of products in a unit and the units overlapping it: for each (list, code) the first
 * `limit` matching products in the page's order, from the index on (unit, key) of published products
 * (migration 0027), then the first `limit` of those. Each unit's walk stops at the page's size, where a
 * filter on the set of units would walk the whole catalogue's name index. The subquery names
 * `products` and `producers` again, so the conditions written for the outer query apply to its rows.
 *
 * A next page's walk starts at the cursor with a row comparison that leads with the unit: (unit, key,
 * id) > (unit.code, afterKey, afterId), a range of that index alone. Written as (key, id) > (afterKey,
 * afterId), PostgreSQL estimated it from the key alone: where the products share one key (an import
 * gives them all one updatedAt) it expected no row to follow, chose the catalogue's own index on
 * (key, id) and walked it to its end for every unit with fewer products than the page (0.6 s for a next
 * page at 200,000 products; 26 ms at 20,000, list-plans.test.ts).
 */
const pageInUnits = (units: SQL, matching: SQL | undefined, key: SQL, limit: SQL, after?: [SQL, SQL]) => {
  const code = products.adminUnitCode
  const from = after ? sql` AND (${code}, ${key}, ${products.id}) > (unit.code, ${after[0]}, ${after[1]})` : sql``
  return idsInOrder(sql`(${units}) unit CROSS JOIN LATERAL (
    SELECT ${products.id} AS id, ${key} AS key FROM ${products} INNER JOIN ${producers} ON ${producers.id} = ${products.producerId}
    WHERE ${and(sql`${products.adminUnitList} = unit.list AND ${code} = unit.code${from}`, matching)}
    ORDER BY ${key}, ${products.id} LIMIT ${limit}) page`, limit)
}

/**
 * How a page of a relevance search is read (tiers 0 and 1: by name), outside a unit. PostgreSQL walks
 * the name index and tests each product until the page is full, expecting the matches (and a group's
 * products) to be spread evenly through the alphabet. They are not: a catalogue's names begin with what
 * the product is ("Tranh sơn mài …", "Bình gốm …"), so a word's matches sit together, and the second tier
 * (the words found only without their diacritics) is often empty: every "tranh" is spelt so, and so
 * `q=tranh` has no second tier at all. Its walk read the whole catalogue, twice (tier 0 from "A" to
 * "Tranh", tier 1 to the end: 240-375 ms at 200,000 products), and so did `q=chen&group148=1.1`, whose
 * words and group never meet (120 ms). So such a search is first read by a walk bounded to the first
 * BOUNDED_ROWS products the reader may see (`bounded`): a full page is the page. The first tier (the
 * words with their diacritics as typed) is read beside it in full, `probed` (probedPage): whole if it
 * has at most CAPPED_ROWS matches; else from the same bounded walk if its page is there; else by the
 * walk if some are there, and if none are, found first and sorted. PostgreSQL's own plan walked it
 * whenever the word is common (`q=tranh`: 130,000 names before the first "Tranh", 130 ms, now 30).
 * Without filters but publication, and unless the words had more than CAPPED_ROWS first-tier matches
 * when last searched (crowdedWords), the first read has the first tier `capped` instead (cappedPage):
 * whole if it has at most CAPPED_ROWS matches, else from the bounded walk, read again probed when that
 * is not enough. Its plan is kept once per connection (forGenericPlans).
 * Otherwise, if the bounded walk found matches of the second tier, the walk goes on (`walk`,
 * PostgreSQL's own plan); if it found none, the matches are found first from the indexes (the trigram
 * one, a group's) and sorted (`fenced`).
 *
 * A search whose words are all shorter than three letters (`q=le`) is never `fenced`: the trigram index
 * cannot narrow it, so finding its matches first read the whole catalogue (`q=lễ` 17 → 211 ms). Not a search sorted
 * by name or updatedAt: its condition includes the typo match, whose test costs 10-25 µs a product, and
 * finding every match first tested tens of thousands of near misses for a short word (`q=le&sort=name`
 * took 1.4 s where the walk took 44 ms). Not a producer's or a village's products either: they are few,
 * and PostgreSQL reads them from their index already.
 */
type Read = 'walk' | 'bounded' | 'fenced' | 'probed' | 'capped'
export const BOUNDED_ROWS = 1000
/** More than the largest page (limit 100, and one to know a next page exists): a first tier with no more matches than this is read whole. */
export const CAPPED_ROWS = 101

/** Whether the trigram index can narrow a search for `q`: some word of it has three letters or digits (a diacritic typed apart, as a combining mark, is not a letter). */
const trigramsIn = (q: string) => q.split(/[^\p{L}\p{M}\p{N}]+/u).some((word) => [...word.replace(/\p{M}/gu, '')].length >= 3)

/** The first BOUNDED_ROWS products in `scope` in the page's order, named `products` again, so that conditions written for the table apply to its rows. */
const boundedRows = (scope: SQL | undefined, key: SQL) =>
  sql`(SELECT * FROM ${products} WHERE ${scope ?? sql`true`} ORDER BY ${key}, ${products.id} LIMIT ${sql.raw(String(BOUNDED_ROWS))}) AS ${products}`

/** The ids of a page among the first BOUNDED_ROWS products in `scope` (boundedRows), in the page's order. */
const boundedPage = (scope: SQL | undefined, matching: SQL | undefined, key: SQL, limit: SQL) =>
  sql`ARRAY(SELECT ${products.id} FROM ${boundedRows(scope, key)} WHERE ${matching ?? sql`true`} ORDER BY ${key}, ${products.id} LIMIT ${limit})`

/** The ids of a page from all its matches, sorted: OFFSET 0 keeps the page's order and size out of the matches' plan, so no index walk in that order is chosen. */
const fencedPage = (matching: SQL | undefined, key: SQL, limit: SQL) =>
  idsInOrder(sql`(SELECT ${products.id} AS id, ${key} AS key FROM ${products} WHERE ${matching ?? sql`true`} OFFSET 0) page`, limit)

/** The ids of at most CAPPED_ROWS matches, in no order: all of them when there are no more (any plan with a LIMIT finds them). */
const cappedIds = (matching: SQL | undefined) => sql`ARRAY(SELECT ${products.id} FROM ${products} WHERE ${matching ?? sql`true`} LIMIT ${sql.raw(String(CAPPED_ROWS))})`

/**
 * The first tier's ids, read the way its matches call for (`probed`, see Read): all of them if there are
 * at most CAPPED_ROWS (the outer query sorts them); otherwise the page among the first BOUNDED_ROWS
 * names if it is full there; PostgreSQL's own plan (the walk) if some are there; and if none are, all
 * the matches found first and sorted (fencedPage). PostgreSQL evaluates each subquery only when its
 * branch is taken (they are init plans, run when first read). The cast makes `id = ANY(…)` read the
 * array, not a subquery's rows.
 */
const probedPage = (scope: SQL | undefined, matching: SQL | undefined, key: SQL, limit: SQL) => {
  const walk = sql`ARRAY(SELECT ${products.id} FROM ${products} WHERE ${matching ?? sql`true`} ORDER BY ${key}, ${products.id} LIMIT ${limit})`
  const early = sql`(SELECT CASE WHEN cardinality(early.ids) >= ${limit} THEN early.ids WHEN cardinality(early.ids) > 0 THEN ${walk} ELSE ${fencedPage(matching, key, limit)} END
    FROM (SELECT ${boundedPage(scope, matching, key, limit)} AS ids OFFSET 0) AS early)`
  return sql`(SELECT CASE WHEN cardinality(capped.ids) < ${sql.raw(String(CAPPED_ROWS))} THEN capped.ids ELSE ${early} END
    FROM (SELECT ${cappedIds(matching)} AS ids OFFSET 0) AS capped)::uuid[]`
}

/**
 * The first tier's ids as a search's first statement reads them (`capped`): all of them if there are at
 * most CAPPED_ROWS, otherwise the page among the first BOUNDED_ROWS names. Its matches are read once,
 * in the statement's `capped` CTE (cappedFirst), which also says whether they were all (`whole`): when
 * they were not, and that page is not full, the page is read again, probed. Every branch's plan is
 * written into it, so the statement can keep one plan (forGenericPlans).
 */
const cappedPage = (scope: SQL | undefined, matching: SQL | undefined, key: SQL, limit: SQL) =>
  sql`(CASE WHEN (SELECT whole FROM capped) THEN (SELECT ids FROM capped) ELSE ${boundedPage(scope, matching, key, limit)} END)::uuid[]`

const cappedFirst = (db: Db, matching: SQL | undefined) => db.$with('capped', { ids: sql<string[]>`ids`.as('ids'), whole: sql<boolean>`whole`.as('whole') })
  .as(sql`SELECT capped.ids, cardinality(capped.ids) < ${sql.raw(String(CAPPED_ROWS))} AS whole FROM (SELECT ${cappedIds(matching)} AS ids OFFSET 0) AS capped`)

/**
 * The words whose first tier had more than CAPPED_ROWS matches when last searched, or whose capped
 * read found nothing to show, by database (the last 1,000): their first read is probed, not capped. A capped read runs on a plan kept for every
 * words (forGenericPlans), which saves planning it (1.0-1.3 ms of 1.5-2.5 at 200,000 products) but finds
 * the capped matches from the trigram index whatever their number: for a word in one name in eight
 * (`bát tràng`) that read all 25,000 candidates (5 ms) where the words' own plan stopped at the first
 * 101 of a walk. Only which plan is used depends on it, never which rows are answered.
 */
const crowdedWords = new WeakMap<Db, Map<string, true>>()
const crowded = (db: Db) => crowdedWords.get(db) ?? crowdedWords.set(db, new Map()).get(db)!
function remember (words: Map<string, true>, q: string): void {
  words.delete(q)
  words.set(q, true)
  if (words.size > 1000) words.delete(words.keys().next().value!)
}

/**
 * Page sizes whose statement is prepared with the size written in (the default, and the sizes clients
 * ask for), for a list by unit and for the catalogue's plain pages (no filter but what the reader may
 * see). PostgreSQL plans a prepared statement for each request's values five times, then keeps one
 * generic plan if its estimate is no worse (plan_cache_mode auto). With `LIMIT $n` it assumes a tenth
 * of the table and never keeps it, and planning (0.3-0.4 ms) took longer than running the statement.
 * Other filters keep the placeholder: how many rows a producer, a group or a date matches decides the
 * plan, and a generic plan cannot know it (it could walk the name index to its end for a producer with three
 * products). Other sizes too: each size is one more statement on every connection. Searches are
 * planned for each request, since their best plan depends on the words: they come on the pool whose
 * connections force custom plans (db/client.ts, forCustomPlans), where they are named (parsed once);
 * elsewhere they are sent unnamed (prepared()).
 */
const PLANNED_SIZES = new Set([20, 50, 100])

/**
 * Lists by name or updatedAt with a keyset cursor [sort value, id]; with `q` and sort=relevance, in
 * three tiers fetched only while the page has room: 0, the name contains the query with the user's own
 * diacritics; 1, the unaccented name, producer or village contains it; 2, typo-tolerant matches,
 * nearest first (word-similarity distance, then id: typo-tier.ts). In tiers 0 and 1 every row contains
 * the whole query, so they are ordered by name. The relevance cursor is [tier, name or distance, id].
 */
export async function listProductRows (database: Db, columns: () => Record<string, unknown>, filter: ProductFilter, principal: Principal, today: string) {
  // A search is planned for its words on every request: its statements go on the pool that plans so.
  const db = filter.q ? forCustomPlans(database) : database
  const base = await conditions(db, filter, principal, today)
  const sort = filter.sort ?? (filter.q ? 'relevance' : 'name')
  if (filter.q) base.values.q = filter.q

  const tiers = sort === 'relevance' && filter.q ? relevanceTiers : sortTiers[sort][filter.q ? 1 : 0]
  const relevance = tiers.length > 1
  // A relevance cursor is [tier, key, id], and the key's kind is its tier's.
  const after = decodeCursor(filter.cursor, relevance ? ['number', 'text or number', 'uuid'] : [tiers[0]!.kind, 'uuid']) as (string | number)[] | undefined
  if (after && relevance && !cursorValueIs(tiers[Number(after[0])]?.kind, after[1])) throw invalidCursor()
  const firstTier = relevance ? Number(after?.[0] ?? 0) : 0

  // The first statement's LIMIT as a literal where a kept generic plan is safe (PLANNED_SIZES).
  const plain = base.shape.every((name) => name === 'published')
  const literal = (base.units || plain) && !filter.q && PLANNED_SIZES.has(filter.limit) ? filter.limit + 1 : undefined
  const limit = literal === undefined ? sql`${p('limit')}` : sql.raw(String(literal))
  /** A tier's condition, from the cursor when the page resumes there (`from`: the cursor's key and id). */
  const matchingOf = (t: Tier, resume: boolean) => {
    const from = resume ? [sql`${p('afterKey')}${t.cast}`, sql`${p('afterId')}::uuid`] as [SQL, SQL] : undefined
    const cursor = from && !base.units ? afterRow(t.key, products.id, ...from) : undefined
    return { from, cursor, matching: and(...base.where.map((condition) => condition()), t.condition, cursor) }
  }
  const select = (db: Db, t: Tier, tier: number, resume: boolean, read: Read) => {
    const { from, cursor, matching } = matchingOf(t, resume)
    const pages: Partial<Record<Read, () => SQL>> = {
      fenced: () => fencedPage(matching, t.key, limit),
      probed: () => probedPage(and(base.scope?.(), cursor), matching, t.key, limit),
      capped: () => cappedPage(and(base.scope?.(), cursor), matching, t.key, limit)
    }
    const ids = base.units ? pageInUnits(base.units(), matching, t.key, limit, from) : pages[read]?.()
    const keys = { sortKey: sql`${t.key}`.as('sort_key'), tier: sql<number>`${sql.raw(String(tier))}`.as('tier') }
    // The bounded read is the walk over the first BOUNDED_ROWS rows (boundedRows) rather than the table:
    // its page comes off that walk with each row's key. Read as ids, its rows were read again by id to
    // be sorted (q=bat trang: 10.7 → 6.2 ms under EXPLAIN ANALYZE, pgbench +5 to +13%).
    const source = read === 'bounded' && !base.units ? boundedRows(and(base.scope?.(), cursor), t.key) : products
    // A search's page names its rows only (its columns are read by withColumns); a list's reads them.
    const query = db.select((filter.q ? { id: sql<string>`${products.id}`.as('id'), ...keys } : { ...columns(), ...keys }) as Record<string, SQL.Aliased>).from(source as typeof products).$dynamic()
    return (filter.q ? query : query.innerJoin(producers, eq(producers.id, products.producerId)))
      .where(ids ? sql`${products.id} = ANY(${ids})` : matching)
      .orderBy(t.key, asc(products.id))
      .limit(limit as unknown as number)
  }
  /**
   * The columns of the rows a search's page names, read for those rows alone. Planned with the page, the
   * columns (the rating's subquery, the producer's join) cost PostgreSQL more planning than the page
   * itself, twice over for tiers 0 and 1, and each tier's rating was read for up to a page of rows that
   * the other tier's then pushed out: `q=bat trang` planned in 0.49 ms and ran in 0.45, now 0.37-0.43
   * and 0.27 (psql, warm); pgbench, unnamed as the service sends it, 1,577-1,674 a second, now
   * 2,172-2,236. A list is prepared once, so its planning is not repeated: it reads its columns itself.
   */
  const withColumns = (db: Db, page: SQLWrapper, capped?: ReturnType<typeof cappedFirst>) => (capped ? db.with(capped) : db)
    .select({ ...columns(), sortKey: sql`page.sort_key`.as('sort_key'), tier: sql<number>`page.tier`.as('tier'), ...(capped ? { whole: sql<boolean>`(SELECT whole FROM capped)`.as('whole') } : {}) } as Record<string, SQL.Aliased>)
    .from(sql`(${page}) AS page`)
    .innerJoin(products, sql`${products.id} = page.id`)
    .innerJoin(producers, eq(producers.id, products.producerId))
    .orderBy(sql`page.tier`, sql`page.sort_key`, sql`page.id`)
  // A relevance search whose matches PostgreSQL may misjudge (see Read). Not with a rating filter: no
  // index finds a rating, so finding every match first would test each candidate's timeline.
  const guarded = relevance && !base.units && !base.byRating && !filter.producer && !filter.craftVillage
  // Whether the trigram index can find the matches first (fenced, probed), or only a walk can (short words).
  const narrowable = filter.q !== undefined && trigramsIn(filter.q)

  type Found = Row & { tier: number, sortKey: string | number, whole?: boolean }
  const rows: Found[] = []
  for (let tier = firstTier; tier < tiers.length && rows.length <= filter.limit; tier++) {
    const resume = after !== undefined && tier === firstTier
    const need = filter.limit + 1 - rows.length
    if (relevance && tier === 2 && !base.units) {
      // Typo-tolerant matches: read by typo-tier.ts, which avoids computing every candidate's distance.
      const from = resume ? [Number(after[1]), String(after[2])] as After : undefined
      rows.push(...(await typoTierRows(typoStatements(db, columns, base), from, need)).map((row) => ({ ...row, tier })))
      continue
    }
    // Tiers 0 and 1 both order by name: one statement (UNION ALL of the two) saves a round trip.
    const pair = relevance && tier === 0
    // The first tier beside the second, where the trigram index can find its matches (see Read): capped
    // beside the bounded walk when it may have few matches (cappable), probed otherwise.
    const cappable = guarded && narrowable && plain && !crowded(database).has(filter.q!)
    const first = (how: Read): Read => guarded && narrowable ? (how === 'bounded' && cappable ? 'capped' : 'probed') : how === 'bounded' ? 'walk' : how
    const read = async (how: Read) => {
      const capped = pair && first(how) === 'capped'
      const on = capped ? forGenericPlans(database) : db
      const shape = [...base.shape, filter.q ? 'q' : '', `sort:${tiers[tier]!.name}`, pair ? 'pair' : '', resume ? 'after' : '', literal ? `limit:${literal}` : '', pair ? `${first(how)}+${how}` : how].join('|')
      const query = prepared(on, `products:${shape}`, () => pair
        ? withColumns(on, unionAll(select(on, tiers[0]!, 0, resume, first(how)), select(on, tiers[1]!, 1, false, how)).orderBy(sql`tier`, sql`sort_key`, sql`id`).limit(p('limit') as unknown as number),
          capped ? cappedFirst(on, matchingOf(tiers[0]!, resume).matching) : undefined)
        : filter.q ? withColumns(on, select(on, tiers[tier]!, tier, resume, how)) : select(on, tiers[tier]!, tier, resume, how), !filter.q)
      const values = { ...base.values, limit: need, ...(resume ? { afterKey: after[relevance ? 1 : 0], afterId: after[relevance ? 2 : 1] } : {}) }
      return await query.execute(values) as Found[]
    }
    let page = await read(guarded ? 'bounded' : 'walk')
    // The bounded walk's page is the page if it is full and, when the first tier was capped, holds all
    // the first tier's matches or only first-tier rows. Otherwise the second tier's matches in it decide
    // the next read: some, and the walk is worth going on with; none, and the matches are found first
    // (unless the trigram index cannot find them: short words).
    const settled = page.length >= need && (page[0]!.whole !== false || page.every((row) => row.tier === 0))
    // Not all the first tier's matches, or no row to say (none of them in the first names, nor any of
    // the second tier): probed next time.
    if (pair && cappable && !page[0]?.whole) remember(crowded(database), filter.q!)
    if (guarded && !settled) page = await read(page.some((row) => row.tier === 1) || !narrowable ? 'walk' : 'fenced')
    rows.push(...page)
    if (pair) tier++
  }
  const items = rows.slice(0, filter.limit)
  const last = items[items.length - 1]
  const nextKey = last && (relevance ? [last.tier, last.sortKey, last.id] : [last.sortKey, last.id])
  return {
    // Each row keeps its tier and sort key: the caller presents the product's fields only.
    items: items as Row[],
    nextCursor: rows.length > filter.limit && nextKey ? encodeCursor(nextKey) : null
  }
}
