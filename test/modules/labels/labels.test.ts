import { createHmac } from 'node:crypto'
import jsQRModule from 'jsqr'
import { PNG } from 'pngjs'
import t from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { commonJsDefault } from '../../../src/lib/interop.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { insertRecognition, makeProduct, makeRecognition } from '../../helpers/factories.ts'
import { bearer, makeKey } from '../../helpers/keys.ts'

const jsQR = commonJsDefault<typeof jsQRModule.default>(jsQRModule)
const VERIFY_URL = 'https://ocop.example.vn/xac-thuc/'

t.test('label batches: ordering, the city-funded limit, the printer file, verification, QR codes, voiding', async (t) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock, env: { LABEL_VERIFY_URL: VERIFY_URL } })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const elsewhere = bearer((await makeKey(db, 'operator', { adminUnits: ['281'] })).token)
  const recognitionId = await makeRecognition(db)
  const [{ productId } = { productId: '' }] = await db.query<{ productId: string }>('SELECT product_id AS "productId" FROM recognitions WHERE id = $1', [recognitionId])
  const order = (payload: Record<string, unknown>, headers = admin, id = productId) => app.inject({ method: 'POST', url: `/v1/products/${id}/label-batches`, headers, payload })
  const batches = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM label_batches'))[0]!.n

  // Ordering
  const first = await order({ quantity: 1500, fundedByCity: true, printer: 'Công ty In Hà Nội' })
  t.equal(first.statusCode, 201)
  t.equal(first.headers.location, `/v1/label-batches/${first.json().id}`)
  t.match(first.json(), { productId, recognitionId, firstSerial: 'HN000000001', lastSerial: 'HN000001500', quantity: 1500, fundedByCity: true, star: 4, status: 'active', orderedOn: '2026-11-23' })
  t.notOk('secret' in first.json(), 'the batch secret never leaves the service')
  const over = await order({ quantity: 501, fundedByCity: true })
  t.equal(over.statusCode, 422, 'over the 2,000 city-funded labels of a certificate')
  t.same(over.json().errors, [{ in: 'body', pointer: '/quantity', detail: 'nhiều hơn 500 tem do thành phố chi trả còn lại' }])
  t.equal((await order({ quantity: 500, fundedByCity: true })).statusCode, 201, 'exactly up to the limit')
  const own = await order({ quantity: 3 })
  t.equal(own.statusCode, 201, 'labels the producer pays for are not limited')
  t.match(own.json(), { firstSerial: 'HN000002001', lastSerial: 'HN000002003', fundedByCity: false })
  t.equal((await order({ quantity: 3 }, elsewhere)).statusCode, 403, 'an operator of another unit')
  t.equal((await order({ quantity: 3, orderedOn: '2026-11-24' })).json().errors[0].pointer, '/orderedOn', 'not ordered in the future')
  const unrecognised = await makeProduct(db, { status: 'active' })
  const none = await order({ quantity: 10 }, admin, unrecognised.id)
  t.equal(none.statusCode, 422)
  t.same(none.json().errors, [{ in: 'path', pointer: '/id', detail: 'không có giấy chứng nhận còn hiệu lực' }])
  const districtProduct = (await makeProduct(db, { status: 'active' })).id
  await insertRecognition(db, districtProduct, { star: 3, level: 'district', issuedOn: '2025-03-10', expiresOn: '2028-03-10' })
  const notCity = await order({ quantity: 10, fundedByCity: true }, admin, districtProduct)
  t.equal(notCity.statusCode, 422)
  t.same(notCity.json().errors, [{ in: 'body', pointer: '/fundedByCity', detail: 'giấy chứng nhận thuộc cấp district' }])
  t.equal((await order({ quantity: 10 }, admin, districtProduct)).statusCode, 201, 'a district-level certificate\'s labels, paid by the producer')
  t.equal((await order({ quantity: 0 })).statusCode, 400)
  t.equal(await batches(), 4, 'the refused orders saved nothing')

  // The printer's file: every label once, each token checkable with the batch's secret.
  const file = await app.inject({ method: 'GET', url: `/v1/label-batches/${own.json().id}/labels`, headers: admin })
  t.equal(file.statusCode, 200)
  t.match(file.headers['content-type'], /^text\/csv/)
  const lines = file.body.trim().split('\n')
  t.equal(lines[0], 'serial,token,url')
  t.equal(lines.length, 4)
  const rows = lines.slice(1).map((l) => l.split(','))
  t.same(rows.map((r) => r[0]), ['HN000002001', 'HN000002002', 'HN000002003'])
  const [{ secret } = { secret: '' }] = await db.query<{ secret: string }>('SELECT secret FROM label_batches WHERE id = $1', [own.json().id])
  for (const [serial, token, url] of rows) {
    // An independent computation of the check code: 50 bits of HMAC-SHA256, in Crockford's base 32.
    const mac = createHmac('sha256', secret).update(serial!).digest()
    const bits = mac.subarray(0, 7).reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n) >> 6n
    const code = Array.from({ length: 10 }, (_, i) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Number((bits >> BigInt(45 - 5 * i)) & 31n)]).join('')
    t.equal(token, `${serial}-${code}`)
    t.equal(url, `${VERIFY_URL}${token}`)
  }
  const ndjson = await app.inject({ method: 'GET', url: `/v1/label-batches/${own.json().id}/labels?format=ndjson`, headers: admin })
  t.same(ndjson.body.trim().split('\n').map((l) => JSON.parse(l).token), rows.map((r) => r[1]))
  t.equal((await app.inject({ method: 'GET', url: `/v1/label-batches/${own.json().id}/labels`, headers: elsewhere })).statusCode, 404, 'the tokens are for the product\'s unit only: another unit\'s operator is told nothing')
  t.equal((await app.inject({ method: 'GET', url: `/v1/label-batches/${own.json().id}/labels` })).statusCode, 401)

  // Verification by a consumer, anonymous
  const token = rows[1]![1]!
  const verify = (tok: string) => app.inject({ method: 'GET', url: `/v1/labels/${tok}` })
  const ok = await verify(token)
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['cache-control'], 'private, max-age=60', 'counted, so never in a shared cache (README, "The label page")')
  t.match(ok.headers.etag, /^W\/"[\w-]{27}"$/, 'a weak ETag: of the verdict, not the count')
  t.match(ok.json(), { token, serial: 'HN000002002', status: 'valid', valid: true, validUntil: '2029-03-10', star: 4, expiresOn: '2029-03-10', product: { id: productId }, verifications: { count: 1 } })
  t.match(ok.json().message, /Tem OCOP chính hãng, sản phẩm 4 sao.*Genuine OCOP label/)
  t.equal((await verify(token)).json().verifications.count, 2, 'each verification is counted')
  const wrongCode = token.slice(0, 12) + (token[12] === 'A' ? 'B' : 'A') + token.slice(13)
  const fake = await verify(wrongCode)
  t.equal(fake.statusCode, 404, 'a serial with a wrong check code')
  t.match(fake.json().detail, /Tem có thể là hàng giả/)
  t.equal((await verify('HN000009999-0000000000')).statusCode, 404, 'a serial never issued')
  t.equal((await verify('HN000002002-ILOU000000')).statusCode, 400, 'not a token: letters outside the alphabet')
  await app.labelCounts.flush()
  t.same((await db.query('SELECT serial::int, count FROM label_verifications')), [{ serial: 2002, count: 2 }], 'only genuine labels are counted, written in one batch')

  // QR codes, decoded by an independent reader
  const png = await app.inject({ method: 'GET', url: `/v1/labels/${token}/qr?format=png&size=256` })
  t.equal(png.statusCode, 200)
  t.equal(png.headers['content-type'], 'image/png')
  const image = PNG.sync.read(png.rawPayload)
  t.equal(image.width, 256)
  t.equal(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data, `${VERIFY_URL}${token}`, 'the QR code reads as the verification URL')
  const svg = await app.inject({ method: 'GET', url: `/v1/labels/${token}/qr` })
  t.equal(svg.headers['content-type'], 'image/svg+xml')
  t.match(svg.body, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  t.equal((await app.inject({ method: 'GET', url: `/v1/labels/${wrongCode}/qr` })).statusCode, 404, 'no QR code for a label that is not ours')

  // The certificate's life shows on the label
  clock.set('2029-03-10T16:59:00Z')
  t.match((await verify(token)).json(), { status: 'valid', valid: true }, 'the last minute of 10 March in Hanoi, the last valid day')
  clock.set('2029-03-10T17:00:00Z')
  t.match((await verify(token)).json(), { status: 'expired', valid: false, validUntil: null }, 'expired from midnight in Hanoi')
  clock.set('2026-11-23T03:00:00Z')
  await app.inject({ method: 'POST', url: `/v1/recognitions/${recognitionId}/revoke`, headers: admin, payload: { decisionReference: 'QĐ-thu-hồi-1', revokedOn: '2026-11-23', reason: 'Vi phạm an toàn thực phẩm' } })
  const revoked = (await verify(token)).json()
  t.match(revoked, { status: 'revoked', valid: false, revokedOn: '2026-11-23' })
  t.match(revoked.message, /thu hồi từ ngày 2026-11-23/)

  // Voiding a batch
  const voided = await app.inject({ method: 'POST', url: `/v1/label-batches/${first.json().id}/void`, headers: admin, payload: { reason: 'Mất khi vận chuyển' } })
  t.equal(voided.statusCode, 200)
  t.match(voided.json(), { status: 'void', voidReason: 'Mất khi vận chuyển' })
  t.equal((await app.inject({ method: 'POST', url: `/v1/label-batches/${first.json().id}/void`, headers: admin, payload: { reason: 'again' } })).statusCode, 409)
  const firstFile = await app.inject({ method: 'GET', url: `/v1/label-batches/${first.json().id}/labels`, headers: admin })
  t.equal(firstFile.body.trim().split('\n').length, 1501, 'a batch of 1,500 labels')
  const lost = firstFile.body.split('\n')[1]!.split(',')[1]!
  t.match((await verify(lost)).json(), { serial: 'HN000000001', status: 'voided', valid: false })
  const [audit] = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity = 'label_batch' AND entity_id = $1 ORDER BY at DESC LIMIT 1", [first.json().id])
  t.equal(audit?.action, 'void', 'voiding is audited')

  // Lists
  const list = await app.inject({ method: 'GET', url: `/v1/products/${productId}/label-batches?limit=2`, headers: admin })
  t.equal(list.statusCode, 200)
  t.equal(list.json().items.length, 2)
  const next = await app.inject({ method: 'GET', url: `/v1/products/${productId}/label-batches?limit=2&cursor=${list.json().nextCursor}`, headers: admin })
  t.same([...list.json().items, ...next.json().items].map((b: { quantity: number }) => b.quantity), [3, 500, 1500], 'newest first, over two pages')
  t.equal((await app.inject({ method: 'GET', url: `/v1/label-batches/${own.json().id}`, headers: admin })).json().quantity, 3)
  t.equal((await app.inject({ method: 'GET', url: `/v1/products/${productId}/label-batches` })).statusCode, 401)
})

t.test('concurrent orders never share a serial nor pass the city-funded limit', async (t) => {
  const { app, db } = await buildTestApp(t, { clock: fixedClock('2026-11-23T03:00:00Z') })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const products: string[] = []
  for (let i = 0; i < 3; i++) {
    const id = await makeRecognition(db)
    products.push((await db.query<{ id: string }>('SELECT product_id AS id FROM recognitions WHERE id = $1', [id]))[0]!.id)
  }
  const answers = await Promise.all(products.flatMap((id) => Array.from({ length: 5 }, () =>
    app.inject({ method: 'POST', url: `/v1/products/${id}/label-batches`, headers: admin, payload: { quantity: 600, fundedByCity: true } }))))
  t.same(answers.map((a) => a.statusCode).filter((s) => s === 201).length, 9, 'three of five fit under 2,000 for each certificate')
  t.ok(answers.every((a) => a.statusCode === 201 || a.statusCode === 422))
  const ranges = await db.query<{ first: number, last: number }>('SELECT first_serial::int AS first, last_serial::int AS last FROM label_batches ORDER BY first_serial')
  t.equal(ranges.length, 9)
  t.ok(ranges.every((r, i) => i === 0 || r.first === ranges[i - 1]!.last + 1), 'consecutive ranges: none overlaps')
  const funded = await db.query<{ n: number }>('SELECT sum(quantity)::int AS n FROM label_batches GROUP BY recognition_id')
  t.ok(funded.every((f) => f.n <= 2000))
})
