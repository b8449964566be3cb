import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { makeProducer } from '../../helpers/factories.ts'
import { bearer, dbFingerprint, makeKey } from '../../helpers/keys.ts'

const HEADER = 'taxCode,name,type,address,adminUnitCode,registeredOn,phone'
const GOOD = [
  '0101234567,HTX Gốm sứ Bát Tràng,cooperative,"Xóm 3, Bát Tràng",018,2019-05-20,0912 345 678',
  '0101234568,HTX Lụa Vạn Phúc,cooperative,Vạn Phúc,268,2019-05-20,'
]
const file = (...rows: string[]) => `${HEADER}\r\n${rows.join('\r\n')}\r\n`

t.test('POST /v1/imports', async (t) => {
  const { app, db } = await buildTestApp(t)
  const adminKey = await makeKey(db, 'admin')
  const admin = bearer(adminKey.token)
  const post = (query: string, payload: string | Buffer, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/v1/imports?${query}`, headers: { ...admin, 'content-type': 'text/csv', ...headers }, payload })

  t.test('a dry run reports every problem by row and column, in the caller\'s language, and saves nothing', async (t) => {
    const before = await dbFingerprint(db)
    const broken = file(
      GOOD[0]!,
      '0101234569,HTX Mây tre Phú Vinh,cooperative,Phú Vinh,999,2019-05-20,', // an unknown unit
      '0101234567,HTX trùng mã,cooperative,Bát Tràng,018,2019-05-20,', // the tax code of row 2
      '0101234570,,cooperative,Ba Vì,271,2019-05-20,', // no name
      '12345,HTX Chè Ba Vì,cooperative,Ba Vì,271,2019-05-20,', // a malformed tax code
      '0101234571,HTX Bánh chưng,company,Tranh Khúc,020,20/05/2019,' // an unknown type and a date in the wrong form
    )
    const res = await post('kind=producers&dryRun=true', broken)
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-language'], 'vi')
    t.same(res.json(), {
      kind: 'producers',
      dryRun: true,
      saved: false,
      rows: 6,
      created: 1,
      updated: 0,
      unchanged: 0,
      errors: [
        { row: 3, column: 'adminUnitCode', detail: 'không phải là đơn vị hành chính nào' },
        { row: 4, column: 'taxCode', detail: 'trùng với dòng 2' },
        { row: 5, column: 'name', detail: 'là bắt buộc' },
        { row: 6, column: 'taxCode', detail: 'phải gồm 10 chữ số, hoặc 10 chữ số và 3 chữ số mã chi nhánh (0101234567-001)' },
        { row: 7, column: 'type', detail: 'phải là một trong: cooperative, enterprise, household_business, cooperative_group' },
        { row: 7, column: 'registeredOn', detail: 'phải là một ngày dạng YYYY-MM-DD' }
      ]
    })
    const en = await post('kind=producers&dryRun=true', broken, { 'accept-language': 'en' })
    t.match(en.json().errors[0], { row: 3, column: 'adminUnitCode', detail: 'is not an admin unit' })
    t.same(await dbFingerprint(db), before, 'nothing saved')

    t.test('the same file for real: 422 with the report, and still nothing saved', async (t) => {
      const real = await post('kind=producers', broken)
      t.equal(real.statusCode, 422)
      t.match(real.headers['content-type'], /^application\/problem\+json/)
      t.match(real.json(), { type: '/problems/import-rejected', status: 422, detail: '5 dòng có lỗi; chưa lưu dòng nào', report: { saved: false, created: 1, errors: { length: 6 } } })
      t.same(await dbFingerprint(db), before, 'all or nothing: the good row is not saved either')
    })
  })

  t.test('a clean file is saved in one go and audited; the same file again changes nothing and says so', async (t) => {
    const first = await post('kind=producers', file(...GOOD))
    t.equal(first.statusCode, 200)
    t.same(first.json(), { kind: 'producers', dryRun: false, saved: true, rows: 2, created: 2, updated: 0, unchanged: 0, errors: [] })
    const [saved] = await db.query<{ phone: string, unit: string }>("SELECT phone, admin_unit_code AS unit FROM producers WHERE tax_code = '0101234567'")
    t.same(saved, { phone: '0912345678', unit: '018' }, 'stored as the API stores it')
    const audit = await db.query<{ entity: string, action: string, key: string }>("SELECT entity, action, key_id::text AS key FROM audit_log WHERE entity IN ('producer', 'import') ORDER BY id")
    t.same(audit.map((a) => `${a.entity} ${a.action}`), ['producer create', 'producer create', 'import import producers'])
    t.ok(audit.every((a) => a.key === adminKey.id), 'under the caller\'s key')

    const before = await dbFingerprint(db)
    const again = await post('kind=producers', file(...GOOD))
    t.same(again.json(), { kind: 'producers', dryRun: false, saved: true, rows: 2, created: 0, updated: 0, unchanged: 2, errors: [] })
    t.same(await dbFingerprint(db), before, 'nothing changed, not even the audit log')

    const exported = await app.inject({ method: 'GET', url: '/v1/producers', headers: { ...admin, accept: 'text/csv' } })
    const roundTrip = await post('kind=producers', exported.body)
    t.match(roundTrip.json(), { created: 0, updated: 0, unchanged: 2, errors: [] }, 'the CSV export imports back as it is')

    const moved = await post('kind=producers', file(GOOD[0]!.replace('0912 345 678', '0243 333 4444')))
    t.match(moved.json(), { created: 0, updated: 1, unchanged: 0 }, 'a changed field is an update')
    const [change] = await db.query<{ changes: Record<string, unknown> }>("SELECT changes FROM audit_log WHERE entity = 'producer' AND action = 'update' ORDER BY id DESC LIMIT 1")
    t.same(change!.changes, { phone: { old: '0912345678', new: '02433334444' } })
    const unit = await post('kind=producers&dryRun=true', file(GOOD[0]!.replace(',018,', ',004,')))
    t.match(unit.json().errors, [{ row: 2, column: 'adminUnitCode', detail: /018/ }], 'the registered unit does not change by import')
  })

  t.test('products name their producer by tax code, and are matched by code or by producer and name', async (t) => {
    const header = 'producerTaxCode,nameVi,group148,status,priceVnd\r\n'
    const res = await post('kind=products', `\uFEFF${header}0101234567,Bình gốm men lam,4.1,active,850000\r\n0101234567,Chén gốm,4.1,draft,\r\n`)
    t.same(res.json(), { kind: 'products', dryRun: false, saved: true, rows: 2, created: 2, updated: 0, unchanged: 0, errors: [] })
    const rows = await db.query<{ code: string, name: string, status: string, price: number | null }>("SELECT code, name_vi AS name, status, price_vnd AS price FROM products WHERE name_vi IN ('Bình gốm men lam', 'Chén gốm') ORDER BY name_vi")
    t.match(rows, [{ name: 'Bình gốm men lam', status: 'active', price: 850000 }, { name: 'Chén gốm', status: 'draft', price: null }])
    const again = await post('kind=products', `${header}0101234567,bình gốm men lam,4.1,active,900000\r\n`)
    t.match(again.json(), { created: 0, updated: 1 }, 'the same producer and name, in other case: the price is updated')
    const byCode = await post('kind=products', `code,nameVi,group148\r\n${rows[1]!.code},Chén gốm Bát Tràng,4.1\r\n`)
    t.match(byCode.json(), { created: 0, updated: 1 }, 'by code, the name can change')
    // A price as a spreadsheet in a Vietnamese locale writes it (";" between cells, "." between thousands):
    // until 2026-12-02, 850.000 was read as the decimal 850.000 and saved as 850 VND.
    const grouped = await post('kind=products', 'producerTaxCode;nameVi;group148;priceVnd\r\n0101234567;Bình hút lộc;4.1;850.000\r\n0101234567;Lọ hoa;4.1;1.250.000\r\n0101234567;Ấm trà;4.1;"1,250,000"\r\n')
    t.match(grouped.json(), { created: 3, errors: [] })
    t.same(await db.query("SELECT name_vi AS name, price_vnd AS price FROM products WHERE name_vi IN ('Bình hút lộc', 'Lọ hoa', 'Ấm trà') ORDER BY price_vnd, name_vi"),
      [{ name: 'Bình hút lộc', price: 850000 }, { name: 'Lọ hoa', price: 1250000 }, { name: 'Ấm trà', price: 1250000 }])
    const ambiguous = await post('kind=products&dryRun=true', `${header}0101234567,Đĩa,4.1,draft,850.5\r\n0101234567,Đĩa 2,4.1,draft,"85,00"\r\n0101234567,Đĩa 3,4.1,draft,1.250.00\r\n`)
    t.same(ambiguous.json().errors.map((e: { row: number, column: string }) => `${e.row} ${e.column}`), ['2 priceVnd', '3 priceVnd', '4 priceVnd'], 'a fraction, or groups not of three, is refused by name, not guessed')
    const refused = await post('kind=products&dryRun=true', `${header}0109999999,Bát,4.1,draft,\r\n0101234567,Đĩa,9.9,draft,abc\r\n`)
    t.same(refused.json().errors, [
      { row: 2, column: 'producerTaxCode', detail: 'không có chủ thể nào có mã số thuế 0109999999' },
      { row: 3, column: 'priceVnd', detail: 'phải là số nguyên' }
    ])
  })

  t.test('text the export escaped as a formula imports back as it was', async (t) => {
    // csv-stringify puts a quote before a cell starting with - = + @ so a spreadsheet shows it as text;
    // until 2026-12-02 the import kept the quote, so a round trip changed "- Men lam" to "'- Men lam".
    const producer = await makeProducer(db, { taxCode: '0101234599' })
    const created = await app.inject({ method: 'POST', url: '/v1/products', headers: admin, payload: { producerId: producer.id, nameVi: 'Bình men lam', group148: '4.1', description: '- Men lam, vẽ tay', nameEn: '@home vase' } })
    t.equal(created.statusCode, 201)
    const csv = await app.inject({ method: 'GET', url: `/v1/products?producer=${producer.id}`, headers: { ...admin, accept: 'text/csv' } })
    t.match(csv.body, /,'- Men lam, vẽ tay,|,"'- Men lam, vẽ tay",/, 'exported with the quote a spreadsheet needs')
    const back = await post('kind=products', csv.body)
    t.match(back.json(), { created: 0, updated: 0, unchanged: 1, errors: [] }, 'and imported back unchanged')
    t.same(await db.query('SELECT description, name_en FROM products WHERE id = $1', [created.json().id]), [{ description: '- Men lam, vẽ tay', name_en: '@home vase' }])
  })

  t.test('an operator imports in its own units only', async (t) => {
    const operator = bearer((await makeKey(db, 'operator', { adminUnits: ['271'] })).token)
    const mixed = file('0101234580,HTX Ba Vì,cooperative,Ba Vì,271,2019-05-20,', '0101234581,HTX Gia Lâm,cooperative,Gia Lâm,018,2019-05-20,')
    const res = await post('kind=producers', mixed, operator)
    t.equal(res.statusCode, 422)
    t.match(res.json().report.errors, [{ row: 3, column: null, detail: /không được ghi chủ thể ở đơn vị hành chính 018/ }])
    t.equal((await post('kind=producers', file('0101234580,HTX Ba Vì,cooperative,Ba Vì,271,2019-05-20,'), operator)).statusCode, 200)
    const partner = bearer((await makeKey(db, 'partner')).token)
    t.equal((await post('kind=producers&dryRun=true', mixed, partner)).statusCode, 403, 'a partner may not import')
  })

  t.test('files that cannot be read are refused whole, and change nothing', async (t) => {
    await makeProducer(db)
    const before = await dbFingerprint(db)
    const latin1 = await post('kind=producers', Buffer.from(file('0101234590,HTX Bát Tràng,cooperative,x,018,2019-05-20,'), 'latin1'))
    t.equal(latin1.statusCode, 415, 'not UTF-8')
    t.match(latin1.json().detail, /UTF-8/)
    const missing = await post('kind=producers', 'taxCode,name,type,address\r\n0101234591,x,cooperative,x\r\n')
    t.equal(missing.statusCode, 400)
    t.same(missing.json().errors, [{ in: 'body', pointer: '/adminUnitCode', detail: 'thiếu cột bắt buộc này' }])
    const unknown = await post('kind=products', 'producerTaxCode,nameVi,group148,colour\r\n0101234567,x,4.1,red\r\n')
    t.same(unknown.json().errors, [{ in: 'body', pointer: '/colour', detail: 'không phải là cột của loại bản ghi này' }])
    const quote = await post('kind=producers', `${HEADER}\r\n0101234592,"HTX chưa đóng ngoặc,cooperative,x,018,2019-05-20,\r\n`)
    t.equal(quote.statusCode, 400)
    t.match(quote.json().detail, /Tệp CSV không đọc được/)
    const empty = await post('kind=producers', `${HEADER}\r\n`)
    t.equal(empty.statusCode, 400)
    const semicolons = await post('kind=producers&dryRun=true', 'taxCode;name;type;address;adminUnitCode;registeredOn\r\n0101234593;HTX Sài Sơn;cooperative;Sài Sơn, Quốc Oai;275;2020-01-02\r\n')
    t.match(semicolons.json(), { created: 1, errors: [] }, 'a semicolon-separated file (a Vietnamese-locale spreadsheet) reads too')
    const big = await post('kind=producers', Buffer.alloc(50 * 1024 * 1024, 'a'))
    t.equal(big.statusCode, 413, 'a 50 MB file')
    t.match(big.headers['content-type'], /^application\/problem\+json/)
    const json = await app.inject({ method: 'POST', url: '/v1/imports?kind=producers', headers: admin, payload: { taxCode: '0101234594' } })
    t.equal(json.statusCode, 415, 'JSON is not a spreadsheet')
    const kind = await post('kind=recipes', file(GOOD[0]!))
    t.equal(kind.statusCode, 400)
    t.same(await dbFingerprint(db), before)
  })
})

t.test('an import logs its progress', async (t) => {
  const logs: Record<string, unknown>[] = []
  const { app, db } = await buildTestApp(t, { logs })
  const admin = bearer((await makeKey(db, 'admin')).token)
  const res = await app.inject({ method: 'POST', url: '/v1/imports?kind=producers&dryRun=true', headers: { ...admin, 'content-type': 'text/csv' }, payload: file(...GOOD) })
  t.equal(res.statusCode, 200)
  t.match(logs.find((l) => l.import === 'producers'), { done: 2, total: 2, msg: /^import producers: 2\/2 rows checked in \d+\.\d s$/ })
})

t.test('recognitions: imported history, in the product\'s timeline, marked as imported', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const post = (query: string, payload: string) => app.inject({ method: 'POST', url: `/v1/imports?${query}`, headers: { ...admin, 'content-type': 'text/csv' }, payload })
  t.equal((await post('kind=producers', file(GOOD[0]!))).statusCode, 200)
  t.equal((await post('kind=products', 'producerTaxCode,nameVi,group148,status\r\n0101234567,Bình gốm men lam,4.1,active\r\n')).statusCode, 200)
  const [{ id, code } = { id: '', code: '' }] = await db.query<{ id: string, code: string }>("SELECT id, code FROM products WHERE name_vi = 'Bình gốm men lam'")
  const header = 'productCode,decisionNumber,decisionDate,issuingLevel,star,certificateNumber,issuedOn\r\n'
  const history = `${header}${code},123/QĐ-UBND,2021-03-01,city,3,GCN-2021-0001,2021-03-05\r\n${code},456/QĐ-UBND,2024-03-11,city,4,GCN-2024-0099,2024-03-15\r\n`
  const dry = await post('kind=recognitions&dryRun=true', `${history}${code},789/QĐ-UBND,2024-05-01,city,3,GCN-2024-0100,2024-05-02\r\n`)
  t.same(dry.json().errors, [{ row: 4, column: 'issuingLevel', detail: 'theo QD148, ngày 2024-05-01 hội đồng cấp city chỉ công nhận 4 sao; kết quả 3 sao thuộc thẩm quyền hội đồng cấp district' }], 'the council\'s authority on the decision date')
  const res = await post('kind=recognitions', history)
  t.same(res.json(), { kind: 'recognitions', dryRun: false, saved: true, rows: 2, created: 2, updated: 0, unchanged: 0, errors: [] })
  const timeline = await app.inject({ method: 'GET', url: `/v1/products/${id}/recognitions` })
  t.match(timeline.json().items, [
    { certificateNumber: 'GCN-2021-0001', source: 'import', evaluationId: null, decisionNumber: '123/QĐ-UBND', issuedOn: '2021-03-05', expiresOn: '2024-03-05', status: 'expired' },
    { certificateNumber: 'GCN-2024-0099', source: 'import', evaluationId: null, star: 4, issuedOn: '2024-03-15', expiresOn: '2027-03-15', status: 'in-force' }
  ], '36 months by the Civil Code when expiresOn is not given')
  const product = await app.inject({ method: 'GET', url: `/v1/products/${id}` })
  t.match(product.json().rating, { star: 4, certificateNumber: 'GCN-2024-0099' }, 'the product is rated by it, as by a decision')
  const [audit] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity = 'recognition' AND action = 'import'")
  t.equal(audit!.n, 2)

  const before = await dbFingerprint(db)
  t.match((await post('kind=recognitions', history)).json(), { created: 0, updated: 0, unchanged: 2, errors: [] }, 'the same file again')
  const exported = await app.inject({ method: 'GET', url: `/v1/products/${id}/recognitions`, headers: { accept: 'text/csv' } })
  t.match((await post('kind=recognitions', exported.body)).json(), { created: 0, unchanged: 2, errors: [] }, 'the CSV export imports back as it is')
  t.same(await dbFingerprint(db), before)
  const changed = await post('kind=recognitions&dryRun=true', history.replace(',city,4,GCN-2024-0099', ',city,5,GCN-2024-0099'))
  t.match(changed.json().errors, [{ row: 3, column: 'star', detail: /không đổi được khi nhập/ }], 'an imported certificate does not change by import')
})
