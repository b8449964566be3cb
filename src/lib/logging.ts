// How the service logs: one line per request, and no credential in any line.
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import pino from 'pino'
import { redactUrl } from './text.ts'

const SENSITIVE_HEADERS = ['authorization', 'x-api-key', 'cookie']
const CENSOR = '[redacted]'

/** A copy of a set of headers with the credentials replaced. */
function censorHeaders (headers: Record<string, unknown>): Record<string, unknown> {
  if (!headers || typeof headers !== 'object') return headers
  const out = { ...headers }
  for (const name of SENSITIVE_HEADERS) if (name in out) out[name] = CENSOR
  return out
}

/**
 * The logger's serializers. Credentials are taken out here, where an object is written, rather than by
 * pino's `redact` paths: pino runs those on every line (a copy and a second JSON pass of each value with
 * a wildcard path), and they were most of the cost of logging a point read (npm run bench -- profile).
 * A request is logged by method and URL (a key in the query string replaced), never by its headers;
 * headers logged on purpose (`{ headers }`) and an error carrying them lose their credentials.
 */
export const logSerializers = {
  req: (req: FastifyRequest) => ({ method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
  headers: censorHeaders,
  err: (err: Error & { headers?: Record<string, unknown> }) => {
    const out = pino.stdSerializers.err(err) as ReturnType<typeof pino.stdSerializers.err> & { headers?: Record<string, unknown> }
    if (out?.headers) out.headers = censorHeaders(out.headers)
    return out
  }
}

/**
 * One line per request, when it is answered: method, URL, status and time together, as an access log
 * has them (Fastify's default writes a second line as each request arrives, at the same level, which
 * doubled the cost of logging). At `debug` the arrival is logged too.
 */
export class AccessLog extends LogController {
  override incomingRequest (request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }
}

/** The longest a log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 1000

/**
 * Where the running service logs: standard output (or `dest`), with the lines gathered up to
 * `bufferBytes` and written by one system call, and at the latest LOG_FLUSH_MS later, so that an idle
 * service's last lines still show within a second. Each request's line was a write system call of its
 * own, and on a pipe to a log collector each write wakes the reader: with the buffer, the service and a
 * reader on its pipe spent about a tenth less CPU per point read (README, Benchmark, third round).
 * Whatever is buffered is written when the process exits, however it exits short of being killed
 * (SIGKILL, or the kernel out of memory). 0 writes each line as it comes, as pino does by default.
 */
export function logDestination (bufferBytes: number, dest: number | string = 1): ReturnType<typeof pino.destination> {
  const stream = pino.destination({ dest, sync: true, minLength: bufferBytes, periodicFlush: bufferBytes ? LOG_FLUSH_MS : 0 })
  if (bufferBytes) process.once('exit', () => { if (!(stream as { destroyed?: boolean }).destroyed) stream.flushSync() })
  return stream
}

/** The logger options and controller for Fastify. */
export function loggingOptions (level: string, stream?: pino.DestinationStream): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return {
    logger: { level, serializers: logSerializers, ...(stream ? { stream } : {}) },
    logController: new AccessLog()
  }
}
