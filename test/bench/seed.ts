// Builds the benchmark database: 800 producers and 200,000 products with Vietnamese names that share
// words ("Bát Tràng" in about one name in eight), so a search has thousands of candidates; one active
// product in ten is rated (a recognition in force, 3 to 5 stars), and one in forty more was (expired).
import pg from 'pg'
import { createDb } from '../../src/db/client.ts'
import { migrate } from '../../src/db/migrate.ts'
import { hanoiDate } from '../../src/lib/clock.ts'
import { drainOutbox } from '../../src/modules/listings/projector.ts'

const KINDS = ['Bình gốm', 'Chén gốm', 'Đĩa gốm', 'Lọ hoa', 'Khăn lụa', 'Áo dài lụa', 'Mật ong', 'Chè búp', 'Miến dong', 'Bánh chưng', 'Nón lá', 'Giỏ mây', 'Giò lụa', 'Rượu nếp', 'Tương', 'Gạo nếp', 'Tranh sơn mài', 'Hộp khảm trai', 'Tượng gỗ', 'Trà hoa']
const PLACES = ['Bát Tràng', 'Vạn Phúc', 'Đường Lâm', 'Phú Vinh', 'Chuyên Mỹ', 'Ba Vì', 'Sóc Sơn', 'Ước Lễ', 'Cự Đà', 'Duyên Thái', 'Hạ Thái', 'Bát Tràng', 'Sơn Đồng', 'Quảng Phú Cầu', 'Phú Túc', 'Tân Lập']
const ADJECTIVES = ['truyền thống', 'men lam', 'men rạn', 'thủ công', 'đặc biệt', 'hữu cơ', 'cao cấp', 'loại 1', 'quà tặng', 'nguyên chất', 'vẽ tay', 'làng nghề']
const UNITS = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '016', '017', '018', '019', '020', '021', '250', '268', '269', '271', '272', '273', '274', '275', '276', '277', '278', '279', '280', '281', '282']
const GROUPS = ['1.1', '1.2', '1.3', '1.4', '1.5', '2.1', '2.2', '3.1', '3.3', '4.1', '4.2', '6.1']

export const PRODUCERS = 800
export const PRODUCTS = 200_000

const arr = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`

/** Creates (or reuses) the database and fills it once; returns its URL. */
export async function seedBenchDatabase (serverUrl: string, name = 'ocop_bench'): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount
  if (!exists) await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const db = await createDb({ databaseUrl: url.toString(), poolMax: 2, statementTimeoutMs: 600_000 })
  try {
    await migrate(db)
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products') as [{ n: number }]
    if (n < PRODUCTS) {
      const started = Date.now()
      // A seed that stopped half-way is cleared row by row: TRUNCATE … CASCADE would reach the
      // recognitions, which are append-only (even empty, their TRUNCATE trigger refuses).
      if (n > 0) await db.query('DELETE FROM listing_outbox; DELETE FROM listing_changes; DELETE FROM listings; DELETE FROM products; DELETE FROM producers')
      await db.query(`INSERT INTO producers (name, type, address, admin_unit_list, admin_unit_code, province_list, province_code, registered_on)
        SELECT (ARRAY['Hợp tác xã','Công ty TNHH','Hộ kinh doanh','Tổ hợp tác'])[1 + g % 4] || ' ' || (${arr(PLACES)})[1 + g % ${PLACES.length}] || ' ' || g,
               (ARRAY['cooperative','enterprise','household_business','cooperative_group'])[1 + g % 4],
               'Hà Nội', 'QD124-2004', (${arr(UNITS)})[1 + g % ${UNITS.length}], 'QD124-2004', '01', DATE '2021-01-01' + (g % 1000)
        FROM generate_series(1, ${PRODUCERS}) g`)
      await db.query(`INSERT INTO products (producer_id, name_vi, name_en, group_148, group_1048, status, price_vnd, unit)
        SELECT p.ids[1 + g % ${PRODUCERS}],
               (${arr(KINDS)})[1 + g % ${KINDS.length}] || ' ' || (${arr(PLACES)})[1 + (g / ${KINDS.length}) % ${PLACES.length}] || ' ' || (${arr(ADJECTIVES)})[1 + (g / ${KINDS.length * PLACES.length}) % ${ADJECTIVES.length}] || ' ' || g,
               NULL,
               (${arr(GROUPS)})[1 + g % ${GROUPS.length}], NULL,
               CASE WHEN g % 20 = 0 THEN 'draft' ELSE 'active' END,
               10000 * (1 + g % 500), 'hộp'
        FROM generate_series(1, ${PRODUCTS}) g, (SELECT array_agg(id ORDER BY name) AS ids FROM producers) p`)
      process.stderr.write(`seeded ${PRODUCERS} producers and ${PRODUCTS} products in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    }
    const [{ rated }] = await db.query<{ rated: number }>("SELECT count(*)::int AS rated FROM recognitions WHERE decision_number LIKE 'QĐ-BENCH-%'") as [{ rated: number }]
    if (rated === 0) {
      const started = Date.now()
      // Decided evaluations, and their recognitions: in force until 2029 for one active product in ten,
      // expired in 2025 for one in forty of the others. Their listings are projected as the service does.
      await db.query(`INSERT INTO evaluations (product_id, criteria_set_key, council_level, round_year, round_batch, status, score, star, decision_number, decision_date)
        SELECT id, 'QD148-2023', 'city', 2022, 1, 'decided', 50 + n % 50, 3 + n % 3, 'QĐ-BENCH-' || n, DATE '2022-06-10'
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM products p WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM recognitions r WHERE r.product_id = p.id)) p
        WHERE n % 10 = 0 OR n % 40 = 5`)
      await db.query(`INSERT INTO recognitions (product_id, evaluation_id, decision_number, decision_date, issuing_level, star, certificate_number, issued_on, expires_on, potential_five_star)
        SELECT product_id, id, decision_number, decision_date, 'city', star, 'HN-BENCH-' || decision_number, decision_date,
               CASE WHEN decision_number LIKE '%0' THEN DATE '2029-06-09' ELSE DATE '2025-06-09' END, false
        FROM evaluations WHERE decision_number LIKE 'QĐ-BENCH-%'`)
      const changes = await drainOutbox(db.db, hanoiDate(new Date()), { wait: true })
      process.stderr.write(`rated ${changes.length} products in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    }
    // The naive design the issue compares against: unaccent(name) ILIKE '%q%' on a trigram index.
    await db.query('CREATE INDEX IF NOT EXISTS bench_naive_name_idx ON products USING gin (f_unaccent(name_vi) gin_trgm_ops)')
    await db.query('VACUUM ANALYZE products')
    await db.query('VACUUM ANALYZE producers')
    await db.query('VACUUM ANALYZE recognitions')
  } finally {
    await db.close()
  }
  return url.toString()
}

/** 2,000 active products of the bench database, in random order: the ids point reads rotate over. */
export async function activeIds (url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ id: string }>("SELECT id FROM products WHERE status = 'active' ORDER BY random() LIMIT 2000")).rows.map((r) => r.id)
  } finally {
    await client.end()
  }
}
