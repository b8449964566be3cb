// npm run bench -- writes: product updates and council decisions offered at fixed rates (open loop) to one
// service instance on PostgreSQL, while a partner follows the change feed. Per rate: the writes achieved,
// their latency, and the projection lag (a write's 2xx answer, so after its commit, to the moment its
// change is read from GET /v1/listings/changes).
import pg from 'pg'
import { createDb } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrate.ts'
import { hanoiDate } from '../../src/lib/clock.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { createKey } from '../../src/modules/keys/service.ts'
import { drainOutbox } from '../../src/modules/listings/projector.ts'
import { FULL_MARKS, makeEvaluation } from '../helpers/factories.ts'
import { start } from './process.ts'
import { percentile } from './stats.ts'

const RATES = (process.env.BENCH_RATES ?? '100,300,1000').split(',').map(Number)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const LISTED = 3000
const DECISION_SHARE = 0.1
const MAX_IN_FLIGHT = 512
const BASE = 'http://127.0.0.1:3104'

async function freshDatabase (serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function benchWrites (serverUrl: string): Promise<void> {
  const url = await freshDatabase(serverUrl, 'ocop_bench_writes')
  const db = await createDb({ databaseUrl: url, poolMax: 8, statementTimeoutMs: 600_000 })
  const today = hanoiDate(new Date())
  const decisions = RATES.reduce((sum, rate) => sum + Math.ceil(rate * SECONDS * DECISION_SHARE * 1.2), 0)
  let admin: string
  let listed: string[]
  const evaluations: string[] = []
  try {
    await migrate(db)
    // Listed products (a recognition in force each), and products waiting for a decision.
    await db.query("INSERT INTO producers (name, type, address, admin_unit_list, admin_unit_code, province_list, province_code, registered_on) SELECT 'Hợp tác xã thử tải ' || g, 'cooperative', 'Hà Nội', 'QD124-2004', '018', 'QD124-2004', '01', DATE '2024-01-15' FROM generate_series(1, 100) g")
    await db.query(`INSERT INTO products (producer_id, name_vi, group_148, status)
      SELECT (SELECT array_agg(id ORDER BY id) FROM producers)[1 + g % 100], 'Sản phẩm thử tải ' || g, '1.3', 'active' FROM generate_series(1, ${LISTED}) g`)
    await db.query(`INSERT INTO evaluations (id, product_id, criteria_set_key, council_level, round_year, round_batch, status, score, star, decision_number, decision_date)
      SELECT gen_random_uuid(), id, 'QD148-2023', 'city', 2025, 1, 'decided', 80, 4, 'QĐ-TẢI', DATE '2025-06-10' FROM products`)
    await db.query(`INSERT INTO recognitions (product_id, evaluation_id, decision_number, decision_date, issuing_level, star, certificate_number, issued_on, expires_on, potential_five_star)
      SELECT product_id, id, 'QĐ-TẢI', DATE '2025-06-10', 'city', 4, 'HN-TẢI-' || row_number() OVER (ORDER BY id), DATE '2025-06-10', DATE '2028-06-10', false FROM evaluations`)
    await drainOutbox(db.db, today, { wait: true })
    listed = (await db.query<{ id: string }>('SELECT product_id AS id FROM listings ORDER BY product_id')).map((r) => r.id)
    // Evaluations ready for a decision (three full score sheets each), on products of their own.
    for (let i = 0; i < decisions; i += 16) {
      evaluations.push(...(await Promise.all(Array.from({ length: Math.min(16, decisions - i) }, () => makeEvaluation(db, { sheet: FULL_MARKS })))).map((e) => e.id))
    }
    admin = (await createKey(db.db, anonymous('bench'), { name: 'bench admin', role: 'admin' }, new Date())).key
  } finally {
    await db.close()
  }
  process.stdout.write(`Seeded ${listed.length} listed products and ${evaluations.length} evaluations to decide.\n`)

  const service = await start(['src/server.ts'], { DATABASE_URL: url, PORT: '3104', HOST: '127.0.0.1', LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', RATE_LIMIT_STAFF: '1000000' }, `${BASE}/health/ready`)
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }
  const rows: string[] = []
  try {
    // The follower: reads the feed as fast as it answers, and notes when each product's change arrives.
    const seenAt = new Map<string, { names: Map<string, number>, listedAt?: number }>()
    let following = true
    let cursor = (await (await fetch(`${BASE}/v1/listings/changes?limit=1`, { headers })).json() as { nextCursor: string }).nextCursor
    const follower = (async () => {
      // eslint-disable-next-line no-unmodified-loop-condition -- cleared once the last rate is measured
      while (following) {
        const page = await (await fetch(`${BASE}/v1/listings/changes?limit=1000&after=${cursor}`, { headers })).json() as { items: { productId: string, reason: string, listing: { nameVi: string } | null }[], nextCursor: string }
        const now = performance.now()
        for (const c of page.items) {
          const seen: { names: Map<string, number>, listedAt?: number } = seenAt.get(c.productId) ?? { names: new Map() }
          if (c.reason === 'listed') seen.listedAt ??= now
          if (c.listing) seen.names.set(c.listing.nameVi, now)
          seenAt.set(c.productId, seen)
        }
        cursor = page.nextCursor
        if (!page.items.length) await new Promise((resolve) => setTimeout(resolve, 10))
      }
    })()

    let n = 0
    let next = 0
    // Warm-up: the first requests compile schemas and queries.
    for (let i = 0; i < 300; i++) await (await fetch(`${BASE}/v1/products/${listed[i]}`, { method: 'PATCH', headers, body: JSON.stringify({ nameVi: `Khởi động ${i}` }) })).arrayBuffer()
    for (const rate of RATES) {
      const writes: { productId: string, name?: string, answeredAt: number, latency: number, ok: boolean }[] = []
      let inFlight = 0
      let skipped = 0
      const began = performance.now()
      const sent: Promise<void>[] = []
      for (let i = 0; i < rate * SECONDS; i++) {
        const due = began + (i * 1000) / rate
        const wait = due - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        if (inFlight >= MAX_IN_FLIGHT) { skipped++; continue }
        const decide = (i % Math.round(1 / DECISION_SHARE)) === 0 && next < evaluations.length
        const k = ++n
        const productId = listed[(k * 7919) % listed.length]!
        const name = `Sản phẩm thử tải ${k}`
        const request = decide
          ? fetch(`${BASE}/v1/evaluations/${evaluations[next++]}/decide`, { method: 'POST', headers, body: JSON.stringify({ decisionNumber: `QĐ-TẢI-${k}`, decisionDate: today, certificateNumber: `HN-TẢI-QĐ-${k}` }) })
          : fetch(`${BASE}/v1/products/${productId}`, { method: 'PATCH', headers, body: JSON.stringify({ nameVi: name }) })
        inFlight++
        const startedAt = performance.now()
        sent.push(request.then(async (res) => {
          const body = await res.json() as { recognition?: { productId: string } }
          const answeredAt = performance.now()
          writes.push(decide
            ? { productId: body.recognition?.productId ?? '', answeredAt, latency: answeredAt - startedAt, ok: res.ok }
            : { productId, name, answeredAt, latency: answeredAt - startedAt, ok: res.ok })
        }, () => { writes.push({ productId, answeredAt: performance.now(), latency: performance.now() - startedAt, ok: false }) }).finally(() => { inFlight-- }))
      }
      await Promise.all(sent)
      const elapsed = (performance.now() - began) / 1000
      // Every change must reach the feed: wait up to 30 s for the last ones.
      const ok = writes.filter((w) => w.ok)
      // A rename shows in the feed under its own name; one overtaken by a later rename of the same product
      // before the projector ran never does (the feed carries states, not every write): not counted.
      const number = (name: string) => Number(name.split(' ').at(-1))
      const arrival = (w: typeof ok[number]) => {
        const seen = seenAt.get(w.productId)
        if (!w.name) return seen?.listedAt
        return seen?.names.get(w.name)
      }
      const overtaken = (w: typeof ok[number]) => w.name !== undefined && arrival(w) === undefined && [...(seenAt.get(w.productId)?.names.keys() ?? [])].some((name) => number(name) > number(w.name!))
      for (let waited = 0; waited < 30_000 && ok.some((w) => arrival(w) === undefined && !overtaken(w)); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100))
      const counted = ok.filter((w) => !overtaken(w))
      const lags = counted.map((w) => Math.max(0, (arrival(w) ?? NaN) - w.answeredAt))
      const missing = lags.filter((l) => Number.isNaN(l)).length
      const f = (v: number) => Number.isNaN(v) ? '-' : v.toFixed(0)
      rows.push(`| ${rate} | ${(ok.length / elapsed).toFixed(0)} | ${f(percentile(writes.map((w) => w.latency), 0.5))} | ${f(percentile(writes.map((w) => w.latency), 0.99))} | ${f(percentile(lags.filter((l) => !Number.isNaN(l)), 0.5))} | ${f(percentile(lags.filter((l) => !Number.isNaN(l)), 0.99))} | ${writes.length - ok.length} | ${skipped} | ${ok.length - counted.length} | ${missing} |`)
      process.stdout.write(`${rows.at(-1)}\n`)
    }
    following = false
    await follower
  } finally {
    service.kill('SIGTERM')
  }
  process.stdout.write(`\n${SECONDS} s per rate, one instance (DB_POOL_MAX 10, projector every 200 ms), ${Math.round(DECISION_SHARE * 100)}% decisions, the rest product renames\n\n`)
  process.stdout.write('| offered writes/s | achieved writes/s | write p50 ms | write p99 ms | lag p50 ms | lag p99 ms | failed | not sent (512 in flight) | overtaken | never in the feed |\n|---|---|---|---|---|---|---|---|---|---|\n')
  process.stdout.write(`${rows.join('\n')}\n`)
}
