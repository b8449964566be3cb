import type { App } from '../../src/app.ts'
import type { fixedClock } from '../../src/lib/clock.ts'
import { insertRecognition, makeProducer, makeProduct } from './factories.ts'
import type { TestDb } from './db.ts'
import { bearer, makeKey } from './keys.ts'

/** Labels are ordered on this day (a Monday morning in Hanoi) and checked on CHECKED. */
export const ORDERED = '2026-11-23T03:00:00Z'
export const CHECKED = '2027-02-01T03:00:00Z'
export const IMAGE_ORIGIN = 'https://images.ocop.test'
export const HOSTILE_NAME = '<script>alert("x")</script> "Gốm" \'men\' \u202Eeht ton\u202C & <b>'

/**
 * A label of every kind a consumer can meet on CHECKED: valid (with an image), expired, revoked, voided,
 * one whose product has a hostile name, and a counterfeit (a real serial with a wrong check code).
 * Products, certificates and batches go through the service as staff would make them.
 */
export async function labelsOfEveryKind (app: App, db: TestDb, clock: ReturnType<typeof fixedClock>) {
  clock.set(ORDERED)
  const admin = bearer((await makeKey(db, 'admin')).token)
  const producer = await makeProducer(db, { name: 'HTX Gốm sứ Bát Tràng' })
  const labelOf = async (nameVi: string, certificate: { star: number, issuedOn: string, expiresOn: string, revokedOn?: string, certificateNumber: string }, extra: Record<string, unknown> = {}) => {
    const product = await makeProduct(db, { producerId: producer.id, nameVi, status: 'active', ...extra })
    await insertRecognition(db, product.id, certificate)
    const batch = await app.inject({ method: 'POST', url: `/v1/products/${product.id}/label-batches`, headers: admin, payload: { quantity: 2 } })
    if (batch.statusCode !== 201) throw new Error(`ordering labels: ${batch.body}`)
    const file = await app.inject({ method: 'GET', url: `/v1/label-batches/${batch.json().id}/labels`, headers: admin })
    return { productId: product.id, batchId: batch.json().id as string, token: file.body.trim().split('\n')[1]!.split(',')[1]! }
  }
  const valid = await labelOf('Bình gốm men lam Bát Tràng', { star: 4, issuedOn: '2025-03-10', expiresOn: '2029-03-10', certificateNumber: 'HN-OCOP-2025-0142' },
    { nameEn: 'Bat Trang blue-glaze vase', imageUrls: [`${IMAGE_ORIGIN}/binh-gom.png`] })
  const expired = await labelOf('Lụa tơ tằm Vạn Phúc', { star: 3, issuedOn: '2024-01-10', expiresOn: '2027-01-10', certificateNumber: 'HN-OCOP-2024-0318' }, { nameEn: 'Van Phuc silk' })
  const revoked = await labelOf('Chè búp Ba Vì', { star: 3, issuedOn: '2025-06-01', expiresOn: '2028-06-01', revokedOn: '2027-01-15', certificateNumber: 'HN-OCOP-2025-0207' }, { nameEn: 'Ba Vi tea buds' })
  const voided = await labelOf('Mây tre đan Phú Vinh', { star: 4, issuedOn: '2025-05-05', expiresOn: '2028-05-05', certificateNumber: 'HN-OCOP-2025-0163' }, { nameEn: 'Phu Vinh rattan and bamboo' })
  const hostile = await labelOf(HOSTILE_NAME, { star: 5, issuedOn: '2025-05-05', expiresOn: '2028-05-05', certificateNumber: 'HN-OCOP-2025-0170' }, { imageUrls: ['https://elsewhere.example/x.png'] })
  const voiding = await app.inject({ method: 'POST', url: `/v1/label-batches/${voided.batchId}/void`, headers: admin, payload: { reason: 'Lô tem bị mất khi vận chuyển' } })
  if (voiding.statusCode !== 200) throw new Error(`voiding: ${voiding.body}`)
  const code = valid.token.slice(12)
  const counterfeit = `${valid.token.slice(0, 12)}${code[0] === 'A' ? 'B' : 'A'}${code.slice(1)}`
  clock.set(CHECKED)
  return { admin, valid, expired, revoked, voided, hostile, counterfeit }
}

/** What a phone's browser sends. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'
