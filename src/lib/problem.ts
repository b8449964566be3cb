import { Type, type Static } from 'typebox'
import { joinText, type Lang, type Text } from './i18n.ts'

// RFC 9457 problem details. `type` is a relative URI reference; README.md lists every type.
export const FieldError = Type.Object({
  in: Type.Enum(['body', 'query', 'path', 'header'], { type: 'string', description: 'Which part of the request holds the field' }),
  pointer: Type.String({ maxLength: 500, description: 'JSON pointer (RFC 6901) to the field inside that part', examples: ['/taxCode'] }),
  detail: Type.String({ maxLength: 500, description: 'What is wrong with the field, in the language of `Accept-Language`', examples: ['phải có ít nhất 10 ký tự'] })
}, { $id: 'FieldError', additionalProperties: false })

export const Problem = Type.Object({
  type: Type.String({ maxLength: 200, examples: ['/problems/validation-error'] }),
  title: Type.String({ maxLength: 200, description: 'The problem type\'s title, in the language of `Accept-Language` (Vietnamese by default)', examples: ['Yêu cầu không hợp lệ'] }),
  status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
  detail: Type.String({ maxLength: 2000, description: 'This occurrence, in the language of `Accept-Language`', examples: ['body/name không được để trống'] }),
  instance: Type.Optional(Type.String({ maxLength: 2000, examples: ['/v1/admin-units/999'] })),
  requestId: Type.Optional(Type.String({ maxLength: 100, examples: ['b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a'] })),
  errors: Type.Optional(Type.Array(Type.Ref('FieldError'), { maxItems: 100 }))
}, {
  $id: 'Problem',
  description: 'An error answer, as RFC 9457 problem details (`application/problem+json`). `title`, `detail` and the field messages are in Vietnamese, or in English on `Accept-Language: en`; `type` never changes.',
  additionalProperties: true,
  examples: [{ type: '/problems/not-found', title: 'Không tìm thấy', status: 404, detail: 'Không có đơn vị hành chính 999', instance: '/v1/admin-units/999', requestId: 'b5b0c6d2-5a83-4c8f-9d21-7f0f6c9b1e4a' }]
})
export type ProblemBody = Static<typeof Problem>
export type FieldErrorBody = Static<typeof FieldError>

/** A field error before it is written in the caller's language. */
export interface FieldIssue { in: FieldErrorBody['in'], pointer: string, detail: Text }

/** Problem types: each slug's title, in every language. README.md lists what each one means. */
export const TITLES = {
  'validation-error': { vi: 'Yêu cầu không hợp lệ', en: 'Your request is not valid' },
  'bad-request': { vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
  unauthorized: { vi: 'Chưa xác thực', en: 'Unauthorized' },
  forbidden: { vi: 'Không có quyền', en: 'Forbidden' },
  'not-found': { vi: 'Không tìm thấy', en: 'Not found' },
  'method-not-allowed': { vi: 'Phương thức không được hỗ trợ', en: 'Method not allowed' },
  'not-acceptable': { vi: 'Không có định dạng phù hợp', en: 'Not acceptable' },
  conflict: { vi: 'Xung đột với trạng thái hiện tại', en: 'Conflict with the current state' },
  'precondition-failed': { vi: 'Điều kiện không còn đúng', en: 'Precondition failed' },
  'payload-too-large': { vi: 'Nội dung quá lớn', en: 'Payload too large' },
  'uri-too-long': { vi: 'Địa chỉ quá dài', en: 'URI too long' },
  'unsupported-media-type': { vi: 'Định dạng nội dung không được hỗ trợ', en: 'Unsupported media type' },
  unprocessable: { vi: 'Yêu cầu vi phạm một quy định', en: 'The request breaks a rule' },
  'rate-limited': { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
  'internal-error': { vi: 'Lỗi máy chủ', en: 'Internal server error' },
  'service-unavailable': { vi: 'Dịch vụ tạm thời không sẵn sàng', en: 'Service unavailable' },
  'idempotency-in-progress': { vi: 'Yêu cầu đang được xử lý', en: 'Request in progress' },
  'idempotency-key-reused': { vi: 'Idempotency-Key đã dùng cho yêu cầu khác', en: 'Idempotency-Key reused' },
  'reconcile-in-progress': { vi: 'Đang đối soát', en: 'Reconcile in progress' },
  'out-of-order': { vi: 'Quyết định không khớp với dòng thời gian', en: 'The decision does not fit the timeline' },
  'quorum-not-met': { vi: 'Chưa đủ phiếu chấm', en: 'Too few score sheets to decide' },
  'no-three-star-authority': { vi: 'Không hội đồng nào được công nhận 3 sao vào ngày đó', en: 'No council may recognise 3 stars on that date' },
  'outside-authority': { vi: 'Ngoài thẩm quyền của hội đồng', en: "Outside the council's authority" },
  'decision-date-in-future': { vi: 'Quyết định không được ghi ngày trong tương lai', en: 'A decision is never dated in the future' },
  'issue-date-outside-window': { vi: 'Giấy chứng nhận được cấp vào hoặc ngay sau ngày quyết định', en: 'The certificate is issued on or soon after the decision' },
  'criteria-set-not-usable': { vi: 'Bộ tiêu chí không áp dụng vào ngày đó', en: 'The criteria set is not usable on that date' },
  'district-abolished': { vi: 'Cấp huyện đã chấm dứt từ 1/7/2025', en: 'Districts ceased on 1 July 2025' },
  'no-pending-forward': { vi: 'Thành phố chưa đề nghị sản phẩm này', en: 'The city has not forwarded this product' },
  'import-rejected': { vi: 'Tệp nhập có lỗi, chưa lưu gì', en: 'The import has errors and saved nothing' }
} as const satisfies Record<string, Text>
export type ProblemSlug = keyof typeof TITLES

/** Records and their names in every language, for "not found" and "does not exist" messages. */
export const ENTITIES = {
  'admin unit': { vi: 'đơn vị hành chính', en: 'admin unit' },
  'API key': { vi: 'khóa API', en: 'API key' },
  'craft village': { vi: 'làng nghề', en: 'craft village' },
  'criteria set': { vi: 'bộ tiêu chí', en: 'criteria set' },
  'current assortment entry for product': { vi: 'mục đang bày bán của sản phẩm', en: 'current assortment entry for product' },
  delivery: { vi: 'lần gửi', en: 'delivery' },
  'distribution partner': { vi: 'đối tác phân phối', en: 'distribution partner' },
  evaluation: { vi: 'hồ sơ đánh giá', en: 'evaluation' },
  fair: { vi: 'hội chợ', en: 'fair' },
  'label batch': { vi: 'lô tem', en: 'label batch' },
  listing: { vi: 'bản niêm yết', en: 'listing' },
  MOU: { vi: 'biên bản ghi nhớ (MOU)', en: 'MOU' },
  producer: { vi: 'chủ thể', en: 'producer' },
  province: { vi: 'tỉnh, thành phố', en: 'province' },
  target: { vi: 'chỉ tiêu', en: 'target' },
  product: { vi: 'sản phẩm', en: 'product' },
  recognition: { vi: 'quyết định công nhận', en: 'recognition' },
  'unit list': { vi: 'danh mục đơn vị hành chính', en: 'unit list' },
  venue: { vi: 'điểm giới thiệu và bán sản phẩm', en: 'venue' },
  webhook: { vi: 'webhook', en: 'webhook' }
} as const satisfies Record<string, Text>
export type Entity = keyof typeof ENTITIES

export class ProblemError extends Error {
  readonly status: number
  readonly slug: ProblemSlug
  /** The problem type's URI reference, `/problems/<slug>`. */
  readonly type: string
  readonly text: Text
  readonly errors?: FieldIssue[]
  readonly headers?: Record<string, string>
  /** Extension members (RFC 9457 §3.2) of the answer, written in the caller's language. */
  readonly members?: (lang: Lang) => Record<string, unknown>

  /** `detail` in every language; the English one is also the error's message, for logs. */
  constructor (status: number, slug: ProblemSlug, detail: Text, extra: { errors?: FieldIssue[], headers?: Record<string, string>, members?: (lang: Lang) => Record<string, unknown> } = {}) {
    super(detail.en)
    this.name = 'ProblemError'
    this.status = status
    this.slug = slug
    this.type = `/problems/${slug}`
    this.text = detail
    this.errors = extra.errors
    this.headers = extra.headers
    this.members = extra.members
  }

  /** The problem as the caller reads it, in `lang`. */
  body (lang: Lang): ProblemBody {
    return {
      type: this.type,

      title: TITLES[this.slug][lang],
      status: this.status,
      detail: this.text[lang],
      errors: this.errors?.map((e) => ({ in: e.in, pointer: e.pointer, detail: e.detail[lang] })),
      ...this.members?.(lang)
    }
  }
}

export const badRequest = (detail: Text, errors?: FieldIssue[]) =>
  new ProblemError(400, 'validation-error', detail, { errors })
export const unprocessable = (detail: Text, errors?: FieldIssue[]) =>
  new ProblemError(422, 'unprocessable', detail, { errors })
export const notFound = (entity: Entity, id: string | number) =>
  new ProblemError(404, 'not-found', { vi: `Không có ${ENTITIES[entity].vi} ${id}`, en: `${entity} ${id} does not exist` })
export const conflict = (detail: Text, errors?: FieldIssue[]) =>
  new ProblemError(409, 'conflict', detail, { errors })
export const serviceUnavailable = (detail: Text, retryAfterSeconds = 5) =>
  new ProblemError(503, 'service-unavailable', detail, { headers: { 'retry-after': String(retryAfterSeconds) } })
export const forbidden = (detail: Text) => new ProblemError(403, 'forbidden', detail)
/** A stale `If-Match`. */
export const preconditionFailed = () => new ProblemError(412, 'precondition-failed', {
  vi: 'Bản ghi đã thay đổi từ khi cấp thẻ trong If-Match: hãy đọc lại rồi gửi lại với ETag mới',
  en: 'The resource changed since the tag in If-Match was issued: read it again, then retry with the new ETag'
})
/** An upload in another encoding than UTF-8 (a spreadsheet's other encodings would garble Vietnamese). */
export const notUtf8 = () => new ProblemError(415, 'unsupported-media-type', {
  vi: 'Tệp không phải là UTF-8: hãy lưu bảng tính dưới dạng "CSV UTF-8 (phân cách bằng dấu phẩy)"',
  en: 'The file is not UTF-8: save the spreadsheet as "CSV UTF-8 (comma delimited)"'
})

/** A field error in the request body. */
export const bodyField = (field: string, detail: Text): FieldIssue => ({ in: 'body', pointer: `/${field}`, detail })
/** A field error in the query string. */
export const queryField = (field: string, detail: Text): FieldIssue => ({ in: 'query', pointer: `/${field}`, detail })
/** A field error in a request header (its name in lower case). */
export const headerField = (name: string, detail: Text): FieldIssue => ({ in: 'header', pointer: `/${name}`, detail })

/**
 * A reference in the body to a record that does not exist: 422 naming the field, e.g. "producer X does
 * not exist" with `producerId` "is not a producer".
 */
export const noSuch = (entity: Entity, id: string | number, field: string) => unprocessable(
  { vi: `Không có ${ENTITIES[entity].vi} ${id}`, en: `${entity} ${id} does not exist` },
  [bodyField(field, { vi: `không phải là ${ENTITIES[entity].vi} nào`, en: `is not ${/^[aeiou]/i.test(entity) ? 'an' : 'a'} ${entity}` })]
)

/** Field errors as one detail line: "body/taxCode must have at least 10 characters; query/limit …". */
export const listIssues = (errors: FieldIssue[]): Text => {
  const at = (e: FieldIssue) => `${e.in}${e.pointer === '/' ? '' : e.pointer}`
  return joinText(errors.map((e) => ({ vi: `${at(e)} ${e.detail.vi}`, en: `${at(e)} ${e.detail.en}` })))
}

/** A 422 for rules broken by fields of the body, each named by its pointer. */
export const brokenRules = (errors: { pointer: string, detail: Text }[]) => {
  const issues = errors.map((e): FieldIssue => ({ in: 'body', ...e }))
  return unprocessable(listIssues(issues), issues)
}
