// npm run bench -- export: GET /v1/listings/export of 200,000 listings from a running service; the time
// to read the whole stream and the service process's resident memory before and at its peak.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb } from '../../src/db/client.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { createKey } from '../../src/modules/keys/service.ts'
import { built, start, startBaseline } from './process.ts'
import { memory, resetPeak } from './memory.ts'
import { PRODUCTS, seedBenchDatabase } from './seed.ts'

export async function benchExport (serverUrl: string): Promise<void> {
  const url = await seedBenchDatabase(serverUrl)
  const db = await createDb({ databaseUrl: url, poolMax: 2, statementTimeoutMs: 600_000 })
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings')
  if (n < PRODUCTS) {
    // Listings straight from the products (the bench database has no recognitions): the same shape of body.
    await db.query(`INSERT INTO listings (product_id, body, recognition_id, star, expires_on, producer_id, admin_unit_list, admin_unit_code, province_code, group_148, name)
      SELECT p.id, json_build_object('productId', p.id, 'productCode', p.code, 'nameVi', p.name_vi, 'nameEn', p.name_en, 'group148', p.group_148,
        'imageUrls', p.image_urls, 'producer', json_build_object('id', pr.id, 'name', pr.name), 'adminUnitCode', pr.admin_unit_code,
        'star', 4, 'certificateNumber', 'HN-BENCH-' || p.code, 'issuedOn', '2025-01-10', 'expiresOn', '2028-01-10', 'potentialFiveStar', false, 'venues', '[]'::json),
        gen_random_uuid(), 4, '2028-01-10', pr.id, pr.admin_unit_list, pr.admin_unit_code, pr.province_code, p.group_148, p.name_vi
      FROM products p JOIN producers pr ON pr.id = p.producer_id ON CONFLICT DO NOTHING`)
  }
  // What autovacuum does soon after a bulk insert (it may be off on the bench's cluster, as on this
  // machine's): otherwise the first read sets every row's hint bits (2.8 s rather than 1.2) and plans
  // on stale statistics. Quick when nothing changed since the last run.
  await db.query('VACUUM ANALYZE listings')
  const { key: token } = await createKey(db.db, anonymous('bench'), { name: 'bench partner', role: 'partner' }, new Date())
  await db.close()
  process.stdout.write('\n')
  await measureDownload(url, 'Export', '/v1/listings/export', { authorization: `Bearer ${token}` })
  await measureCursorBaseline(url)
}

// npm run bench -- csv: GET /v1/products as CSV (every product, an admin sees drafts too) from a running
// service: the time to read the whole file and the service's resident memory before and at its peak.
export async function benchCsv (serverUrl: string): Promise<void> {
  const url = await seedBenchDatabase(serverUrl)
  const db = await createDb({ databaseUrl: url, poolMax: 2 })
  const { key: token } = await createKey(db.db, anonymous('bench'), { name: 'bench admin', role: 'admin' }, new Date())
  await db.close()
  // A tenth of the products, then all of them: memory that does not grow with the row count peaks alike.
  for (const path of ['/v1/products?group148=1.1', '/v1/products']) await measureDownload(url, `CSV ${path}`, path, { authorization: `Bearer ${token}`, accept: 'text/csv' })
}

const SERVICE_ENV = { PORT: '3103', HOST: '127.0.0.1', LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', JOBS_ENABLED: 'false', RATE_LIMIT_STAFF: '1000000', RATE_LIMIT_PARTNER: '1000000' }
// A fast reader (curl as fast as it can) and a slow one (a phone-grade 4 MB/s link): memory must stay
// flat with both, which only backpressure from the socket to the database gives. The service is also read
// gzip-coded, as a partner's client that asks for it would (the bare server does not code).
const READERS = [{ name: 'fast reader', args: [] }, { name: 'slow reader (4 MB/s)', args: ['--limit-rate', '4M'] }]
const CODED = { name: 'fast reader, Accept-Encoding: gzip (bytes as sent)', args: ['-H', 'Accept-Encoding: gzip'] }

/**
 * Starts the service on the bench database, from the built output as production starts it (under tsx
 * the loader's own heap made the peak move by 20 MB), and reads one download through, sampling its memory.
 */
async function measureDownload (url: string, label: string, path: string, headers: Record<string, string>): Promise<void> {
  const service = await start([built()], { ...SERVICE_ENV, DATABASE_URL: url }, 'http://127.0.0.1:3103/health/ready')
  try {
    for (const reader of [...READERS, CODED]) await download(service.pid!, `${label}, ${reader.name}`, `http://127.0.0.1:3103${path}`, headers, reader.args)
  } finally {
    service.kill('SIGTERM')
  }
}

/** The plain design beside ours: a bare node:http + pg server reading a cursor in batches of 1,000. */
async function measureCursorBaseline (url: string): Promise<void> {
  const file = join(tmpdir(), 'ocop-bench-no-scenarios.json')
  writeFileSync(file, '{}')
  const baseline = await startBaseline(url, 3104, file, false)
  try {
    for (const reader of READERS) await download(baseline.pid!, `Plain cursor stream (bare node:http + pg), ${reader.name}`, 'http://127.0.0.1:3104/export', {}, reader.args)
  } finally {
    baseline.kill('SIGTERM')
  }
}

/** Reads a download through curl; the serving process's resident memory before and at its peak. */
async function download (pid: number, label: string, url: string, headers: Record<string, string>, args: string[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const before = memory(pid).now
  resetPeak(pid)
  const curl = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{time_total}', ...args, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url])
  let said = ''
  curl.stdout.on('data', (chunk: Buffer) => { said += chunk.toString() })
  await once(curl, 'close')
  const peak = memory(pid).peak
  const [status, bytes, seconds] = said.split(' ')
  process.stdout.write(`${label}: HTTP ${status}, ${(Number(bytes) / 1e6).toFixed(1)} MB in ${Number(seconds).toFixed(2)} s; RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at peak (+${(peak - before).toFixed(1)} MB)\n`)
}
