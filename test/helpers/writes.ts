import type { Role } from '../../src/lib/permissions.ts'
import type { DbHandle } from '../../src/db/client.ts'
import { FULL_MARKS, makeEvaluation, makeProduct, makeProducer, makeRecognition, makeVenue, makeVillage } from './factories.ts'
import { makeKey } from './keys.ts'

// Every write route, who may call it, and a valid request for it (its fixture made fresh for each call).
// A write route missing here fails the test. Fixtures live in Gia Lâm (018); `operator-elsewhere` is an
// operator limited to Ứng Hòa (281): it may not write there (403), and another unit's draft is a 404.
export type Caller = Role | 'anonymous' | 'revoked' | 'expired' | 'malformed' | 'operator-elsewhere'
export interface Case { allowed: Caller[], request: (db: DbHandle) => Promise<{ url: string, payload?: Record<string, unknown> | string, headers?: Record<string, string> }>, success: number, elsewhere?: number }
const key = async (db: DbHandle) => (await makeKey(db, 'partner', { name: 'matrix target' })).id
const CATALOGUE: Caller[] = ['operator', 'admin']
// Distribution partners belong to no administrative unit: any operator may record them.
const ANY_OPERATOR: Caller[] = ['operator', 'operator-elsewhere', 'admin']
// Webhook endpoints belong to the matrix's partner key: that partner, operators and admins may change them.
const SYNC: Caller[] = ['partner', 'operator', 'operator-elsewhere', 'admin']
async function webhook (db: DbHandle, status = 'enabled') {
  const [owner] = await db.query<{ id: string }>("SELECT id FROM api_keys WHERE name = 'partner key' ORDER BY created_at LIMIT 1")
  const [row] = await db.query<{ id: string }>("INSERT INTO webhook_endpoints (owner_key_id, url, event_types, secret, status) VALUES ($1, 'https://93.184.216.34/hooks', '{listing.removed}', 'whsec_matrix', $2) RETURNING id", [owner!.id, status])
  return row!.id
}
/** `<webhook id>/deliveries/<delivery id>` of a delivered event. */
async function delivery (db: DbHandle) {
  const id = await webhook(db)
  const [event] = await db.query<{ id: string }>("INSERT INTO webhook_events (id, type, payload) VALUES (gen_random_uuid(), 'listing.removed', '{}') RETURNING id")
  const [row] = await db.query<{ id: string }>("INSERT INTO webhook_deliveries (event_id, endpoint_id, status) VALUES ($1, $2, 'succeeded') RETURNING id", [event!.id, id])
  return `${id}/deliveries/${row!.id}`
}
export const WRITES: Record<string, Case> = {
  'POST /v1/targets': { allowed: ['admin'], success: 201, request: async () => ({ url: '/v1/targets', payload: TARGET }) },
  'PATCH /v1/targets/:id': { allowed: ['admin'], success: 200, request: async (db) => ({ url: `/v1/targets/${(await db.query<{ id: string }>('INSERT INTO targets (name_vi, name_en, source, period_from, period_to, measure, number) VALUES ($1, $1, $1, $2, $3, $4, 10) RETURNING id', ['Ma trận', '2027-01-01', '2027-12-31', 'mous-signed']))[0]!.id}`, payload: { number: 20 } }) },
  'POST /v1/admin-units': { allowed: ['admin'], success: 201, request: async () => ({ url: '/v1/admin-units', payload: { code: String(20000 + Math.floor(Math.random() * 79999)), name: 'Xã ma trận', nameEn: 'Matrix Commune', kind: 'commune', level: 'commune', validFrom: '2025-07-01' } }) },
  'POST /v1/listings/reconcile': { allowed: ['admin'], success: 200, request: async () => ({ url: '/v1/listings/reconcile' }) },
  'POST /v1/api-keys': { allowed: ['admin'], success: 201, request: async () => ({ url: '/v1/api-keys', payload: { name: 'matrix', role: 'partner' } }) },
  'PATCH /v1/api-keys/:id': { allowed: ['admin'], success: 200, request: async (db) => ({ url: `/v1/api-keys/${await key(db)}`, payload: { name: 'renamed by the matrix' } }) },
  'POST /v1/api-keys/:id/revoke': { allowed: ['admin'], success: 200, request: async (db) => ({ url: `/v1/api-keys/${await key(db)}/revoke` }) },
  'POST /v1/api-keys/:id/rotate': { allowed: ['admin'], success: 201, request: async (db) => ({ url: `/v1/api-keys/${await key(db)}/rotate` }) },
  'POST /v1/craft-villages': { allowed: CATALOGUE, success: 201, request: async () => ({ url: '/v1/craft-villages', payload: { name: `Làng ${Math.random()}`, adminUnitCode: '018', trade: 'Gốm' } }) },
  'PATCH /v1/craft-villages/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/craft-villages/${(await makeVillage(db)).id}`, payload: { recognised: true } }) },
  'POST /v1/producers': { allowed: CATALOGUE, success: 201, request: async () => ({ url: '/v1/producers', payload: { name: 'HTX ma trận', type: 'cooperative', address: 'Gia Lâm', adminUnitCode: '018', registeredOn: '2024-05-01' } }) },
  'PATCH /v1/producers/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/producers/${(await makeProducer(db)).id}`, payload: { representative: 'Trần Thị Bình' } }) },
  // A producer of Gia Lâm (018): an operator of another unit gets the report of its row (422), not a 403.
  'POST /v1/imports': {
    allowed: CATALOGUE,
    success: 200,
    elsewhere: 422,
    request: async () => ({
      url: '/v1/imports?kind=producers',
      headers: { 'content-type': 'text/csv' },
      payload: `taxCode,name,type,address,adminUnitCode,registeredOn\r\n01${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')},HTX ma trận,cooperative,Gia Lâm,018,2024-05-01\r\n`
    })
  },
  'DELETE /v1/producers/:id': { allowed: CATALOGUE, success: 204, request: async (db) => ({ url: `/v1/producers/${(await makeProducer(db)).id}` }) },
  'POST /v1/products': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: '/v1/products', payload: { producerId: (await makeProducer(db)).id, nameVi: 'Chén gốm', group148: '4.1' } }) },
  'PATCH /v1/products/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db, { status: 'active' })).id}`, payload: { priceVnd: 120000 } }) },
  'POST /v1/products/:id/archive': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db, { status: 'active' })).id}/archive` }) },
  'POST /v1/criteria-sets': { allowed: ['admin'], success: 201, request: async () => ({ url: '/v1/criteria-sets', payload: criteriaSet(`M-${Math.floor(Math.random() * 1e9)}`) }) },
  'POST /v1/evaluations': { allowed: ['operator', 'council', 'admin'], success: 201, request: async (db) => ({ url: '/v1/evaluations', payload: { productId: (await makeProduct(db, { status: 'active' })).id, criteriaSet: 'QD148-2023', councilLevel: 'city', round: { year: 2026, batch: 1 } } }) },
  'POST /v1/evaluations/:id/submit': { allowed: ['operator', 'council', 'admin'], success: 200, elsewhere: 404, request: async (db) => ({ url: `/v1/evaluations/${(await makeEvaluation(db)).id}/submit` }) },
  'POST /v1/evaluations/:id/score-sheets': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/evaluations/${(await makeEvaluation(db, { submit: true })).id}/score-sheets`, payload: { memberName: `Thành viên ${Math.random()}`, points: FULL_MARKS } }) },
  'POST /v1/evaluations/:id/decide': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/evaluations/${(await makeEvaluation(db, { submit: true, sheet: FULL_MARKS })).id}/decide`, payload: { decisionNumber: 'QĐ-1', decisionDate: '2026-11-20', certificateNumber: `HN-${Math.random()}` } }) },
  // A product of a Lào Cai producer: it has no Hanoi unit, so an operator limited to units may not record it.
  'POST /v1/products/:id/external-recognitions': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db, { status: 'active', producerId: (await makeProducer(db, { adminUnitCode: undefined, provinceCode: '15', registeredOn: '2025-09-01', taxCode: String(5300000000 + Math.floor(Math.random() * 999999)) })).id })).id}/external-recognitions`, payload: { issuingBody: 'UBND tỉnh Lào Cai', decisionNumber: 'QĐ-LC', decisionDate: '2025-09-15', star: 4, certificateNumber: `LC-${Math.random()}`, issuedOn: '2025-09-15', expiresOn: '2028-09-15' } }) },
  'POST /v1/recognitions/:id/revoke': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/recognitions/${await makeRecognition(db)}/revoke`, payload: { decisionReference: 'QĐ-thu-hồi', revokedOn: '2026-12-01', reason: 'test' } }) },
  'POST /v1/recognitions/:id/notice': { allowed: ['council', 'admin'], success: 200, request: async (db) => ({ url: `/v1/recognitions/${await makeRecognition(db)}/notice`, payload: { sentOn: '2026-11-20' } }) },
  'POST /v1/venues': { allowed: CATALOGUE, success: 201, request: async () => ({ url: '/v1/venues', payload: { name: 'Điểm bán ma trận', type: 'point_of_sale', locationKind: 'market', address: 'Gia Lâm', adminUnitCode: '018', latitude: 21.0, longitude: 105.9, status: 'open', openedOn: '2024-05-01' } }) },
  'PATCH /v1/venues/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/venues/${(await makeVenue(db)).id}`, payload: { operatorName: 'Ban quản lý' } }) },
  'POST /v1/venues/:id/close': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/venues/${(await makeVenue(db)).id}/close`, payload: { closedOn: '2026-11-23' } }) },
  'POST /v1/venues/:id/products': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: `/v1/venues/${(await makeVenue(db)).id}/products`, payload: { productIds: [await recognisedProduct(db)] } }) },
  'POST /v1/venues/:id/products/:productId/withdraw': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/venues/${await carryingVenue(db)}/withdraw`, payload: {} }) },
  'POST /v1/webhooks': { allowed: SYNC, success: 201, request: async () => ({ url: '/v1/webhooks', payload: { url: 'https://93.184.216.34/hooks', eventTypes: ['listing.removed'] } }) },
  'PATCH /v1/webhooks/:id': { allowed: SYNC, success: 200, request: async (db) => ({ url: `/v1/webhooks/${await webhook(db)}`, payload: { description: 'Đổi mô tả' } }) },
  'POST /v1/webhooks/:id/enable': { allowed: SYNC, success: 200, request: async (db) => ({ url: `/v1/webhooks/${await webhook(db, 'disabled')}/enable` }) },
  'POST /v1/webhooks/:id/disable': { allowed: SYNC, success: 200, request: async (db) => ({ url: `/v1/webhooks/${await webhook(db)}/disable` }) },
  'POST /v1/webhooks/:id/ping': { allowed: SYNC, success: 202, request: async (db) => ({ url: `/v1/webhooks/${await webhook(db)}/ping` }) },
  'POST /v1/webhooks/:id/rotate-secret': { allowed: SYNC, success: 200, request: async (db) => ({ url: `/v1/webhooks/${await webhook(db)}/rotate-secret` }) },
  'POST /v1/webhooks/:id/deliveries/:deliveryId/redeliver': { allowed: SYNC, success: 202, request: async (db) => ({ url: `/v1/webhooks/${await delivery(db)}/redeliver` }) },
  'POST /v1/distribution-partners': { allowed: ANY_OPERATOR, success: 201, request: async () => ({ url: '/v1/distribution-partners', payload: { name: 'Đối tác ma trận', kind: 'distributor' } }) },
  'PATCH /v1/distribution-partners/:id': { allowed: ANY_OPERATOR, success: 200, request: async (db) => ({ url: `/v1/distribution-partners/${await partner(db)}`, payload: { contactName: 'Phòng thu mua' } }) },
  'POST /v1/fairs': { allowed: CATALOGUE, success: 201, request: async () => ({ url: '/v1/fairs', payload: FAIR }) },
  'PATCH /v1/fairs/:id': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/fairs/${await fair(db)}`, payload: { status: 'open' } }) },
  'POST /v1/fairs/:id/booths': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: `/v1/fairs/${await fair(db)}/booths`, payload: { number: 'A1', producerId: (await makeProducer(db)).id } }) },
  'POST /v1/mous': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: '/v1/mous', payload: await mou(db) }) },
  'POST /v1/mous/:id/status': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/mous/${await mouId(db)}/status`, payload: { status: 'in_effect', on: '2024-06-01' } }) },
  'POST /v1/products/:id/label-batches': { allowed: CATALOGUE, success: 201, request: async (db) => ({ url: `/v1/products/${await recognisedProduct(db)}/label-batches`, payload: { quantity: 100, fundedByCity: true } }) },
  'POST /v1/label-batches/:id/void': { allowed: CATALOGUE, success: 200, request: async (db) => ({ url: `/v1/label-batches/${await labelBatch(db)}/void`, payload: { reason: 'Mất khi vận chuyển' } }) },
  'DELETE /v1/products/:id': { allowed: CATALOGUE, success: 204, elsewhere: 404, request: async (db) => ({ url: `/v1/products/${(await makeProduct(db)).id}` }) }
}
async function recognisedProduct (db: DbHandle) {
  const [row] = await db.query<{ id: string }>('SELECT product_id AS id FROM recognitions WHERE id = $1', [await makeRecognition(db)])
  return row!.id
}
async function labelBatch (db: DbHandle) {
  const [row] = await db.query<{ id: string }>(`INSERT INTO label_batches (product_id, recognition_id, first_serial, last_serial, quantity, ordered_on, secret)
    SELECT product_id, id, 900000000 + n, 900000000 + n, 1, '2026-11-23', 'matrix' FROM recognitions, (SELECT floor(random() * 99999999)::int AS n) r WHERE id = $1 RETURNING id`, [await makeRecognition(db)])
  return row!.id
}
/** `<venue id>/products/<product id>` of a venue that carries a product. */
async function carryingVenue (db: DbHandle) {
  const productId = await recognisedProduct(db)
  const venue = await makeVenue(db)
  await db.query("INSERT INTO venue_products (venue_id, product_id, since) VALUES ($1, $2, '2026-11-01')", [venue.id, productId])
  return `${venue.id}/products/${productId}`
}
const TARGET = { nameVi: 'Chỉ tiêu ma trận', nameEn: 'Matrix target', source: 'test', from: '2027-01-01', to: '2027-12-31', measure: 'mous-signed', number: 10 }
const FAIR = { name: 'Hội chợ ma trận', kind: 'ocop_fair', organiser: 'Sở Công Thương', address: 'Gia Lâm', adminUnitCode: '018', startsOn: '2024-05-01', endsOn: '2024-05-03' }
const partner = async (db: DbHandle) => (await db.query<{ id: string }>("INSERT INTO distribution_partners (name, kind) VALUES ('Đối tác', 'distributor') RETURNING id"))[0]!.id
const fair = async (db: DbHandle) => (await db.query<{ id: string }>("INSERT INTO fairs (name, kind, organiser, address, admin_unit_list, admin_unit_code, starts_on, ends_on) VALUES ('Hội chợ', 'ocop_fair', 'Sở', 'Gia Lâm', 'QD124-2004', '018', '2024-05-01', '2024-05-03') RETURNING id"))[0]!.id
async function mou (db: DbHandle) {
  const product = await makeProduct(db, { status: 'active' })
  return { producerId: product.producerId, partnerId: await partner(db), signedOn: '2024-05-02', termStart: '2024-06-01', termEnd: '2025-06-01', valueVnd: 1000000, market: 'domestic', productIds: [product.id] }
}
async function mouId (db: DbHandle) {
  const m = await mou(db)
  const [row] = await db.query<{ id: string }>('INSERT INTO mous (producer_id, partner_id, signed_on, term_start, term_end, value_vnd, market) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id', [m.producerId, m.partnerId, m.signedOn, m.termStart, m.termEnd, m.valueVnd, m.market])
  return row!.id
}
function criteriaSet (key: string) {
  const criterion = (code: string, maxPoints: number) => ({ code, titleVi: code, titleEn: code, maxPoints, minimumPoints: { 3: null, 4: null, 5: null } })
  return {
    key,
    titleVi: 'Thẻ điểm',
    titleEn: 'Score card',
    decision: 'test',
    appliesFrom: '2026-01-01',
    taxonomy: 'QD148-2023',
    parts: [
      { part: 'A', titleVi: 'A', titleEn: 'A', maxPoints: 40, criteria: [criterion('A1', 40)] },
      { part: 'B', titleVi: 'B', titleEn: 'B', maxPoints: 25, criteria: [criterion('B1', 25)] },
      { part: 'C', titleVi: 'C', titleEn: 'C', maxPoints: 35, criteria: [criterion('C1', 20), criterion('C2', 15)] }
    ]
  }
}
