import t from 'tap'
import { buildTestApp } from '../helpers/app.ts'
import { undocumentedHeaders } from '../helpers/contract.ts'
import { makeProduct, makeRecognisedProducts } from '../helpers/factories.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'

// Optimistic concurrency as an operator's spreadsheet tool or a partner's client does it: read (or
// create), keep the ETag, send it back in If-Match. Every update takes it, and a create's answer already
// carries the tag its GET would give, so the first change needs no read.

interface Operation { operationId: string, parameters?: { name: string, in: string }[], responses: Record<string, { headers?: Record<string, unknown> }> }
type Doc = { paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, { examples: Record<string, unknown>[] }> } }

t.test('the contract: every update takes If-Match, and its answer (and a create\'s) documents the ETag', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const doc = app.swagger() as unknown as Doc
  const patches = Object.values(doc.paths).flatMap((ops) => ops.patch ? [ops.patch] : [])
  t.ok(patches.length >= 9, `${patches.length} PATCH operations`)
  for (const op of patches) {
    t.ok(op.parameters?.some((p) => p.in === 'header' && p.name === 'if-match'), `${op.operationId} takes If-Match`)
    t.ok('412' in op.responses, `${op.operationId} documents 412`)
    t.ok(op.responses['200']?.headers?.ETag, `${op.operationId} documents the ETag of its answer`)
  }
})

t.test('a create\'s 201 carries its GET\'s ETag, which the first update takes as it is', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  await app.ready()
  const doc = app.swagger() as unknown as Doc
  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload, headers: { ...admin, ...headers } })

  const [recognised] = await makeRecognisedProducts(db, 1)
  const ids: Record<string, string> = {}
  // Each create with its documented example, ids replaced by records made before it; then a change.
  const creates: [path: string, body: (example: Record<string, unknown>) => object, patch?: object][] = [
    ['/v1/admin-units', (e) => e],
    ['/v1/craft-villages', (e) => ({ ...e, name: 'Kim Lan' }), { trade: 'Gốm sứ men lam' }],
    ['/v1/producers', (e) => ({ ...e, registeredOn: '2019-05-20' }), { phone: '0912 345 679' }],
    ['/v1/products', (e) => ({ ...e, producerId: ids['/v1/producers'] }), { nameEn: 'Blue-glazed vase' }],
    ['/v1/criteria-sets', (e) => e],
    ['/v1/evaluations', (e) => ({ ...e, productId: ids['/v1/products'] })],
    ['/v1/venues', (e) => e, { name: 'Trung tâm OCOP Bát Tràng' }],
    ['/v1/distribution-partners', (e) => e, { name: 'BRG Mart' }],
    ['/v1/fairs', (e) => e, { organiser: 'Sở Công Thương Hà Nội' }],
    ['/v1/mous', (e) => ({ ...e, producerId: ids['/v1/producers'], partnerId: ids['/v1/distribution-partners'], fairId: ids['/v1/fairs'], productIds: [ids['/v1/products']] })],
    ['/v1/products/{id}/label-batches', (e) => e],
    ['/v1/targets', (e) => e, { number: 45 }]
  ]
  const documented = Object.entries(doc.paths).filter(([, ops]) => ops.post?.responses['201']?.headers?.ETag).map(([path]) => path)
  t.same(creates.map(([path]) => path).sort(), documented.sort(), 'every create documented with an ETag is tried here')

  for (const [path, body, patch] of creates) {
    const content = (doc.paths[path]!.post as unknown as { requestBody: { content: Record<string, { schema: { $ref?: string } }> } }).requestBody.content['application/json']!
    const example = doc.components.schemas[content.schema.$ref!.split('/').pop()!]!.examples[0]!
    const created = await send('POST', path.replace('{id}', recognised!), body(example))
    t.equal(created.statusCode, 201, `POST ${path}`, { body: created.body })
    t.same(undocumentedHeaders(doc.paths[path]!.post!, created), [], `POST ${path} documents the headers of its 201`)
    const tag = String(created.headers.etag)
    t.match(tag, /^"[\w-]{27}"$/, `POST ${path} answers with a strong ETag`)
    ids[path] = created.json().id ?? created.json().code
    const read = await send('GET', String(created.headers.location))
    t.equal(read.headers.etag, tag, `GET ${created.headers.location} gives the same tag`)
    t.equal(read.body, created.body, 'and the same body')
    if (!patch) continue
    const url = `${path}/${ids[path]}`
    const changed = await send('PATCH', url, patch, { 'if-match': tag })
    t.equal(changed.statusCode, 200, `PATCH ${url} with the create's tag`, { body: changed.body })
    t.same(undocumentedHeaders(doc.paths[`${path}/{id}`]!.patch!, changed), [], `PATCH ${url} documents the headers of its 200`)
    t.not(changed.headers.etag, tag, 'answers with the new tag')
    t.equal(changed.headers.etag, (await send('GET', url)).headers.etag, 'the one its GET now gives')
    const stale = await send('PATCH', url, patch, { 'if-match': tag })
    t.equal(stale.statusCode, 412, `PATCH ${url} with the create's tag, once changed`)
  }
})

t.test('updates that ignored If-Match refuse a stale tag and change nothing: fairs, partners, webhooks', async (t) => {
  const { app, db } = await buildTestApp(t, { env: { WEBHOOK_ALLOW_INSECURE_TARGETS: 'true' } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const partnerKey = bearer((await makeKey(db, 'partner')).token)
  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) => app.inject({ method, url, payload, headers })
  const created = async (url: string, headers: Record<string, string>, payload: object) => {
    const res = await send('POST', url, headers, payload)
    t.equal(res.statusCode, 201, `POST ${url}`, { body: res.body })
    return res.json().id as string
  }
  const fair = await created('/v1/fairs', admin, { name: 'Hội chợ OCOP', kind: 'ocop_fair', organiser: 'Sở Nông nghiệp', address: '91 Trần Hưng Đạo', adminUnitCode: '002', startsOn: '2020-12-25', endsOn: '2020-12-27', regions: ['red_river_delta'] })
  const partner = await created('/v1/distribution-partners', admin, { name: 'Siêu thị BRG', kind: 'supermarket_chain' })
  const webhook = await created('/v1/webhooks', partnerKey, { url: 'http://127.0.0.1:9/hook', eventTypes: ['listing.upserted'] })

  for (const [url, headers, first, second] of [
    [`/v1/fairs/${fair}`, admin, { organiser: 'Sở Công Thương' }, { organiser: 'UBND thành phố' }],
    [`/v1/distribution-partners/${partner}`, admin, { name: 'BRG Mart' }, { name: 'BRG Retail' }],
    [`/v1/webhooks/${webhook}`, partnerKey, { description: 'kho chính' }, { description: 'kho phụ' }]
  ] as const) {
    const read = await send('GET', url, headers)
    t.equal(read.statusCode, 200, `GET ${url}`)
    const tag = String(read.headers.etag)
    const mine = await send('PATCH', url, { ...headers, 'if-match': tag }, first)
    t.equal(mine.statusCode, 200, `PATCH ${url} with the tag read`, { body: mine.body })
    t.equal(mine.headers.etag, (await send('GET', url, headers)).headers.etag, 'answers with the tag its GET now gives')
    // A colleague who read before that change sends the tag they hold.
    const before = await dbFingerprint(db)
    const theirs = await send('PATCH', url, { ...headers, 'if-match': tag }, second)
    t.equal(theirs.statusCode, 412, `PATCH ${url} with a stale tag`)
    t.equal(theirs.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(theirs.json().type, '/problems/precondition-failed')
    t.same(await dbFingerprint(db), before, 'nothing changed')
    t.equal((await send('PATCH', url, { ...headers, 'if-match': '*' }, second)).statusCode, 200, 'If-Match: * takes any version')
  }
})

t.test('a retried create (same Idempotency-Key) replays the same ETag', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const product = { producerId: (await makeProduct(db)).producerId, nameVi: 'Nón lá Chuông', group148: '4.1' }
  const headers = { ...admin, 'idempotency-key': 'f1d2c3b4-a596-4788-9a0b-1c2d3e4f5a6b' }
  const first = await app.inject({ method: 'POST', url: '/v1/products', payload: product, headers })
  const again = await app.inject({ method: 'POST', url: '/v1/products', payload: product, headers })
  t.equal(first.statusCode, 201)
  t.equal(again.headers['idempotency-replayed'], 'true')
  t.match(first.headers.etag, /^"[\w-]{27}"$/)
  t.equal(again.headers.etag, first.headers.etag, 'the replay carries the tag')
})
