// Swagger UI's "Try it out" prefills every documented example. An operator who presses Execute with what
// is prefilled must get an answer, not a 400: every GET, called with exactly its examples, answers 2xx or
// a 404 it documents.
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { undocumentedHeaders } from '../helpers/contract.ts'
import { bearer, makeKey } from '../helpers/keys.ts'

interface Parameter { name: string, in: string, example?: unknown, schema?: { examples?: unknown[] } }
interface Operation { operationId: string, parameters?: Parameter[], responses: Record<string, unknown> }

t.test('every GET answers 2xx or a documented 404 with its prefilled examples', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  await app.ready()
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> }
  let called = 0
  for (const [path, operations] of Object.entries(doc.paths)) {
    const op = operations.get
    if (!op) continue
    const example = (p: Parameter) => p.example ?? p.schema?.examples?.[0]
    const params = op.parameters ?? []
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(example(params.find((p) => p.in === 'path' && p.name === name)!))))
    const query = new URLSearchParams(params.filter((p) => p.in === 'query' && example(p) !== undefined).map((p): [string, string] => [p.name, String(example(p))]))
    const res = await app.inject({ method: 'GET', url: `${url}${query.size ? `?${query}` : ''}`, headers: admin })
    called++
    const documented404 = res.statusCode === 404 && '404' in op.responses
    t.ok((res.statusCode >= 200 && res.statusCode < 300) || documented404, `${op.operationId}: GET ${url}?${query} answers ${res.statusCode}`, { body: res.body.slice(0, 500) })
    // Every header the answer carries that the contract knows of is documented on that answer.
    t.same(undocumentedHeaders(op as Parameters<typeof undocumentedHeaders>[0], res), [], `${op.operationId} ${res.statusCode} documents its headers`)
  }
  t.ok(called >= 45, `${called} GET operations called`)
})

t.test('every list refuses a cursor it did not issue with a 400 naming the parameter', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  await app.ready()
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> }
  const forged = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url')
  // Well-formed base64url JSON arrays of the right length, with values of the wrong kinds: the example
  // Swagger UI used to prefill (a timestamp and "1"), then a number where a date or text belongs.
  const cursors = [forged(['2026-11-23T09:00:00Z', '1']), forged([1, 'not-a-uuid']), forged(['x']), forged([7, 'x', '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c']), forged([1.5]), 'not base64 at all!']
  let lists = 0
  for (const [path, operations] of Object.entries(doc.paths)) {
    const op = operations.get
    const param = op?.parameters?.find((p) => p.in === 'query' && (p.name === 'cursor' || p.name === 'after'))
    if (!op || !param) continue
    lists++
    const url = path.replace(/\{(\w+)\}/g, '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c')
    for (const cursor of cursors) {
      const res = await app.inject({ method: 'GET', url: `${url}?${param.name}=${encodeURIComponent(cursor)}`, headers: admin })
      if (res.statusCode === 404) continue // the list's parent (the example id) does not exist: checked before the cursor
      t.equal(res.statusCode, 400, `${op.operationId} ${param.name}=${cursor}`, { body: res.body })
      t.same(res.json().errors?.map((e: { in: string, pointer: string }) => `${e.in}${e.pointer}`), [`query/${param.name}`], `${op.operationId} names ${param.name}`)
    }
  }
  t.ok(lists >= 15, `${lists} lists with a cursor`)

  // Values of the right type that PostgreSQL would refuse (a 400 naming no field) or read as another
  // place: a fraction or null as a position, a day the calendar lacks, year 0, an hour 25, a bare number as an instant.
  const id = '8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c'
  const outOfRange = {
    '/v1/audit?cursor=': [[1.5], [1e300], [null], [-1]],
    '/v1/listings/changes?after=': [[1.5], [null], [-1], [2 ** 60]],
    '/v1/mous?cursor=': [['2026-02-30', id], ['0000-01-01', id], ['2026-13-01', id]],
    '/v1/api-keys?cursor=': [['5', id], ['2026-11-23T25:00:00Z', id], ['0000-11-23T09:00:00Z', id], ['2026-11-23T09:00:00Zjunk', id]],
    '/v1/products?sort=updatedAt&cursor=': [['2026-02-30 09:00:00+00', id], ['2026-11-23', id]]
  }
  for (const [url, values] of Object.entries(outOfRange)) {
    for (const value of values) {
      const res = await app.inject({ method: 'GET', url: `${url}${forged(value)}`, headers: admin })
      t.equal(res.statusCode, 400, `${url}${JSON.stringify(value)}`)
      t.same(res.json().errors?.map((e: { in: string, pointer: string }) => `${e.in}${e.pointer}`), [`query/${url.includes('after') ? 'after' : 'cursor'}`], `${url}${JSON.stringify(value)} names the cursor`)
    }
  }
  // The forms the service writes still page: an instant as PostgreSQL's UTC text and as ISO 8601.
  for (const instant of ['2026-11-23 09:00:00.123456+00', '2026-11-23T09:00:00.000Z']) {
    t.equal((await app.inject({ method: 'GET', url: `/v1/products?sort=updatedAt&cursor=${forged([instant, id])}`, headers: admin })).statusCode, 200, instant)
  }
})
