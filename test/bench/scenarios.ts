// The statements the service's own code sends for each read scenario, recorded so the bare servers
// (baseline.ts, fastify-floor.ts) and pgbench send exactly the same SQL.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb } from '../../src/db/client.ts'
import { hanoiDate } from '../../src/lib/clock.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { getProduct, listProducts } from '../../src/modules/products/service.ts'
import type { Statement } from './statements.ts'

export const SEARCH = 'bat trang'
/** The service's list page and search, as the bench requests them (the statements below are theirs). */
export const LIST_PATH = '/v1/products?group148=4.1&adminUnit=018&limit=20'
export const SEARCH_PATH = `/v1/products?q=${encodeURIComponent(SEARCH)}&limit=20`
/** The page scenarios by the name the bench's modes take (`-- profile list`, `-- instructions search`). */
export const PAGE_PATHS = { list: LIST_PATH, search: SEARCH_PATH } as const
export type PageScenario = keyof typeof PAGE_PATHS
/** The page scenario named on the command line, if one is. */
export const pageScenario = (arg: string | undefined): PageScenario | undefined => arg === 'list' || arg === 'search' ? arg : undefined

export interface Scenarios {
  /** Where they are written for the bare servers (their SCENARIOS variable). */
  file: string
  /** 2,000 published products, in random order: the point reads rotate over them. */
  ids: string[]
  statements: Record<'product' | 'list' | 'search' | 'naive', Statement[]>
  /** EXPLAIN (ANALYZE, BUFFERS) of the list's and the search's statements. */
  plans: { list: string, search: string }
  /** How many products the search's words match. */
  candidates: number
}

export async function recordScenarios (url: string): Promise<Scenarios> {
  // The service's own code, on a connection that records each statement it sends.
  let sent: Statement[] = []
  const db = await createDb({ databaseUrl: url, poolMax: 2, logQuery: (sql, params) => sent.push({ sql, params }) })
  try {
    const ids = (await db.query<{ id: string }>("SELECT id FROM products WHERE status = 'active' ORDER BY random() LIMIT 2000")).map((r) => r.id)
    const reader = anonymous('bench')
    // Today in Hanoi, the day the service reads ratings on.
    const today = hanoiDate(new Date())
    // Each call is made once before it is recorded: what the service caches per process (the taxonomy a
    // group filter reads) is not sent again on later requests, so the baseline must not send it either.
    const record = async (call: () => Promise<unknown>) => { sent = []; await call(); sent = []; await call(); const out = sent; sent = []; return out }
    const statements = {
      product: await record(() => getProduct(db.db, ids[0]!, reader, today)),
      list: await record(() => listProducts(db.db, { group148: '4.1', adminUnit: '018', limit: 20 }, reader, today)),
      search: await record(() => listProducts(db.db, { q: SEARCH, limit: 20 }, reader, today)),
      naive: [{
        sql: `SELECT p.*, pr.name AS producer_name, pr.admin_unit_code FROM products p JOIN producers pr ON pr.id = p.producer_id
              WHERE p.status = 'active' AND f_unaccent(p.name_vi) ILIKE '%' || $1 || '%' ORDER BY p.name_vi, p.id LIMIT 21`,
        params: [SEARCH]
      }]
    }
    const file = join(tmpdir(), 'ocop-bench-scenarios.json')
    writeFileSync(file, JSON.stringify(statements))
    const explain = async (list: Statement[]) => {
      const out: string[] = []
      for (const statement of list) {
        const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params)
        out.push(rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'))
      }
      return out.join('\n\n')
    }
    const plans = { list: await explain(statements.list), search: await explain(statements.search) }
    const candidates = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE search_doc LIKE $1', [`%${SEARCH}%`]))[0]!.n
    return { file, ids, statements, plans, candidates }
  } finally {
    await db.close()
  }
}
