// npm run bench -- shapes: the time of one list or search request, alone, for each shape a catalogue
// or a partner asks for at 200,000 products (each filter, both sorts, the search with and without typos,
// rating filters) and for its second page (the `next` link): the bench's wrk scenarios measure three
// shapes under load, this one finds the shape whose plan walks the catalogue. Each request is made in
// turn, on one connection, after two unmeasured ones.
import pg from 'pg'
import { built, start } from './process.ts'
import { median } from './stats.ts'
import { seedBenchDatabase } from './seed.ts'

const BASE = 'http://127.0.0.1:3105'
const TIMES = 15
/** A request this slow alone is a plan to look at. */
const SLOW_MS = 50

async function shapes (url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const one = async (text: string) => Object.values((await client.query(text)).rows[0] ?? {})[0] as string
    const producer = await one('SELECT producer_id FROM products GROUP BY 1 ORDER BY count(*) DESC LIMIT 1')
    const unit = await one("SELECT admin_unit_code FROM products WHERE status = 'active' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    const since = new Date(Date.parse(await one('SELECT max(updated_at)::text FROM products')) - 1000).toISOString()
    return [
      '', 'sort=updatedAt', `adminUnit=${unit}`, `adminUnit=${unit}&sort=updatedAt`, 'group148=4.1&adminUnit=018', 'group148=1', 'group148=1.1',
      `producer=${producer}`, `updatedSince=${since}&sort=updatedAt`, 'updatedSince=2100-01-01T00:00:00Z',
      'star=4', 'minStar=4', 'hasValidCertificate=true', 'hasValidCertificate=false', `star=5&adminUnit=${unit}`, 'star=4&group148=1.1',
      'q=bat%20trang', 'q=b%C3%A1t%20tr%C3%A0ng', 'q=bat%20trnag', 'q=zzzqqq', 'q=g%E1%BB%91m&sort=name', 'q=bat%20trang&sort=updatedAt',
      `q=bat%20trang&adminUnit=${unit}`, 'q=chen&group148=1.1', 'q=bat%20trang&star=4',
      // Words that begin product names ("Tranh sơn mài …", "Áo dài lụa …"): their matches sit together in the alphabet.
      'q=tranh', 'q=%C3%A1o%20d%C3%A0i'
    ].map((query) => `/v1/products?${query}${query ? '&' : ''}limit=20`)
  } finally {
    await client.end()
  }
}

async function time (path: string) {
  const ms: number[] = []
  let status = 0
  let next: string | undefined
  let items = 0
  for (let i = 0; i < TIMES + 2; i++) {
    const started = performance.now()
    const res = await fetch(BASE + path)
    const body = await res.json() as { items?: unknown[] }
    if (i >= 2) ms.push(performance.now() - started)
    status = res.status
    items = body.items?.length ?? 0
    next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
  }
  return { status, items, next, median: median(ms), worst: Math.max(...ms) }
}

export async function benchShapes (serverUrl: string): Promise<void> {
  const url = await seedBenchDatabase(serverUrl)
  const paths = await shapes(url)
  const service = await start([built()], { DATABASE_URL: url, PORT: '3105', HOST: '127.0.0.1', LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', RATE_LIMIT_ANONYMOUS: '1000000' }, `${BASE}/health/ready`)
  const slow: string[] = []
  try {
    console.log(`\nOne request at a time, ${TIMES} times each: median and slowest ms, for the first page and the next one (its link)`)
    console.log('status items  median  slowest | next page: median slowest | request')
    for (const path of paths) {
      const first = await time(path)
      const second = first.next ? await time(first.next) : undefined
      const mark = Math.max(first.median, second?.median ?? 0) >= SLOW_MS ? '  << slow' : ''
      if (mark) slow.push(path)
      const ms = (n: number) => n.toFixed(1).padStart(7)
      console.log(`${String(first.status).padStart(6)} ${String(first.items).padStart(5)} ${ms(first.median)} ${ms(first.worst)} | ${second ? `${ms(second.median)} ${ms(second.worst)}` : '      -       -'}        | ${decodeURIComponent(path)}${mark}`)
    }
    console.log(slow.length ? `${slow.length} shape(s) took ${SLOW_MS} ms or more alone` : `every shape answered in under ${SLOW_MS} ms alone`)
  } finally {
    service.kill('SIGTERM')
  }
}
