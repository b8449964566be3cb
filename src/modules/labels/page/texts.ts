import type { Lang } from '../../../lib/i18n.ts'
import { COPY_WARNING_AFTER } from '../rules.ts'

/** Every word of the label page, in Vietnamese and English. Values from the database are never part of these strings. */
export const TEXTS = {
  vi: {
    city: 'Thành phố Hà Nội',
    programme: 'Chương trình Mỗi xã một sản phẩm (OCOP)',
    mark: 'Sản phẩm OCOP Việt Nam',
    stars: (n: number) => `${n} sao`,
    other: 'English',
    verdicts: {
      valid: 'Tem OCOP chính hãng, còn hiệu lực',
      lapsed: 'Tem chính hãng, nhưng sản phẩm hiện không được mang dấu OCOP',
      voided: 'Tem đã bị huỷ: không được sử dụng',
      counterfeit: 'Không phải tem của Chương trình OCOP Hà Nội',
      unavailable: 'Chưa kiểm tra được tem lúc này'
    },
    validThrough: (d: string) => `Giấy chứng nhận còn hiệu lực đến hết ngày ${d}.`,
    printedUnderEarlier: 'Tem được in theo giấy chứng nhận trước đó của cùng sản phẩm; sản phẩm đã được công nhận lại.',
    expired: (d: string) => `Giấy chứng nhận OCOP đã hết hiệu lực từ ngày ${d}.`,
    revoked: (d: string) => `Giấy chứng nhận OCOP đã bị thu hồi từ ngày ${d}.`,
    notYetValid: 'Giấy chứng nhận của sản phẩm chưa có hiệu lực.',
    archived: 'Sản phẩm đã ngừng tham gia Chương trình OCOP.',
    voided: 'Tem thuộc một lô đã bị huỷ (bị mất, thất lạc hoặc in lỗi). Sản phẩm mang tem này có thể không phải hàng chính hãng.',
    counterfeit: 'Mã trên tem không khớp với tem nào do chương trình phát hành. Sản phẩm có thể là hàng giả: đừng mua, và báo cho người bán hoặc cơ quan quản lý thị trường.',
    unavailable: 'Hệ thống đang bận hoặc tạm gián đoạn. Hãy quét lại mã sau ít phút.',
    tooMany: 'Có quá nhiều lượt kiểm tra từ mạng của bạn. Hãy thử lại sau ít phút.',
    badAddress: 'Địa chỉ này có tham số không hợp lệ. Hãy quét lại mã QR trên tem.',
    product: 'Sản phẩm',
    facts: {
      code: 'Mã sản phẩm',
      producer: 'Chủ thể sản xuất',
      place: 'Địa bàn',
      star: 'Hạng sao',
      certificate: 'Số giấy chứng nhận',
      issuedOn: 'Ngày cấp',
      validThrough: 'Hiệu lực đến hết ngày',
      lapsedOn: 'Không còn hiệu lực từ ngày',
      serial: 'Số tem'
    },
    count: 'Lượt kiểm tra',
    counted: (n: number, first: string) => n === 1 ? 'Đây là lần đầu tiên tem này được kiểm tra.' : `Tem này đã được kiểm tra ${n} lần, lần đầu ngày ${first}.`,
    warning: 'Cảnh báo',
    copyWarning: `Tem này đã được kiểm tra hơn ${COPY_WARNING_AFTER} lần. Một tem chỉ dán trên một sản phẩm, nên mã này có thể đã bị sao chép sang sản phẩm khác. Hãy kiểm tra kỹ sản phẩm và nơi bán.`,
    checkedOn: (d: string) => `Kiểm tra ngày ${d} (giờ Hà Nội).`,
    privacy: 'Trang này không dùng cookie và không theo dõi người dùng.',
    imageAlt: (name: string) => `Ảnh sản phẩm ${name}`,
    title: (verdict: string) => `${verdict} · OCOP Hà Nội`
  },
  en: {
    city: 'Hanoi City',
    programme: 'One Commune One Product (OCOP) programme',
    mark: 'Vietnam OCOP product',
    stars: (n: number) => `${n} stars`,
    other: 'Tiếng Việt',
    verdicts: {
      valid: 'Genuine OCOP label, valid',
      lapsed: 'Genuine label, but the product may not carry the OCOP mark now',
      voided: 'Voided label: must not be used',
      counterfeit: 'Not a label of the Hanoi OCOP programme',
      unavailable: 'The label cannot be checked right now'
    },
    validThrough: (d: string) => `The certificate is valid through ${d}.`,
    printedUnderEarlier: 'The label was printed under an earlier certificate of the same product; the product has been recognised again.',
    expired: (d: string) => `The OCOP certificate expired; it is no longer valid since ${d}.`,
    revoked: (d: string) => `The OCOP certificate was revoked from ${d}.`,
    notYetValid: 'The product\'s certificate is not in force yet.',
    archived: 'The product has left the OCOP programme.',
    voided: 'This label belongs to a voided batch (lost, stolen or misprinted). A product carrying it may not be genuine.',
    counterfeit: 'The code on this label matches no label the programme issued. The product may be counterfeit: do not buy it, and tell the seller or the market inspectors.',
    unavailable: 'The service is busy or briefly unavailable. Scan the code again in a few minutes.',
    tooMany: 'Too many checks from your network. Try again in a few minutes.',
    badAddress: 'This address has a parameter the service does not understand. Scan the QR code on the label again.',
    product: 'Product',
    facts: {
      code: 'Product code',
      producer: 'Producer',
      place: 'Administrative unit',
      star: 'Star rating',
      certificate: 'Certificate number',
      issuedOn: 'Issued on',
      validThrough: 'Valid through',
      lapsedOn: 'Not valid since',
      serial: 'Label serial'
    },
    count: 'Verifications',
    counted: (n: number, first: string) => n === 1 ? 'This is the first time this label has been checked.' : `This label has been checked ${n} times, first on ${first}.`,
    warning: 'Warning',
    copyWarning: `This label has been checked more than ${COPY_WARNING_AFTER} times. A label goes on one item, so its code may have been copied onto other products. Look closely at the product and where it is sold.`,
    checkedOn: (d: string) => `Checked on ${d} (Hanoi time).`,
    privacy: 'This page sets no cookies and does not track you.',
    imageAlt: (name: string) => `Photo of ${name}`,
    title: (verdict: string) => `${verdict} · OCOP Hanoi`
  }
} as const satisfies Record<Lang, unknown>

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** A civil date (YYYY-MM-DD) as people write it: 23/11/2027 in Vietnamese, 23 November 2027 in English. */
export function civilDate (date: string, lang: Lang): string {
  const [y, m, d] = date.split('-')
  return lang === 'vi' ? `${d}/${m}/${y}` : `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`
}
