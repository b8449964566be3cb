// Swagger UI's "Try it out" prefills every documented example. An operator who presses Execute with what
// is prefilled must get an answer, not a 400: every GET, called with exactly its examples, answers 2xx or
// a 404 it documents.
import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
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
  }
  t.ok(called >= 45, `${called} GET operations called`)
})
