import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { Text } from '../lib/i18n.ts'
import { ProblemError } from '../lib/problem.ts'

/** A rate-limit window in words: whole minutes as minutes, otherwise seconds. */
function spanOf (ms: number): Text {
  const seconds = Math.round(ms / 1000)
  if (seconds % 60 !== 0) return { vi: `${seconds} giây`, en: `${seconds} seconds` }
  const minutes = seconds / 60
  return minutes === 1 ? { vi: 'phút', en: 'minute' } : { vi: `${minutes} phút`, en: `${minutes} minutes` }
}

/**
 * Per key (or per IP without one), with a budget by role. Counters live in Redis when REDIS_URL is set,
 * so the limit holds across instances; otherwise in this process's memory.
 */
export default fp(async function rateLimitPlugin (app: FastifyInstance, opts: { config: Config }) {
  const { rateLimit: limits, redisUrl } = opts.config
  // ioredis is loaded only when it is used (a service without Redis does not hold it in memory).
  const redis = redisUrl ? new (await import('ioredis')).Redis(redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true }) : undefined
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err }, 'rate-limit store unreachable'))
    app.addHook('onClose', async () => { redis.disconnect() })
    // Without the offline queue, commands sent before the connection is up would fail (and count nothing).
    await redis.connect().catch((err: unknown) => app.log.warn({ err }, 'rate-limit store unreachable at start; retrying in the background'))
  }
  const window = spanOf(limits.windowMs)
  const budget = (req: FastifyRequest) => {
    const role = req.principal?.role ?? 'anonymous'
    return role === 'anonymous' ? limits.anonymous : role === 'partner' ? limits.partner : limits.staff
  }
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: (req) => budget(req),
    timeWindow: limits.windowMs,
    keyGenerator: (req) => (req.principal?.keyId ? `key:${req.principal.keyId}` : `ip:${req.ip}`),
    nameSpace: 'ocop-rl:',
    redis,
    // A Redis outage must not take the API down: count nothing rather than refuse everything.
    skipOnError: true,
    enableDraftSpec: true,
    addHeadersOnExceeding: { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true },
    addHeaders: { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true, 'retry-after': true },
    // The library's `context.after` is the time left, in English: the window is said from the configuration.
    errorResponseBuilder: (_req, context) => {
      const wait = Math.ceil(context.ttl / 1000)
      return new ProblemError(429, 'rate-limited', {
        vi: `Đã vượt giới hạn ${context.max} yêu cầu mỗi ${window.vi}; hãy thử lại sau ${wait} giây`,
        en: `Rate limit of ${context.max} requests per ${window.en} exceeded; retry after ${wait} s`
      })
    }
  })
}, { name: 'rate-limit', dependencies: ['authenticate'] })
