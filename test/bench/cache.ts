// npm run bench -- cache: the 304 path (If-None-Match with the current ETag) next to the 200 path, for a
// record and a list, against the running service on the 200,000-product database (32 connections, 10 s).
import autocannon from 'autocannon'
import { createDb } from '../../src/db/client.ts'
import { start } from './process.ts'
import { seedBenchDatabase } from './seed.ts'

export async function benchCache (serverUrl: string): Promise<void> {
  const url = await seedBenchDatabase(serverUrl)
  const db = await createDb({ databaseUrl: url, poolMax: 1 })
  const [{ id } = { id: '' }] = await db.query<{ id: string }>("SELECT id FROM products WHERE status = 'active' ORDER BY id LIMIT 1")
  await db.close()
  const base = 'http://127.0.0.1:3104'
  const service = await start(['src/server.ts'], { DATABASE_URL: url, PORT: '3104', HOST: '127.0.0.1', LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', JOBS_ENABLED: 'false', RATE_LIMIT_ANONYMOUS: '1000000' }, `${base}/health/ready`)
  const duration = Number(process.env.BENCH_SECONDS ?? 10)
  const run = async (path: string, headers: Record<string, string>) => {
    await autocannon({ url: `${base}${path}`, connections: 32, duration: 2, headers })
    const r = await autocannon({ url: `${base}${path}`, connections: 32, duration, headers })
    return `${r.requests.average.toFixed(0).padStart(6)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${r.non2xx && !headers['if-none-match'] ? ` (${r.non2xx} non-2xx)` : ''}`
  }
  try {
    for (const path of [`/v1/products/${id}`, '/v1/products?group148=4.1&adminUnit=018&limit=20']) {
      const etag = (await fetch(`${base}${path}`)).headers.get('etag')!
      console.log(`${path}\n  200 (no tag):       ${await run(path, {})}\n  304 (If-None-Match): ${await run(path, { 'if-none-match': etag })}`)
    }
  } finally {
    service.kill('SIGTERM')
  }
}
