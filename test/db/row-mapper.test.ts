import * as drizzle from 'drizzle-orm'
import { eq, sql } from 'drizzle-orm'
import { bigint, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import t from 'tap'
import { compileRowMapper } from '../../src/db/row-mapper.ts'
import { products } from '../../src/modules/products/tables.ts'
import { producers } from '../../src/modules/producers/tables.ts'
import { makeProduct } from '../helpers/factories.ts'
import { createTestDb } from '../helpers/db.ts'

type Field = { path: string[], field: unknown }
// drizzle's own mapping, exported at run time but not in its declared types.
const { mapResultRow, orderSelectedFields } = drizzle as unknown as {
  mapResultRow: (fields: Field[], row: unknown[], joins: undefined) => Record<string, unknown>
  orderSelectedFields: (fields: Record<string, unknown>) => Field[]
}

// Columns whose drivers' values are decoded (a Date, a number from text, parsed JSON), and plain ones.
const things = pgTable('things', {
  id: uuid().primaryKey(),
  at: timestamp({ withTimezone: true, mode: 'date' }),
  count: bigint({ mode: 'number' }),
  price: numeric(),
  tags: text().array(),
  doc: jsonb()
})

t.test('the compiled row mapper maps rows exactly as drizzle does', async (t) => {
  const fields = orderSelectedFields({
    ...things,
    total: sql<number>`count(*)`.mapWith(Number),
    label: sql<string>`'x'`.as('label'),
    raw: sql`1`
  })
  const rows: unknown[][] = [
    ['6f1c1e0e-5d5b-4c52-9a53-0c1e8d1b2a11', '2026-11-30 10:22:19.027+00', '9007199254740991', '12.50', '{a,b}', { k: [1, 2] }, '42', 'x', 1],
    ['6f1c1e0e-5d5b-4c52-9a53-0c1e8d1b2a12', null, null, null, null, null, '0', null, null]
  ]
  const mapper = compileRowMapper(fields)
  t.ok(mapper, 'a flat selection is compiled')
  const expected = rows.map((row) => mapResultRow(fields, row, undefined))
  t.same(mapper!(rows), expected, 'same names, same decoded values, nulls kept')
  t.type(mapper!(rows)[0]!.at, Date, 'a timestamp in date mode is a Date')
  t.equal(mapper!(rows)[0]!.total, 42, 'mapWith(Number) applied')
  t.same(mapper!([]), [], 'no rows, no objects')

  const nested = orderSelectedFields({ thing: things, label: sql`'x'` })
  t.equal(compileRowMapper(nested), undefined, 'a selection of whole tables keeps drizzle\'s own mapping (null for an unmatched join)')
})

t.test('queries through either driver get their rows mapped by the compiled mapper', async (t) => {
  const db = await createTestDb()
  t.teardown(() => db.close())
  const product = await makeProduct(db, { status: 'active' })
  const [row] = await db.db.select({
    id: products.id,
    producerName: producers.name,
    createdAt: products.createdAt,
    imageUrls: products.imageUrls,
    evaluations: sql<number>`(SELECT count(*) FROM evaluations WHERE product_id = ${products.id})`.mapWith(Number),
    code: sql<string>`${products.code}`.as('code_alias')
  }).from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, product.id))
  t.match(row, { id: product.id, producerName: String, evaluations: 0, code: product.code }, 'columns, a mapped count and an alias')
  // The driver (PGlite's is loaded only when used, db/client.ts) hands the query its compiled mapper.
  const query = db.db.select({ id: products.id, name: products.nameVi }).from(products).prepare('row_mapper_check') as unknown as { customResultMapper?: unknown }
  t.type(query.customResultMapper, 'function', `${db.kind}: the compiled mapper`)
  t.same(row!.imageUrls, product.imageUrls, 'an array column')

  const joined = await db.db.select().from(products).leftJoin(producers, eq(producers.id, sql`NULL::uuid`)).where(eq(products.id, product.id))
  t.equal(joined[0]!.producers, null, 'a whole-table selection still nulls an unmatched join (drizzle\'s mapping)')
  t.equal(joined[0]!.products.id, product.id)
})
