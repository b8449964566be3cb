import type { DbHandle } from '../../src/db/client.ts'

/** Venues spread over Hanoi's bounding box on a fixed grid-like pattern (deterministic), all open. */
export async function seedVenues (db: DbHandle, count: number): Promise<void> {
  await db.query(`INSERT INTO venues (name, type, location_kind, address, admin_unit_list, admin_unit_code, latitude, longitude, status, opened_on)
    SELECT 'Điểm bán ' || i, 'point_of_sale', 'market', 'Hà Nội', 'QD124-2004', '018',
      20.56 + (((i * 7919) % 10007) / 10007.0) * 0.82, 105.30 + (((i * 104729) % 10009) / 10009.0) * 0.70, 'open', '2024-01-15'
    FROM generate_series(1, $1::int) AS i`, [count])
  await db.query('ANALYZE venues')
}
