import { bodyField, unprocessable } from '../../lib/problem.ts'
import { HANOI } from '../reference/units.ts'

// Rules on recognitions Hanoi records rather than decides (imported history, other provinces'), and on
// which products Hanoi's councils evaluate at all.

/** The dates every recorded (not decided here) recognition must have: decided by today, issued on or after its decision, expiring after its issue. */
export function checkRecordedDates (row: { decisionDate: string, issuedOn: string, expiresOn?: string }, today: string): void {
  if (row.decisionDate > today) throw unprocessable({ vi: 'quyết định không được ghi ngày trong tương lai', en: 'a decision is never dated in the future' }, [bodyField('decisionDate', { vi: `sau ngày hôm nay (${today})`, en: `is after today (${today})` })])
  if (row.issuedOn < row.decisionDate) throw unprocessable({ vi: 'giấy chứng nhận được cấp từ ngày quyết định', en: 'a certificate is issued on or after its decision' }, [bodyField('issuedOn', { vi: `trước ngày quyết định ${row.decisionDate}`, en: `is before the decision date ${row.decisionDate}` })])
  if (row.expiresOn !== undefined && row.expiresOn <= row.issuedOn) throw unprocessable({ vi: 'giấy chứng nhận hết hạn sau ngày cấp', en: 'a certificate expires after it is issued' }, [bodyField('expiresOn', { vi: `không sau ngày cấp ${row.issuedOn}`, en: `is not after the issue date ${row.issuedOn}` })])
}

/** Refuses (422) a product Hanoi does not evaluate: one of a producer of another province. */
export function requireHanoiProduct (provinceCode: string, productId: string, field = 'productId'): void {
  if (provinceCode !== HANOI) {
    throw unprocessable({
      vi: `sản phẩm ${productId} của chủ thể tỉnh ${provinceCode}: sản phẩm của tỉnh khác do hội đồng tỉnh đó công nhận (ghi nhận bằng POST /v1/products/{id}/external-recognitions), hội đồng của Hà Nội không đánh giá`,
      en: `product ${productId} is of a producer of province ${provinceCode}: products of other provinces are recognised by their own councils (recorded with POST /v1/products/{id}/external-recognitions), never evaluated by Hanoi's`
    }, [bodyField(field, { vi: 'là sản phẩm của tỉnh khác', en: 'is a product of another province' })])
  }
}
