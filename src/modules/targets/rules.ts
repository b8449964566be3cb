// The measures a target can be set on (README, "Targets"). Each one's count is defined once, in
// statistics/measures.ts.

export const MEASURES = ['products-in-force', 'products-newly-recognised', 'evaluations-decided', 'mous-signed', 'venues-open'] as const
export type Measure = typeof MEASURES[number]

/** Stocks are counted on one day (the period's end, or the day asked if earlier); flows over the period up to it. */
export const MEASURE_KINDS = {
  /** Measures of products at a star level: `minStar` required. */
  products: ['products-in-force', 'products-newly-recognised'] as Measure[],
  /** Counted on a day rather than over the period. */
  stocks: ['products-in-force', 'venues-open'] as Measure[]
}

export const MEASURE_TEXT: Record<Measure, { vi: string, en: string }> = {
  'products-in-force': { vi: 'sản phẩm có giấy chứng nhận OCOP từ N sao còn hiệu lực vào cuối kỳ', en: 'products holding a recognition of at least N stars in force at the end of the period' },
  'products-newly-recognised': { vi: 'sản phẩm được công nhận OCOP lần đầu từ N sao trong kỳ', en: 'products recognised for the first time, at N stars or more, within the period' },
  'evaluations-decided': { vi: 'hồ sơ đánh giá, phân hạng được quyết định trong kỳ', en: 'evaluations decided within the period' },
  'mous-signed': { vi: 'biên bản ghi nhớ (MOU) được ký trong kỳ', en: 'MOUs signed within the period' },
  'venues-open': { vi: 'điểm giới thiệu và bán sản phẩm OCOP đang mở vào cuối kỳ', en: 'OCOP venues open at the end of the period' }
}
