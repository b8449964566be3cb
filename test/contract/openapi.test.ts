import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { contractPath, generateContract } from '../../src/cli/openapi.ts'
import { entryArgs } from '../helpers/runner.ts'

const generated = await generateContract()
const doc = JSON.parse(generated)

const check = (file: string) => spawnSync(process.execPath, [...entryArgs, 'src/cli/openapi.ts', '--check', '--file', file], { encoding: 'utf8', timeout: 60000 })

t.test('the committed contract matches the code', async (t) => {
  t.equal(readFileSync(contractPath, 'utf8'), generated, 'run `npm run openapi` and commit openapi/openapi.json')
})

t.test('the contract check fails on drift and names the line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-contract-'))
  const drifted = join(dir, 'openapi.json')
  writeFileSync(drifted, generated.replace('"title": "OCOP API — Hanoi"', '"title": "Edited by hand"'))
  const failed = check(drifted)
  t.equal(failed.status, 1)
  t.match(failed.stderr, /differs from the code \(line \d+: committed ".*Edited by hand/)
  writeFileSync(drifted, generated)
  t.equal(check(drifted).status, 0)
})

t.test('the lint rule set (.redocly.yaml) refuses an enum without its type and an answer without its headers', async (t) => {
  const lint = (file: string) => spawnSync(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--config', '.redocly.yaml', file], { encoding: 'utf8', timeout: 120000 })
  const dir = mkdtempSync(join(tmpdir(), 'ocop-lint-'))
  const untyped = join(dir, 'openapi.json')
  const edited = JSON.parse(generated)
  delete edited.components.schemas.Product.properties.status.type
  writeFileSync(untyped, JSON.stringify(edited))
  const failed = lint(untyped)
  t.not(failed.status, 0)
  t.match(`${failed.stdout}${failed.stderr}`, /rule\/enum-has-type/)
  const bare = JSON.parse(generated)
  delete bare.paths['/v1/products'].get.responses['200'].headers
  writeFileSync(untyped, JSON.stringify(bare))
  const undocumented = lint(untyped)
  t.not(undocumented.status, 0, 'nor an answer without its headers')
  t.match(`${undocumented.stdout}${undocumented.stderr}`, /rule\/response-headers/)
  writeFileSync(untyped, generated)
  t.equal(lint(untyped).status, 0, 'the generated contract passes')
})

t.test('nullable fields are type arrays wherever the value is a plain typed schema', async (t) => {
  const left: string[] = []
  let arrays = 0
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${path}/${i}`))
    if (typeof node !== 'object' || node === null) return
    const o = node as Record<string, unknown>
    if (Array.isArray(o.type)) arrays++
    const branches = o.anyOf as Record<string, unknown>[] | undefined
    if (branches?.length === 2 && branches.some((b) => b.type === 'null' && Object.keys(b).length === 1) && branches.some((b) => typeof b.type === 'string' && b.type !== 'null' && !b.$ref)) left.push(path)
    for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`)
  }
  walk(doc, '#')
  t.same(left, [], 'no anyOf of a typed value and null')
  t.ok(arrays > 150, `${arrays} type arrays`)
  const { Product } = await import('../../src/modules/products/schemas.ts')
  t.ok((Product.properties.nameEn as { anyOf?: unknown }).anyOf, 'the route schemas that validate are left as they are')
})

t.test('the contract is OpenAPI 3.1 with readable component names', async (t) => {
  t.equal(doc.openapi, '3.1.0')
  t.same(doc.servers, [{ url: '/' }])
  const names = Object.keys(doc.components.schemas)
  t.ok(names.includes('Problem') && names.includes('AdminUnit') && names.includes('ProductGroup'))
  t.notOk(names.some((n) => n.startsWith('def-')), 'no def-N names')
  t.ok(doc.components.securitySchemes.apiKey, 'the bearer scheme is offered')
})

t.test('every operation has an id, a summary, a tag, security, examples and documented errors', async (t) => {
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path}`
      t.ok(op.operationId, `${name} has an operationId`)
      t.ok(op.summary, `${name} has a summary`)
      t.ok((op.tags as string[] | undefined)?.length, `${name} has a tag`)
      t.ok(Array.isArray(op.security), `${name} declares its security`)
      t.match(op.description, /\*\*Permission:\*\*/, `${name} describes its permission`)
      for (const parameter of (op.parameters ?? []) as { name: string, in: string, description?: string, example?: unknown, schema?: { examples?: unknown[], format?: string } }[]) {
        // Swagger UI prefills examples. Filters naming one record (a uuid) and opaque cursors have none:
        // no example id exists in a real database, and only this service's own cursors are valid.
        const exampleless = parameter.in === 'query' && (parameter.schema?.format === 'uuid' || ['cursor', 'after', 'entityId'].includes(parameter.name))
        const hasExample = parameter.example !== undefined || Boolean(parameter.schema?.examples?.length)
        t.equal(hasExample, !exampleless, `${name} ${parameter.in} ${parameter.name} ${exampleless ? 'has no example' : 'has an example'}`)
        if (parameter.in === 'query') t.ok(parameter.description, `${name} query ${parameter.name} is described`)
      }
      const responses = op.responses as Record<string, { content?: Record<string, { schema: unknown }> }>
      t.ok(responses['200'] ?? responses['201'] ?? responses['202'] ?? responses['204'], `${name} documents its success`)
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue
        const problem = response.content?.['application/problem+json'] as { examples?: Record<string, { $ref: string }> } | undefined
        t.ok(problem, `${name} ${status} is problem+json`)
        const examples = Object.values(problem?.examples ?? {}).map((e) => doc.components.examples[e.$ref.split('/').pop()!]?.value?.status)
        t.same(examples, [Number(status)], `${name} ${status} has an example of its own status`)
      }
    }
  }
})

t.test('Swagger UI\'s Authorize offers the API key alone, and each permission line appears once', async (t) => {
  t.same(Object.keys(doc.components.securitySchemes), ['apiKey'])
  const described = Object.values<Record<string, { description?: string }>>(doc.paths).flatMap((ops) => Object.values(ops)).map((op) => op.description ?? '')
  t.ok(described.filter((d) => d.includes('**Permission:**')).length >= 90, 'every operation states its permission')
  t.same(described.filter((d) => d.split('**Permission:**').length > 2), [], 'and states it once')
})

t.test('the webhooks section documents every event type a partner can receive', async (t) => {
  const { EVENT_TYPES, PING } = await import('../../src/modules/webhooks/tables.ts')
  t.same(Object.keys(doc.webhooks).sort(), [...EVENT_TYPES, PING].sort())
  for (const [type, item] of Object.entries<{ post: { operationId: string, summary: string, security: unknown[], parameters: { name: string }[], requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>(doc.webhooks)) {
    const op = item.post
    t.ok(op.operationId && op.summary, `${type} has an id and a summary`)
    t.same(op.security, [], `${type} needs no key of this API`)
    t.same(op.parameters.map((p) => p.name), ['webhook-id', 'webhook-timestamp', 'webhook-signature'], `${type} is signed as Standard Webhooks says`)
    const name = op.requestBody.content['application/json']!.schema.$ref.split('/').pop()!
    t.same(doc.components.schemas[name].properties.type.enum, [type], `${type}'s body schema is its own`)
  }
})
