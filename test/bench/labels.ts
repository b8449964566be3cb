// The labels the bench scans: 100,000 printed, in ten batches of 10,000 on ten recognised products,
// and the tokens of 5,000 of them (a crowd scanning different labels, some more than once).
import { randomBytes } from 'node:crypto'
import { createDb } from '../../src/db/client.ts'
import { labelToken } from '../../src/modules/labels/rules.ts'
import { insertRecognition } from '../helpers/factories.ts'

export const PRINTED = 100_000
const BATCHES = 10
const SCANNED = 5_000

export async function seedLabels (url: string): Promise<string[]> {
  const db = await createDb({ databaseUrl: url, poolMax: 2, statementTimeoutMs: 600_000 })
  try {
    const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT COALESCE(sum(quantity), 0)::int AS n FROM label_batches')
    if (n < PRINTED) {
      // Products not rated by the seed (seed.ts): one recognition in force at a time.
      const products = await db.query<{ id: string }>(`SELECT id FROM products p WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM recognitions r WHERE r.product_id = p.id)
        ORDER BY id LIMIT ${BATCHES}`)
      for (const { id } of products) {
        const recognitionId = await insertRecognition(db, id, { star: 4, issuedOn: '2025-01-10', expiresOn: '2028-01-10' })
        const quantity = PRINTED / BATCHES
        await db.query(`WITH taken AS (UPDATE label_serials SET next = next + $1 WHERE id = 1 RETURNING next - $1 AS first)
          INSERT INTO label_batches (product_id, recognition_id, first_serial, last_serial, quantity, ordered_on, secret)
          SELECT $2, $3, first, first + $1 - 1, $1, '2025-02-01', $4 FROM taken`, [quantity, id, recognitionId, randomBytes(32).toString('base64url')])
      }
      // Without statistics the planner reads a product's timeline through the GiST exclusion index
      // (0.5 ms) rather than the btree one: a scan took three times as long.
      await db.query('ANALYZE recognitions; ANALYZE label_batches')
    }
    const batches = await db.query<{ secret: string, first: string, last: string }>('SELECT secret, first_serial AS first, last_serial AS last FROM label_batches')
    return Array.from({ length: SCANNED }, (_, i) => {
      const batch = batches[i % batches.length]!
      const serial = Number(batch.first) + Math.floor(Math.random() * (Number(batch.last) - Number(batch.first) + 1))
      return labelToken(batch.secret, serial)
    })
  } finally {
    await db.close()
  }
}
