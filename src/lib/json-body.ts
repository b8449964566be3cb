import type { FastifyInstance } from 'fastify'
import { badRequest, headerField, ProblemError } from './problem.ts'
import { jsonDepthExceeds, strictUtf8Text } from './text.ts'

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i

/**
 * JSON bodies: UTF-8 only (RFC 8259), refused before parsing when they nest deeper than `maxDepth`.
 * A body in another encoding was read as UTF-8 with each bad byte replaced by U+FFFD, so "Bát Tràng"
 * sent in Windows-1258 was saved as "B�t Tr�ng": a declared other charset is now a 415, bytes that
 * are not UTF-8 a 400; a byte order mark is skipped.
 */
export function registerJsonParser (app: FastifyInstance, maxDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase()
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      const shown = charset.slice(0, 40)
      return done(new ProblemError(415, 'unsupported-media-type', { vi: `JSON phải ở dạng UTF-8, không phải ${shown}`, en: `JSON must be UTF-8, not ${shown}` }, {
        errors: [headerField('content-type', { vi: 'chỉ nhận charset=utf-8', en: 'only charset=utf-8 is taken' })]
      }), undefined)
    }
    const text = strictUtf8Text(body as Buffer)
    if (text === undefined) {
      return done(badRequest(
        { vi: 'nội dung không phải là UTF-8: hãy gửi JSON dạng UTF-8 (không dùng TCVN3, VNI hay Windows-1258)', en: 'the body is not UTF-8: send JSON as UTF-8 (not TCVN3, VNI or Windows-1258)' },
        [{ in: 'body', pointer: '', detail: { vi: 'không phải là UTF-8', en: 'is not UTF-8' } }]), undefined)
    }
    if (jsonDepthExceeds(text, maxDepth)) {
      return done(badRequest(
        { vi: `nội dung JSON lồng đối tượng và mảng sâu quá ${maxDepth} cấp (JSON_MAX_DEPTH)`, en: `the JSON body nests objects and arrays deeper than ${maxDepth} levels (JSON_MAX_DEPTH)` },
        [{ in: 'body', pointer: '', detail: { vi: `lồng sâu quá ${maxDepth} cấp`, en: `nests deeper than ${maxDepth} levels` } }]), undefined)
    }
    parseJson(req, text, done)
  })
}
