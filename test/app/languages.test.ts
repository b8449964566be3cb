import t from 'tap'
import { TITLES } from '../../src/lib/problem.ts'
import { fieldErrors } from '../../src/lib/validation-messages.ts'
import { buildTestApp } from '../helpers/app.ts'
import { makeProduct, makeProducer } from '../helpers/factories.ts'
import { bearer, dbFingerprint, makeKey } from '../helpers/keys.ts'

// Problem answers follow Accept-Language: Vietnamese by default, English on request; type, status,
// pointers and data never change with the language.
t.test('errors in Vietnamese by default and in English on Accept-Language: en', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const ask = async (lang: string | undefined, request: { method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object }) => {
    const res = await app.inject({ ...request, headers: { ...admin, ...(lang === undefined ? {} : { 'accept-language': lang }) } })
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    return res
  }

  t.test('a validation error: title, detail and the field message', async (t) => {
    const bad = { method: 'POST' as const, url: '/v1/producers', payload: { name: 'HTX Gốm Bát Tràng', type: 'cooperative', address: 'Bát Tràng', adminUnitCode: '018', registeredOn: '2019-01-01', taxCode: '123' } }
    const before = await dbFingerprint(db)
    const vi = await ask(undefined, bad)
    t.equal(vi.statusCode, 400)
    t.equal(vi.headers['content-language'], 'vi')
    t.match(vi.headers.vary, /Accept-Language/)
    t.match(vi.json(), { type: '/problems/validation-error', title: 'Yêu cầu không hợp lệ', detail: 'body/taxCode phải có ít nhất 10 ký tự', errors: [{ in: 'body', pointer: '/taxCode', detail: 'phải có ít nhất 10 ký tự' }] })
    const en = await ask('en', bad)
    t.equal(en.headers['content-language'], 'en')
    t.match(en.json(), { type: '/problems/validation-error', title: 'Your request is not valid', detail: 'body/taxCode must have at least 10 characters', errors: [{ in: 'body', pointer: '/taxCode', detail: 'must have at least 10 characters' }] })
    t.same(await dbFingerprint(db), before, 'nothing saved in either language')
  })

  t.test('a 404', async (t) => {
    const url = '/v1/products/8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c'
    t.match((await ask('vi', { method: 'GET', url })).json(), { type: '/problems/not-found', status: 404, title: 'Không tìm thấy', detail: 'Không có sản phẩm 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c' })
    t.match((await ask('en-GB', { method: 'GET', url })).json(), { type: '/problems/not-found', status: 404, title: 'Not found', detail: 'product 8a6e0b7e-4c1d-4f2a-9b3c-5d6e7f8a9b0c does not exist' })
  })

  t.test('a 409', async (t) => {
    const producer = await makeProducer(db)
    await makeProduct(db, { producerId: producer.id })
    const url = `/v1/producers/${producer.id}`
    const vi = await ask(undefined, { method: 'DELETE', url })
    t.equal(vi.statusCode, 409)
    t.match(vi.json(), { type: '/problems/conflict', title: 'Xung đột với trạng thái hiện tại', detail: `chủ thể ${producer.id} có 1 sản phẩm nên không xóa được; hãy ngừng hoạt động chủ thể` })
    t.match((await ask('en', { method: 'DELETE', url })).json(), { type: '/problems/conflict', title: 'Conflict with the current state', detail: `producer ${producer.id} has 1 products and cannot be deleted; deactivate it instead` })
    t.equal((await db.query('SELECT 1 FROM producers WHERE id = $1', [producer.id])).length, 1, 'still there')
  })

  t.test('a 422 domain rule', async (t) => {
    const venue = { method: 'POST' as const, url: '/v1/venues', payload: { name: 'Điểm OCOP Bát Tràng', type: 'point_of_sale', locationKind: 'craft_village_area', address: 'Bát Tràng', adminUnitCode: '018', latitude: 10.77, longitude: 106.7 } }
    const vi = await ask('vi-VN', venue)
    t.equal(vi.statusCode, 422)
    t.match(vi.json(), { type: '/problems/unprocessable', title: 'Yêu cầu vi phạm một quy định', detail: /tọa độ 10.77, 106.7 nằm ngoài khung bao của Hà Nội/, errors: [{ pointer: '/latitude', detail: /nằm ngoài Hà Nội/ }, { pointer: '/longitude' }] })
    const en = await ask('en', venue)
    t.match(en.json(), { type: '/problems/unprocessable', title: 'The request breaks a rule', detail: /outside Hanoi's bounding box/, errors: [{ pointer: '/latitude', detail: /is outside Hanoi/ }, { pointer: '/longitude' }] })
  })

  t.test('how the language is chosen', async (t) => {
    const url = '/v1/nothing'
    const lang = async (header: string | undefined) => (await ask(header, { method: 'GET', url })).headers['content-language']
    t.equal(await lang(undefined), 'vi', 'no header: Vietnamese')
    t.equal(await lang('fr-FR, de;q=0.8'), 'vi', 'only languages the API does not speak: Vietnamese')
    t.equal(await lang('fr, en;q=0.5'), 'en', 'English is the first the API speaks')
    t.equal(await lang('en;q=0.4, vi;q=0.9'), 'vi', 'q-values decide')
    t.equal(await lang('en-US'), 'en', 'a regional tag counts')
    t.equal(await lang('*'), 'vi', 'anything: Vietnamese')
  })
})

t.test('every problem type has a title in each language, and they differ', async (t) => {
  for (const [slug, title] of Object.entries(TITLES)) {
    t.ok(title.vi && title.en, slug)
    t.not(title.vi, title.en, `${slug} is translated`)
  }
})

t.test('every validation keyword the contract uses has its own message in each language', async (t) => {
  const { app, db } = await buildTestApp(t)
  await app.ready()
  // The keywords Ajv reports an error under, as they appear in the contract's schemas.
  const KEYWORDS = ['type', 'enum', 'const', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'required', 'additionalProperties', 'minProperties', 'maxProperties', 'propertyNames', 'dependentRequired', 'not', 'if']
  const used = new Set<string>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (node === null || typeof node !== 'object') return
    for (const [key, value] of Object.entries(node)) {
      if (KEYWORDS.includes(key) && !(key === 'type' && typeof value === 'object' && !Array.isArray(value))) used.add(key)
      walk(value)
    }
  }
  walk(app.swagger())
  t.ok(used.has('minProperties') && used.has('multipleOf'), `keywords used: ${[...used].sort().join(', ')}`)
  for (const keyword of used) {
    const [issue] = fieldErrors([{ instancePath: '/x', keyword, message: 'Ajv says so', params: { limit: 2, type: 'string', format: 'uuid', allowedValues: ['a'], allowedValue: 'a', multipleOf: 0.25, missingProperty: 'x', additionalProperty: 'x' } }], 'body')
    t.not(issue!.detail.en, 'Ajv says so', `${keyword} in English`)
    t.not(issue!.detail.vi, 'không hợp lệ', `${keyword} in Vietnamese`)
  }
  // An update with nothing to change: it read "must NOT have fewer than 1 properties" (en), "không hợp lệ" (vi).
  const product = await makeProduct(db)
  const admin = bearer((await makeKey(db, 'admin')).token)
  for (const [lang, detail] of [['en', 'must hold at least one field (send the fields to change)'], ['vi', 'phải có ít nhất một trường (gửi các trường cần thay đổi)']]) {
    const empty = await app.inject({ method: 'PATCH', url: `/v1/products/${product.id}`, payload: {}, headers: { ...admin, 'accept-language': lang! } })
    t.equal(empty.statusCode, 400)
    t.same(empty.json().errors, [{ in: 'body', pointer: '/', detail }], `PATCH {} in ${lang}`)
  }
})
