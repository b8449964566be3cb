import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { hanoiDate } from '../../src/lib/clock.ts'
import { buildTestApp } from '../helpers/app.ts'
import { makeRecognition } from '../helpers/factories.ts'
import { makeKey } from '../helpers/keys.ts'
import { project } from '../helpers/projector.ts'
import { operatorDecision, partnerSync } from './client-flows.ts'

const node = (args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 180_000 })

t.test('openapi/schema.d.ts is what openapi-typescript makes of the committed contract', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'ocop-types-')), 'schema.d.ts')
  const made = node(['node_modules/openapi-typescript/bin/cli.js', 'openapi/openapi.json', '--default-non-nullable', 'false', '-o', out])
  t.equal(made.status, 0, made.stderr)
  t.equal(readFileSync('openapi/schema.d.ts', 'utf8'), readFileSync(out, 'utf8'), 'run `npm run openapi:types` and commit openapi/schema.d.ts')
})

t.test('the client flows compile under tsc --strict, with one cast: the NDJSON line', async (t) => {
  const source = readFileSync('test/contract/client-flows.ts', 'utf8')
  t.equal(source.match(/\bas [A-Z]\w*/g)?.length, 1, 'one `as`')
  const tsc = node(['node_modules/typescript/bin/tsc', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--allowImportingTsExtensions', '--types', 'node', 'test/contract/client-flows.ts'])
  t.equal(tsc.status, 0, tsc.stdout)
})

t.test('the flows against the running service', async (t) => {
  const { app, db } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as import('node:net').AddressInfo).port}`
  const operator = (await makeKey(db, 'operator')).token
  const council = (await makeKey(db, 'council', { councilLevel: 'city' })).token
  const partner = (await makeKey(db, 'partner')).token

  const decided = await operatorDecision(base, operator, council, hanoiDate(new Date()))
  t.match(decided, { outcome: 'recognised', star: 4, location: `/v1/producers/${decided.location?.split('/').pop()}` }, 'a 4-star recognition, and the headers are typed')
  await db.query("UPDATE products SET status = 'active' WHERE id = $1", [decided.productId])
  for (let i = 0; i < 2; i++) await makeRecognition(db)
  await project(app)

  const synced = await partnerSync(base, partner)
  const listings = (await app.inject({ method: 'GET', url: '/v1/listings?limit=100', headers: { authorization: `Bearer ${partner}` } })).json().items
  t.same([...synced.listings.keys()].sort(), listings.map((l: { productId: string }) => l.productId).sort(), 'the export and the feed give the listings')
  t.ok(synced.listings.has(decided.productId), 'including the product the council just recognised')
  t.match(synced.eligibility, { eligible: true })
})
