// npm run bench -- import: the demo register (the published mid-2025 figures: 1,659 producers, 3,317
// products, as `publishedFiguresSheets` writes them) imported through POST /v1/imports: a dry run, the
// real run, then the same file again (nothing to change). On the embedded database, and on PostgreSQL
// when DATABASE_URL is set (a fresh database of its own). The target: under 60 s for the products.
import pg from 'pg'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { createDb, type DbHandle } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrate.ts'
import { hanoiDate } from '../../src/lib/clock.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { createKey } from '../../src/modules/keys/service.ts'
import { publishedFiguresSheets } from '../../src/modules/statistics/demo-figures.ts'

async function freshDatabase (): Promise<{ db: DbHandle, label: string, drop?: () => Promise<void> }> {
  const server = process.env.DATABASE_URL
  if (!server) return { db: await createDb({ dataDir: 'memory://' }), label: 'embedded PGlite' }
  const name = `ocop_bench_import_${process.pid}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(server)
  url.pathname = `/${name}`
  return {
    db: await createDb({ databaseUrl: url.toString() }),
    label: `PostgreSQL (${server.replace(/\/\/[^@]*@/, '//')})`,
    drop: async () => { await admin.query(`DROP DATABASE ${name} WITH (FORCE)`); await admin.end() }
  }
}

export async function benchImport (): Promise<void> {
  const { db, label, drop } = await freshDatabase()
  await migrate(db)
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', RATE_LIMIT_STAFF: '1000000' }), db })
  const { key } = await createKey(db.db, anonymous('bench'), { name: 'bench admin', role: 'admin' }, new Date())
  const sheets = publishedFiguresSheets(hanoiDate(new Date()))
  console.log(`import on ${label}:`)
  try {
    for (const kind of ['producers', 'products'] as const) {
      for (const [run, query] of [['dry run', '&dryRun=true'], ['import', ''], ['again', '']] as const) {
        const started = performance.now()
        const res = await app.inject({ method: 'POST', url: `/v1/imports?kind=${kind}${query}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, payload: sheets[kind] })
        const seconds = (performance.now() - started) / 1000
        const r = res.json() as { rows: number, created: number, updated: number, unchanged: number, errors: unknown[] }
        console.log(`  ${kind.padEnd(9)} ${run.padEnd(7)} ${String(r.rows).padStart(5)} rows (${(Buffer.byteLength(sheets[kind]) / 1024).toFixed(0)} kB) in ${seconds.toFixed(1).padStart(5)} s: ${res.statusCode}, created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, errors ${r.errors.length}`)
      }
    }
  } finally {
    await app.close()
    await db.close()
    await drop?.()
  }
}
