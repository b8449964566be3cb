import { badRequest, bodyField, conflict, serviceUnavailable, unprocessable, type ProblemError } from './problem.ts'

interface PgError { code?: string, constraint?: string, detail?: string, column?: string, message?: string }

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'])
const CONNECTION_MESSAGES = [/timeout exceeded when trying to connect/i, /connection terminated/i, /Connection terminated due to connection timeout/i, /Client has encountered a connection error/i, /pool is draining|Cannot use a pool after calling end/i]

/** Walks an error's cause chain (Drizzle wraps driver errors in DrizzleQueryError). */
function * chain (err: unknown): Generator<PgError> {
  let current = err as (PgError & { cause?: unknown }) | undefined
  for (let depth = 0; current && depth < 5; depth++) {
    yield current
    current = current.cause as typeof current
  }
}

// "Key (tax_code)=(0101234567) already exists." -> tax_code
const keyColumns = (detail?: string) => /Key \(([^)]+)\)=/.exec(detail ?? '')?.[1]?.split(', ') ?? []
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/** The database cannot be reached: a 503 to retry. */
export const databaseUnreachable = () => serviceUnavailable({ vi: 'Hiện không kết nối được cơ sở dữ liệu; hãy thử lại sau giây lát.', en: 'The database cannot be reached right now; retry shortly.' })

/** Turns a database error into a problem a client can act on, or undefined when it is a bug. */
export function problemFromDatabaseError (err: unknown): ProblemError | undefined {
  for (const e of chain(err)) {
    const code = e.code
    if ((code && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.some((re) => re.test(e.message ?? ''))) {
      return databaseUnreachable()
    }
    if (code === '57014') return serviceUnavailable({ vi: 'Cơ sở dữ liệu trả lời quá lâu; hãy thử lại sau giây lát.', en: 'The database took too long to answer; retry shortly.' })
    if (code === '40001' || code === '40P01') return conflict({ vi: 'Một thay đổi đồng thời đã cản trở thay đổi này; hãy gửi lại yêu cầu.', en: 'A concurrent change interfered with this one; retry the request.' })
    if (code === '23505') {
      const fields = keyColumns(e.detail).map(camel)
      return conflict({ vi: `Đã có bản ghi trùng ${fields.join(', ') || 'khóa'}`, en: `A record with the same ${fields.join(', ') || 'key'} already exists` },
        fields.map((f) => bodyField(f, { vi: 'đã được bản ghi khác sử dụng', en: 'already used by another record' })))
    }
    if (code === '23503') {
      const fields = keyColumns(e.detail).map(camel)
      return unprocessable({
        vi: `${fields.join(', ') || 'Một tham chiếu'} không trỏ tới bản ghi có thật, hoặc bản ghi vẫn đang được tham chiếu`,
        en: `${fields.join(', ') || 'A referenced record'} does not refer to an existing record, or the record is still referenced`
      }, fields.map((f) => bodyField(f, { vi: 'trỏ tới bản ghi không có hoặc đang được dùng', en: 'refers to a record that does not exist or is in use' })))
    }
    if (code === '23514' || code === '23502') {
      const rule = e.constraint ?? e.column ?? ''
      return unprocessable({ vi: `Bản ghi vi phạm quy tắc ${rule}`.trim(), en: `The record breaks the rule ${rule}`.trim() })
    }
    if (code === '22P02' || code === '22007' || code === '22008' || code === '22003') {
      return badRequest({ vi: 'Một giá trị sai định dạng hoặc nằm ngoài phạm vi', en: 'A value has the wrong format or is out of range' })
    }
  }
  return undefined
}
