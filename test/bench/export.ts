// npm run bench -- export: GET /v1/listings/export of 200,000 listings from a running service; the time
// to read the whole stream and the service process's resident memory before and at its peak.
import { readFileSync } from 'node:fs'
import { createDb } from '../../src/db/client.ts'
import { anonymous } from '../../src/lib/principal.ts'
import { createKey } from '../../src/modules/keys/service.ts'
import { start } from './process.ts'
import { PRODUCTS, seedBenchDatabase } from './seed.ts'

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

export async function benchExport (serverUrl: string): Promise<void> {
  const url = await seedBenchDatabase(serverUrl)
  const db = await createDb({ databaseUrl: url, poolMax: 2 })
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings')
  if (n < PRODUCTS) {
    // Listings straight from the products (the bench database has no recognitions): the same shape of body.
    await db.query(`INSERT INTO listings (product_id, body, recognition_id, star, expires_on, producer_id, admin_unit_code, group_148, name)
      SELECT p.id, json_build_object('productId', p.id, 'productCode', p.code, 'nameVi', p.name_vi, 'nameEn', p.name_en, 'group148', p.group_148,
        'imageUrls', p.image_urls, 'producer', json_build_object('id', pr.id, 'name', pr.name), 'adminUnitCode', pr.admin_unit_code,
        'star', 4, 'certificateNumber', 'HN-BENCH-' || p.code, 'issuedOn', '2025-01-10', 'expiresOn', '2028-01-10', 'potentialFiveStar', false, 'venues', '[]'::json),
        gen_random_uuid(), 4, '2028-01-10', pr.id, pr.admin_unit_code, p.group_148, p.name_vi
      FROM products p JOIN producers pr ON pr.id = p.producer_id ON CONFLICT DO NOTHING`)
  }
  const { key: token } = await createKey(db.db, anonymous('bench'), { name: 'bench partner', role: 'partner' }, new Date())
  await db.close()
  await measureDownload(url, 'Export', '/v1/listings/export', { authorization: `Bearer ${token}` })
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

/** Starts the service on the bench database and reads one download through, sampling its memory. */
async function measureDownload (url: string, label: string, path: string, headers: Record<string, string>): Promise<void> {
  const service = await start(['src/server.ts'], { DATABASE_URL: url, PORT: '3103', HOST: '127.0.0.1', LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', JOBS_ENABLED: 'false', RATE_LIMIT_STAFF: '1000000' }, 'http://127.0.0.1:3103/health/ready')
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const before = rssMb(service.pid!)
    let peak = before
    const sampler = setInterval(() => { peak = Math.max(peak, rssMb(service.pid!)) }, 20)
    const started = performance.now()
    const res = await fetch(`http://127.0.0.1:3103${path}`, { headers })
    let bytes = 0
    let lines = 0
    let tail = ''
    for await (const chunk of res.body!) {
      bytes += chunk.length
      const text = Buffer.from(chunk).toString('utf8')
      lines += text.split('\n').length - 1
      tail = (tail + text).slice(-300)
    }
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    process.stdout.write(`\n${label}: ${lines} lines (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s; service RSS ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at peak (+${(peak - before).toFixed(1)} MB)\n`)
    process.stdout.write(`Last line: ${tail.trim().split('\n').at(-1)}\n`)
  } finally {
    service.kill('SIGTERM')
  }
}
