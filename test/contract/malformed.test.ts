import t from 'tap'
import { generateContract } from '../../src/cli/openapi.ts'
import { buildTestApp } from '../helpers/app.ts'
import { bearer, makeKey } from '../helpers/keys.ts'
import { WRITES } from '../helpers/writes.ts'

// Every operation of the contract, called by an admin with input that is wrong in each way a client gets
// it wrong: a path id that is not one, a value of the wrong type or out of range for each query parameter
// and each body field, a body of the wrong shape. None may answer 5xx, and each refusal is
// application/problem+json. (Well-formed requests are the business of each module's tests.)

interface Schema { examples?: Record<string, unknown>[], type?: string | string[], format?: string, properties?: Record<string, Schema>, $ref?: string, anyOf?: Schema[], items?: Schema, enum?: unknown[], pattern?: string }
interface Operation { parameters?: { name: string, in: string, schema: Schema }[], requestBody?: { content: Record<string, { schema: Schema }> } }

const doc = JSON.parse(await generateContract()) as { paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, Schema> } }
const resolve = (s: Schema): Schema => s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]!) : s
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'

/** Values that a field of this schema must refuse, or at worst accept: never a 500. */
function wrongValues (raw: Schema): unknown[] {
  const s = resolve(raw)
  const types = [s.type ?? (s.anyOf ?? []).map((a) => resolve(a).type)].flat()
  const values: unknown[] = [{ nested: true }, 'x'.repeat(10_000)]
  if (types.includes('string')) values.push(12, '', ' ', '\u0000', '2024-02-30', '99999-01-01', '0000-00-00T25:61:00Z', "'; DROP TABLE products; --", 'https://127.0.0.1/', '../../etc/passwd', '%')
  if (types.includes('integer') || types.includes('number')) values.push('12', -1, 0, 1.5, 1e300, Number.MAX_SAFE_INTEGER)
  if (types.includes('boolean')) values.push('yes', 1)
  if (types.includes('array')) values.push('not an array', [null], Array.from({ length: 1000 }, () => 'x'), [{ nested: true }])
  if (types.includes('object')) values.push([], 'not an object')
  return values
}

/** A path with its parameters filled: with ids that exist nowhere, or with a value that is not an id. */
const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value)

const requests: { name: string, method: string, url: string, payload?: unknown, raw?: string, deep?: boolean }[] = []
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    const name = `${method.toUpperCase()} ${path}`
    const url = fill(path, UNKNOWN_ID)
    const body = op.requestBody?.content['application/json']?.schema
    if (path.includes('{')) {
      requests.push({ name: `${name} with a path parameter that is not an id`, method, url: fill(path, 'not-an-id'), payload: body ? {} : undefined })
      requests.push({ name: `${name} with an overlong path parameter`, method, url: fill(path, '9'.repeat(2000)), payload: body ? {} : undefined })
    }
    for (const parameter of (op.parameters ?? []).filter((p) => p.in === 'query')) {
      for (const value of wrongValues(parameter.schema)) {
        if (typeof value === 'object') continue
        requests.push({ name: `${name} ?${parameter.name}=${String(value).slice(0, 20)}`, method, url: `${url}?${parameter.name}=${encodeURIComponent(String(value))}`, payload: body ? {} : undefined })
      }
    }
    requests.push({ name: `${name} with an unknown query parameter`, method, url: `${url}?surprise=1`, payload: body ? {} : undefined })
    if (!body) continue
    const target = resolve(body)
    for (const payload of [null, [], 'text', 42, {}, { unknownField: 1 }]) requests.push({ name: `${name} with body ${JSON.stringify(payload)}`, method, url, payload })
    // Nested 20,000 deep: refused before it is parsed (JSON_MAX_DEPTH), never a stack overflow.
    requests.push({ name: `${name} with a 20,000-deep object`, method, url, raw: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, deep: true })
    requests.push({ name: `${name} with a 20,000-deep array`, method, url, raw: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, deep: true })
    // Each field wrong on its own, in the documented example body (so the rest of it is valid), and alone.
    const example = target.examples?.[0] ?? {}
    for (const [field, schema] of Object.entries(target.properties ?? {})) {
      for (const value of [null, ...wrongValues(schema)]) {
        const shown = `${field}=${JSON.stringify(value)?.slice(0, 20)}`
        requests.push({ name: `${name} with ${shown}`, method, url, payload: { [field]: value } })
        requests.push({ name: `${name} with the example body but ${shown}`, method, url, payload: { ...example, [field]: value } })
      }
    }
  }
}

/** What is wrong with an answer to malformed input, if anything: a 5xx, or a refusal that is not problem+json. */
function judge (name: string, res: { statusCode: number, headers: Record<string, unknown>, body: string }): string | undefined {
  if (res.statusCode >= 500) return `${name}: ${res.statusCode} ${res.body.slice(0, 300)}`
  if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) return `${name}: ${res.statusCode} as ${res.headers['content-type']}`
}

t.test('malformed input never answers 5xx, and every refusal is problem+json', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { RATE_LIMIT_STAFF: '1000000' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const failures: string[] = []
  for (const r of requests) {
    const res = await app.inject({
      method: r.method.toUpperCase() as 'GET',
      url: r.url,
      headers: { ...admin, ...(r.payload !== undefined || r.raw ? { 'content-type': 'application/json' } : {}) },
      ...(r.raw ? { payload: r.raw } : r.payload !== undefined ? { payload: JSON.stringify(r.payload) } : {})
    })
    const failure = judge(r.name, res) ?? (r.deep && !(res.statusCode === 400 && /JSON_MAX_DEPTH/.test(res.body)) ? `${r.name}: ${res.statusCode} ${res.body.slice(0, 200)}` : undefined)
    if (failure) failures.push(failure)
  }
  t.ok(requests.length > 1000, `${requests.length} requests made`)
  t.same(failures, [], 'no 5xx, and problem+json for every 4xx')
})

t.test('every write route, on records that exist, with one field of a valid request wrong at a time: never 5xx', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { RATE_LIMIT_STAFF: '1000000' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  await makeKey(db, 'partner')
  const failures: string[] = []
  let made = 0
  for (const [route, spec] of Object.entries(WRITES)) {
    const [method, path] = route.split(' ') as ['POST' | 'PATCH' | 'DELETE', string]
    const body = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]?.requestBody?.content['application/json']?.schema
    if (!body) continue
    // One fixture per route: a wrong value that happens to be accepted changes it, which is fine here.
    const { url, payload = {} } = await spec.request(db)
    if (typeof payload === 'string') continue // a file upload (text/csv) has no JSON fields to get wrong
    for (const [field, schema] of Object.entries(resolve(body).properties ?? {})) {
      for (const value of [null, ...wrongValues(schema)]) {
        made++
        const res = await app.inject({ method, url, headers: admin, payload: { ...payload, [field]: value } })
        const failure = judge(`${route} with ${field}=${JSON.stringify(value)?.slice(0, 20)}`, res)
        if (failure) failures.push(failure)
      }
    }
  }
  t.ok(made > 1000, `${made} requests made`)
  t.same(failures, [], 'no 5xx, and problem+json for every 4xx')
})
