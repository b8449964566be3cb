import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

const Bool = (value: 'true' | 'false') => Type.Enum(['true', 'false', '1', '0'], { default: value })

// Every variable the service reads, with its default. README.md lists the same table.
export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  LOG_BUFFER_BYTES: Type.Integer({ minimum: 0, maximum: 16000, default: 4096 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 5000 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 15000 }),
  MIGRATE_ON_START: Bool('true'),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 30000 }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 10485760, default: 1048576 }),
  JSON_MAX_DEPTH: Type.Integer({ minimum: 4, maximum: 1000, default: 64 }),
  CORS_ORIGINS: Type.String({ default: '*' }),
  TRUST_PROXY: Bool('false'),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, maximum: 3600000, default: 60000 }),
  RATE_LIMIT_ANONYMOUS: Type.Integer({ minimum: 1, maximum: 1000000, default: 120 }),
  RATE_LIMIT_PARTNER: Type.Integer({ minimum: 1, maximum: 1000000, default: 600 }),
  RATE_LIMIT_STAFF: Type.Integer({ minimum: 1, maximum: 1000000, default: 1200 }),
  IDEMPOTENCY_TTL_HOURS: Type.Integer({ minimum: 24, maximum: 720, default: 24 }),
  JOBS_ENABLED: Bool('true'),
  LISTINGS_RECONCILE_CRON: Type.String({ minLength: 9, maxLength: 100, default: '*/15 * * * *' }),
  LISTINGS_PROJECTOR_INTERVAL_MS: Type.Integer({ minimum: 20, maximum: 60000, default: 200 }),
  FEED_MAX_WAITERS: Type.Integer({ minimum: 0, maximum: 100000, default: 1000 }),
  READ_CACHE_MB: Type.Number({ minimum: 0, maximum: 4096, default: 16 }),
  LABEL_COUNTS_FLUSH_MS: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
  WEBHOOK_ALLOW_INSECURE_TARGETS: Bool('false'),
  WEBHOOK_SECRET_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/_-]{43}=?$', description: '32 bytes, base64' })),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 10000 }),
  WEBHOOK_RETRY_DELAY_SECONDS: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
  WEBHOOK_RETRY_LIMIT: Type.Integer({ minimum: 0, maximum: 30, default: 15 }),
  WEBHOOK_DISABLE_AFTER_HOURS: Type.Number({ exclusiveMinimum: 0, maximum: 720, default: 48 }),
  WEBHOOK_LOG_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
  JOB_POLLING_SECONDS: Type.Number({ minimum: 0.5, maximum: 60, default: 2 }),
  LABEL_VERIFY_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 300 })),
  LABEL_IMAGE_ORIGINS: Type.String({ pattern: '^(https://[^\\s,/]+(,\\s*https://[^\\s,/]+)*)?$', maxLength: 1000, default: '' }),
  EXPIRY_NOTICE_LEAD_DAYS: Type.Integer({ minimum: 30, maximum: 365, default: 45 }),
  CERTIFICATE_ISSUE_WINDOW_DAYS: Type.Integer({ minimum: 0, maximum: 365, default: 30 })
})
type Env = Static<typeof EnvSchema>

export interface Config {
  port: number
  host: string
  logLevel: Env['LOG_LEVEL']
  /** Log lines gathered before one write to standard output (0: each line as it comes); see logDestination. */
  logBufferBytes: number
  databaseUrl?: string
  dataDir: string
  db: { poolMax: number, connectTimeoutMs: number, statementTimeoutMs: number }
  migrateOnStart: boolean
  requestTimeoutMs: number
  /** Megabytes of catalogue answers kept in memory (src/db/read-cache.ts); 0 turns the cache off. */
  readCacheMb: number
  /** Readers that may wait on the change feed at once in this process (`wait=`); more get a 503. */
  feedMaxWaiters: number
  labelCountsFlushMs: number
  bodyLimit: number
  /** JSON bodies nesting objects and arrays deeper than this are refused before they are parsed. */
  jsonMaxDepth: number
  corsOrigins: '*' | string[]
  trustProxy: boolean
  redisUrl?: string
  rateLimit: { windowMs: number, anonymous: number, partner: number, staff: number }
  idempotencyTtlHours: number
  jobs: { enabled: boolean, reconcileCron: string, pollingSeconds: number, projectorIntervalMs: number }
  webhooks: { allowInsecureTargets: boolean, timeoutMs: number, retryDelaySeconds: number, retryLimit: number, disableAfterHours: number, logRetentionDays: number, secretKey?: Buffer }
  /** What a label's QR code encodes: this URL followed by the label's token. */
  labelVerifyUrl: string
  /** Origins whose product images the label page may show (`https://host`); none by default. */
  labelImageOrigins: string[]
  timeline: TimelineSettings
}

/** The adjustable dates of the certificate timeline. */
export interface TimelineSettings {
  /** A recognition is due for its expiry notice this many days before its last valid day (at least 30). */
  noticeLeadDays: number
  /** A certificate is issued on its decision's date or at most this many days after. */
  issueWindowDays: number
}

export class ConfigError extends Error {
  readonly variable: string
  constructor (variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`)
    this.variable = variable
    this.name = 'ConfigError'
  }
}

const truthy = (v: string) => v === 'true' || v === '1'

/** Reads, converts and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const withDefaults = Value.Default(EnvSchema, raw)
  const converted = Value.Convert(EnvSchema, withDefaults)
  const [error] = Value.Errors(EnvSchema, converted)
  if (error) {
    const variable = error.instancePath.replace(/^\//, '') || String((error.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? 'environment')
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
    throw new ConfigError(variable, `${error.message}${allowed ? ` (${allowed.join(', ')})` : ''} (got ${JSON.stringify(raw[variable] ?? null)})`)
  }
  const e = converted as Env
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logBufferBytes: e.LOG_BUFFER_BYTES,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    db: { poolMax: e.DB_POOL_MAX, connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS },
    migrateOnStart: truthy(e.MIGRATE_ON_START),
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    feedMaxWaiters: e.FEED_MAX_WAITERS,
    readCacheMb: e.READ_CACHE_MB,
    labelCountsFlushMs: e.LABEL_COUNTS_FLUSH_MS,
    bodyLimit: e.BODY_LIMIT_BYTES,
    jsonMaxDepth: e.JSON_MAX_DEPTH,
    corsOrigins: e.CORS_ORIGINS.trim() === '*' ? '*' : e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: truthy(e.TRUST_PROXY),
    redisUrl: e.REDIS_URL,
    rateLimit: { windowMs: e.RATE_LIMIT_WINDOW_MS, anonymous: e.RATE_LIMIT_ANONYMOUS, partner: e.RATE_LIMIT_PARTNER, staff: e.RATE_LIMIT_STAFF },
    idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
    jobs: { enabled: truthy(e.JOBS_ENABLED), reconcileCron: e.LISTINGS_RECONCILE_CRON, pollingSeconds: e.JOB_POLLING_SECONDS, projectorIntervalMs: e.LISTINGS_PROJECTOR_INTERVAL_MS },
    webhooks: {
      allowInsecureTargets: truthy(e.WEBHOOK_ALLOW_INSECURE_TARGETS),
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryDelaySeconds: e.WEBHOOK_RETRY_DELAY_SECONDS,
      retryLimit: e.WEBHOOK_RETRY_LIMIT,
      disableAfterHours: e.WEBHOOK_DISABLE_AFTER_HOURS,
      logRetentionDays: e.WEBHOOK_LOG_RETENTION_DAYS,
      secretKey: e.WEBHOOK_SECRET_KEY ? Buffer.from(e.WEBHOOK_SECRET_KEY, 'base64') : undefined
    },
    // By default this service's own label URL, on the port it listens on.
    labelVerifyUrl: e.LABEL_VERIFY_URL ?? `http://localhost:${e.PORT}/v1/labels/`,
    labelImageOrigins: e.LABEL_IMAGE_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    timeline: { noticeLeadDays: e.EXPIRY_NOTICE_LEAD_DAYS, issueWindowDays: e.CERTIFICATE_ISSUE_WINDOW_DAYS }
  }
}
