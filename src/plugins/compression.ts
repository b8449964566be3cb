import compress from '@fastify/compress'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Text } from '../lib/i18n.ts'
import { headerField, ProblemError } from '../lib/problem.ts'
import { keepLast } from '../lib/route-hooks.ts'

const ENCODINGS = ['br', 'gzip', 'deflate'] as const
// The client's own value, echoed in the detail: cut short, so a long header cannot stretch the answer past its schema.
const named = (encoding: string) => encoding.length > 40 ? `${encoding.slice(0, 40)}…` : encoding
const header = (detail: Text) => [headerField('content-encoding', detail)]

/**
 * Content codings (@fastify/compress), both ways.
 *
 * Answers of 1 KB or more in a text or JSON type (a list page, the export, a CSV download, Swagger UI's
 * scripts) are compressed when the client's `Accept-Encoding` allows it: brotli at quality 4, else gzip,
 * else deflate, with `Vary: Accept-Encoding`. A point read (about 600 bytes) is sent as it is. The ETag is
 * the hash of the uncoded body, so it is the same whichever coding the client took, and `If-Match` and
 * `If-None-Match` work across them.
 *
 * Request bodies may come gzip-, deflate- or brotli-coded (`Content-Encoding`): `BODY_LIMIT_BYTES` counts the
 * decoded bytes, so a small coded body that inflates past it is refused with 413 as it inflates. Another
 * coding is a 415 and a body that does not decode a 400, each naming the header.
 */
export default fp(async function compressionPlugin (app: FastifyInstance) {
  // The coder's onSend hook on each route is marked to stay last: registered before Swagger UI so its
  // assets are coded too, it still runs after the ETag and idempotency hooks the routes get later.
  const before = new WeakMap<object, number>()
  const onSendOf = (route: { onSend?: unknown }) => [route.onSend ?? []].flat()
  app.addHook('onRoute', (route) => { before.set(route, onSendOf(route).length) })
  await app.register(compress, {
    threshold: 1024,
    // @fastify/compress's own types (text, JSON, XML; else what mime-db calls compressible, as scripts and
    // styles), and NDJSON, the export's.
    customTypes: /^text\/(?!event-stream)|(?:\+|\/)(?:x-)?(?:nd)?json(?:;|$)|(?:\+|\/)xml(?:;|$)/,
    encodings: [...ENCODINGS],
    requestEncodings: [...ENCODINGS],
    onUnsupportedRequestEncoding: (encoding) => new ProblemError(415, 'unsupported-media-type', {
      vi: `Không hỗ trợ Content-Encoding ${named(encoding)}: hãy gửi nội dung không nén, hoặc nén bằng ${ENCODINGS.join(', ')}`,
      en: `Content-Encoding ${named(encoding)} is not supported: send the body uncoded, or coded with ${ENCODINGS.join(', ')}`
    }, { errors: header({ vi: `phải là một trong ${ENCODINGS.join(', ')}`, en: `must be one of ${ENCODINGS.join(', ')}` }) }),
    // The plugin copies this error's fields onto the decoder's own error: the problem rides along as one.
    onInvalidRequestPayload: (encoding) => Object.assign(new Error('undecodable body'), {
      problem: new ProblemError(400, 'bad-request', {
        vi: `Nội dung không giải nén được theo Content-Encoding ${encoding}`,
        en: `The body could not be decoded as Content-Encoding ${encoding} says`
      }, { errors: header({ vi: `không khớp với nội dung (${encoding})`, en: `does not match the body (${encoding})` }) })
    })
  })
  app.addHook('onRoute', (route) => { for (const hook of onSendOf(route).slice(before.get(route))) keepLast(hook) })
}, { name: 'compression' })
