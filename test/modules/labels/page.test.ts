// The label's URL as a shopper, an app and a resolver meet it: the page, the data and the linkset by
// Accept; every verdict in both languages; escaping; caching and counting; errors as pages.
import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import { fixedClock } from '../../../src/lib/clock.ts'
import { renderPage } from '../../../src/modules/labels/page/page.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { BROWSER_ACCEPT, HOSTILE_NAME, IMAGE_ORIGIN, labelsOfEveryKind } from '../../helpers/labels.ts'

const VERIFY_URL = 'https://ocop.example.vn/v1/labels/'

const setup = async (t: Test, env: Record<string, string> = {}) => {
  const clock = fixedClock('2026-11-23T03:00:00Z')
  const { app, db } = await buildTestApp(t, { clock, env: { LABEL_VERIFY_URL: VERIFY_URL, LABEL_IMAGE_ORIGINS: IMAGE_ORIGIN, RATE_LIMIT_ANONYMOUS: '10000', ...env } })
  const labels = await labelsOfEveryKind(app, db, clock)
  const get = (token: string, headers: Record<string, string> = {}, query = '') => app.inject({ method: 'GET', url: `/v1/labels/${token}${query}`, headers })
  const page = (token: string, headers: Record<string, string> = {}, query = '') => get(token, { accept: BROWSER_ACCEPT, ...headers }, query)
  const count = async (token: string) => {
    await app.labelCounts.flush()
    const [row] = await db.query<{ count: number }>('SELECT count FROM label_verifications WHERE serial = $1', [Number(token.slice(2, 11))])
    return row?.count ?? 0
  }
  return { app, db, clock, labels, get, page, count }
}

/** The text of the page's h1 and the paragraphs of the verdict box, tags stripped. */
const verdictOf = (html: string) => {
  const box = /<section class="verdict (\w+)"[^>]*>([\s\S]*?)<\/section>/.exec(html)!
  return { kind: box[1], text: box[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() }
}

t.test('one URL, three answers by Accept; the page for every verdict, in Vietnamese and in English', async (t) => {
  const { labels, get, page } = await setup(t)
  const { valid } = labels

  const json = await get(valid.token)
  t.equal(json.statusCode, 200)
  t.match(json.headers['content-type'], /^application\/json/, 'no Accept: JSON, as API clients always had')
  t.match(json.json(), { status: 'valid', lapsedOn: null, product: { nameVi: 'Bình gốm men lam Bát Tràng', imageUrl: `${IMAGE_ORIGIN}/binh-gom.png` }, producer: { name: 'HTX Gốm sứ Bát Tràng', adminUnit: { list: 'QD124-2004', code: '018', name: 'Gia Lâm' }, province: { code: '01', name: 'Hà Nội' } }, current: { star: 4, issuedOn: '2025-03-10', validThrough: '2029-03-10' }, verifications: { count: 1, likelyCopied: false } })
  t.match((await get(valid.token, { accept: '*/*' })).headers['content-type'], /^application\/json/, '*/* gets JSON')
  t.match((await get(valid.token, { accept: 'image/png' })).headers['content-type'], /^application\/json/, 'a type not offered gets JSON')

  const html = await page(valid.token)
  t.equal(html.statusCode, 200)
  t.equal(html.headers['content-type'], 'text/html; charset=utf-8', 'a browser gets the page')
  t.equal(html.headers['content-language'], 'vi')
  t.match(html.headers.vary, /Accept(,|$)/)
  t.match(html.headers.vary, /Accept-Language/)
  t.match(html.body, /^<!doctype html>\n<html lang="vi">/)
  t.same(verdictOf(html.body), { kind: 'valid', text: '✓ Tem OCOP chính hãng, còn hiệu lực Sản phẩm OCOP Việt Nam ★★★★ Giấy chứng nhận còn hiệu lực đến hết ngày 10/03/2029.' })
  t.match(html.body, '<span class="stars" role="img" aria-label="Sản phẩm OCOP Việt Nam, 4 sao">★★★★</span>', 'the star sign, spoken as words')
  for (const fact of ['Bình gốm men lam Bát Tràng', 'HTX Gốm sứ Bát Tràng', 'Gia Lâm, Hà Nội', '4 sao', '10/03/2025', '10/03/2029', valid.token.slice(0, 11), 'Thành phố Hà Nội', 'Chương trình Mỗi xã một sản phẩm (OCOP)']) {
    t.ok(html.body.includes(fact), `the page shows ${fact}`)
  }
  t.match(html.body, `<img src="${IMAGE_ORIGIN}/binh-gom.png" alt="Ảnh sản phẩm Bình gốm men lam Bát Tràng"`, 'the first image, from a trusted origin')
  t.match(html.body, 'Tem này đã được kiểm tra 4 lần', 'the count: the three JSON reads and this page')
  t.ok(Buffer.byteLength(html.body) < 30_000, `small: ${Buffer.byteLength(html.body)} bytes`)
  t.notMatch(html.body, /<script|https?:\/\/(?!images\.ocop\.test)[^"]*"/i, 'no script, and no asset from another host')

  const csp = html.headers['content-security-policy'] as string
  t.match(csp, "script-src 'none'")
  t.notMatch(csp, 'unsafe-inline', 'no inline anything but the hashed stylesheet')
  const style = /<style>([\s\S]*?)<\/style>/.exec(html.body)![1]!
  t.match(csp, `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`, 'the stylesheet is allowed by its hash')
  t.match(csp, `img-src 'self' data: ${IMAGE_ORIGIN}`)

  const english = await page(valid.token, { 'accept-language': 'en-GB,en;q=0.9' })
  t.equal(english.headers['content-language'], 'en')
  t.match(english.body, '<html lang="en">')
  t.same(verdictOf(english.body), { kind: 'valid', text: '✓ Genuine OCOP label, valid Vietnam OCOP product ★★★★ The certificate is valid through 10 March 2029.' })
  t.match(english.body, '<bdi>Bat Trang blue-glaze vase</bdi>', 'the English name where there is one')
  t.match(english.body, `<a class="lang" href="/v1/labels/${valid.token}?lang=vi" hreflang="vi" lang="vi">Tiếng Việt</a>`, 'a link back to Vietnamese')
  t.match((await page(valid.token, {}, '?lang=en')).body, '<html lang="en">', 'the page\'s own link: ?lang=en')
  t.match(html.body, `href="/v1/labels/${valid.token}?lang=en"`, 'the Vietnamese page links to English')

  const verdicts: [string, string, string, string][] = [
    [labels.expired.token, 'lapsed', 'Tem chính hãng, nhưng sản phẩm hiện không được mang dấu OCOP Giấy chứng nhận OCOP đã hết hiệu lực từ ngày 11/01/2027.', 'Genuine label, but the product may not carry the OCOP mark now The OCOP certificate expired; it is no longer valid since 11 January 2027.'],
    [labels.revoked.token, 'lapsed', 'Tem chính hãng, nhưng sản phẩm hiện không được mang dấu OCOP Giấy chứng nhận OCOP đã bị thu hồi từ ngày 15/01/2027.', 'Genuine label, but the product may not carry the OCOP mark now The OCOP certificate was revoked from 15 January 2027.'],
    [labels.voided.token, 'voided', 'Tem đã bị huỷ: không được sử dụng Tem thuộc một lô đã bị huỷ (bị mất, thất lạc hoặc in lỗi). Sản phẩm mang tem này có thể không phải hàng chính hãng.', 'Voided label: must not be used This label belongs to a voided batch (lost, stolen or misprinted). A product carrying it may not be genuine.']
  ]
  for (const [token, kind, vi, en] of verdicts) {
    const [inVi, inEn] = [await page(token), await page(token, {}, '?lang=en')]
    t.equal(inVi.statusCode, 200)
    t.same(verdictOf(inVi.body), { kind, text: `${kind === 'voided' ? '✕' : '!'} ${vi}` })
    t.same(verdictOf(inEn.body), { kind, text: `${kind === 'voided' ? '✕' : '!'} ${en}` })
  }
  t.match((await get(labels.expired.token)).json(), { status: 'expired', lapsedOn: '2027-01-11' })
  t.match((await get(labels.revoked.token)).json(), { status: 'revoked', lapsedOn: '2027-01-15' })

  // Not ours: a wrong check code, or something that cannot be a token at all.
  for (const token of [labels.counterfeit, 'HN12', 'HN000000001-<script>']) {
    const notOurs = await page(encodeURIComponent(token))
    t.equal(notOurs.statusCode, 404, `${token}: a 404 page`)
    t.equal(notOurs.headers['content-type'], 'text/html; charset=utf-8')
    t.equal(notOurs.headers['cache-control'], 'no-store')
    t.same(verdictOf(notOurs.body), { kind: 'counterfeit', text: '✕ Không phải tem của Chương trình OCOP Hà Nội Mã trên tem không khớp với tem nào do chương trình phát hành. Sản phẩm có thể là hàng giả: đừng mua, và báo cho người bán hoặc cơ quan quản lý thị trường.' })
    t.notMatch(notOurs.body, '<script', 'the token is not echoed into the page')
  }
  t.same(verdictOf((await page(labels.counterfeit, { 'accept-language': 'en' })).body).kind, 'counterfeit')
  const asData = await get(labels.counterfeit)
  t.equal(asData.statusCode, 404, 'JSON clients still get a problem')
  t.match(asData.headers['content-type'], /^application\/problem\+json/)
  t.equal((await get('HN12')).statusCode, 400)
  const badQuery = await page(valid.token, {}, '?lang=fr')
  t.equal(badQuery.statusCode, 400, 'a parameter the page does not know: still a 400')
  t.same(verdictOf(badQuery.body), { kind: 'unavailable', text: '… Chưa kiểm tra được tem lúc này Địa chỉ này có tham số không hợp lệ. Hãy quét lại mã QR trên tem.' }, 'a page that does not call a genuine label counterfeit')
})

t.test('the linkset: RFC 9264 with GS1 link types; not counted', async (t) => {
  const { labels, get, count } = await setup(t)
  const before = await count(labels.valid.token)
  const res = await get(labels.valid.token, { accept: 'application/linkset+json', host: 'api.ocop.test' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/linkset\+json/)
  const anchor = `${VERIFY_URL}${labels.valid.token}`
  t.same(res.json(), {
    linkset: [{
      anchor,
      'https://gs1.org/voc/defaultLink': [{ href: anchor, type: 'text/html', hreflang: ['vi', 'en'], title: 'Kiểm tra tem OCOP (Verify the OCOP label)' }],
      'https://gs1.org/voc/verificationService': [
        { href: anchor, type: 'text/html', hreflang: ['vi', 'en'], title: 'Kiểm tra tem OCOP (Verify the OCOP label)' },
        { href: anchor, type: 'application/json', title: 'Kết quả kiểm tra tem (the verification, as data)' }
      ],
      'https://gs1.org/voc/pip': [{ href: `http://api.ocop.test/v1/products/${labels.valid.productId}`, type: 'application/json', hreflang: ['vi'], title: 'Bình gốm men lam Bát Tràng' }],
      'https://gs1.org/voc/certificationInfo': [{ href: `http://api.ocop.test/v1/products/${labels.valid.productId}/recognitions`, type: 'application/json', title: `Giấy chứng nhận OCOP ${(await get(labels.valid.token)).json().certificateNumber} (OCOP certificate)` }]
    }]
  })
  t.equal(await count(labels.valid.token), before + 1, 'only the JSON read above was counted, not the linkset')
  const product = await get(`../products/${labels.valid.productId}`)
  t.equal(product.statusCode, 200, 'the product link answers')
  t.equal((await get(labels.counterfeit, { accept: 'application/linkset+json' })).statusCode, 404, 'no links for a label that is not ours')
})

t.test('caching: a weak ETag of the verdict, max-age never past midnight; every scan that reaches the service is counted', async (t) => {
  const { labels, clock, get, page, count } = await setup(t)
  const { token } = labels.valid
  const first = await page(token)
  t.equal(first.headers['cache-control'], 'private, max-age=60', 'the browser may reuse it for a minute; no shared cache may')
  const tag = first.headers.etag as string
  t.match(tag, /^W\/"[\w-]{27}"$/)
  const second = await page(token)
  t.equal(second.headers.etag, tag, 'the count changed, the verdict did not: the same tag')
  t.not(second.body, first.body, 'the body shows the new count')
  const before = await count(token)
  const revalidated = await page(token, { 'if-none-match': tag })
  t.equal(revalidated.statusCode, 304, 'a revalidation is answered 304 while the verdict holds')
  t.equal(revalidated.body, '')
  t.equal(await count(token), before + 1, 'and it is counted')
  t.not((await page(token, { 'accept-language': 'en' })).headers.etag, tag, 'the English page is another representation')
  const jsonTag = (await get(token)).headers.etag
  t.not(jsonTag, tag, 'so is the JSON')
  t.equal((await get(token, { 'if-none-match': jsonTag as string })).statusCode, 304, 'the JSON revalidates too')

  clock.set('2027-02-01T16:59:30Z') // 23:59:30 in Hanoi
  const late = await page(token)
  t.equal(late.headers['cache-control'], 'private, max-age=30', 'never past midnight in Hanoi')
  clock.set('2027-02-01T17:00:00Z')
  const nextDay = await page(token, { 'if-none-match': late.headers.etag as string })
  t.equal(nextDay.statusCode, 200, 'after midnight the verdict is for another day: a new page, not a 304')
  t.not(nextDay.headers.etag, late.headers.etag)

  // More than 20 verifications: the warning, and a new tag (the verdict now warns).
  while ((await get(token)).json().verifications.count <= 20);
  const copied = await page(token)
  t.not(copied.headers.etag, nextDay.headers.etag, 'the warning changes the tag')
  t.match(copied.body, '<h2 id="warning">Cảnh báo</h2>')
  t.match(copied.body, 'Tem này đã được kiểm tra hơn 20 lần')
  t.match((await get(token)).json().verifications, { likelyCopied: true })
  t.notMatch(first.body, 'id="warning"', 'no warning below the threshold')
})

t.test('hostile names are text: escaped by the template engine, isolated from the text around them', async (t) => {
  const { labels, page } = await setup(t)
  const html = (await page(labels.hostile.token)).body
  t.notMatch(html, '<script>alert', 'no markup from the name')
  t.notMatch(html, '<b>')
  t.match(html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;Gốm&quot; &#39;men&#39; \u202Eeht ton\u202C &amp; &lt;b&gt;', 'shown as text')
  t.match(html, /<bdi>&lt;script&gt;[^<]*\u202E[^<]*<\/bdi>/, 'the right-to-left override stays inside its own <bdi>')
  t.notMatch(html, 'elsewhere.example', 'an image from an origin not trusted is left out')

  // The same, without HTTP: the renderer alone, on a verification built by hand.
  const label = (await page(labels.valid.token, { accept: 'application/json' })).json()
  for (const field of ['nameVi', 'code'] as const) label.product[field] = HOSTILE_NAME
  label.producer.name = HOSTILE_NAME
  label.certificateNumber = label.current.certificateNumber = '"><img src=x onerror=alert(1)>'
  const rendered = renderPage({ lang: 'vi', label, imageOrigins: [], path: '/v1/labels/x', today: '2027-02-01' })
  t.notMatch(rendered, /<script|<img|<b>/, 'no element from any value')
  t.equal(rendered.split('&lt;script&gt;alert(&quot;x&quot;)').length - 1, 3, 'each hostile value shown as text: name, code, producer')
  t.match(rendered, '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;')
})

t.test('errors as pages: too many requests', async (t) => {
  const { labels, page } = await setup(t, { RATE_LIMIT_ANONYMOUS: '2' })
  let res = await page(labels.valid.token)
  while (res.statusCode !== 429) res = await page(labels.valid.token)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.ok(Number(res.headers['retry-after']) > 0, 'with Retry-After')
  t.same(verdictOf(res.body), { kind: 'unavailable', text: '… Chưa kiểm tra được tem lúc này Có quá nhiều lượt kiểm tra từ mạng của bạn. Hãy thử lại sau ít phút.' })
  t.match(res.headers['content-security-policy'], "script-src 'none'")
})
