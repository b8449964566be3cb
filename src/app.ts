import { randomUUID } from 'node:crypto'
import accepts from '@fastify/accepts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import type { DestinationStream } from 'pino'
import type { Config } from './config.ts'
import type { Db, DbHandle } from './db/client.ts'
import { systemClock, type Clock } from './lib/clock.ts'
import { FieldError, Problem } from './lib/problem.ts'
import { datesFromYearOne } from './lib/formats.ts'
import { registerJsonParser } from './lib/json-body.ts'
import { loggingOptions } from './lib/logging.ts'
import metricsRoutes from './modules/health/metrics.ts'
import healthRoutes from './modules/health/routes.ts'
import referenceRoutes from './modules/reference/routes.ts'
import { referenceSchemas } from './modules/reference/schemas.ts'
import auditRoutes from './modules/audit/routes.ts'
import { auditSchemas } from './modules/audit/schemas.ts'
import criteriaRoutes from './modules/evaluations/criteria-routes.ts'
import { criteriaSchemas } from './modules/evaluations/criteria-schemas.ts'
import evaluationRoutes from './modules/evaluations/routes.ts'
import { evaluationSchemas } from './modules/evaluations/schemas.ts'
import keyRoutes from './modules/keys/routes.ts'
import { keySchemas } from './modules/keys/schemas.ts'
import { authenticatePlugin, authorizePlugin } from './plugins/auth.ts'
import compressionPlugin from './plugins/compression.ts'
import etagPlugin from './plugins/etag.ts'
import idempotencyPlugin, { type IdempotencyOptions } from './plugins/idempotency.ts'
import jobsPlugin from './plugins/jobs.ts'
import metricsPlugin from './plugins/metrics.ts'
import readCachePlugin from './plugins/read-cache.ts'
import producerRoutes from './modules/producers/routes.ts'
import { producerSchemas } from './modules/producers/schemas.ts'
import productRoutes from './modules/products/routes.ts'
import { productSchemas } from './modules/products/schemas.ts'
import listingRoutes from './modules/listings/routes.ts'
import { listingEventSchemas } from './modules/listings/events.ts'
import { listingSchemas } from './modules/listings/schemas.ts'
import tradeRoutes from './modules/trade/routes.ts'
import { eventSchemas } from './modules/webhooks/events.ts'
import labelRoutes from './modules/labels/routes.ts'
import { VerificationCounts } from './modules/labels/counts.ts'
import importRoutes from './modules/imports/routes.ts'
import { importSchemas } from './modules/imports/schemas.ts'
import statisticsRoutes from './modules/statistics/routes.ts'
import { statisticsSchemas } from './modules/statistics/schemas.ts'
import targetRoutes from './modules/targets/routes.ts'
import { targetSchemas } from './modules/targets/schemas.ts'
import { labelSchemas } from './modules/labels/schemas.ts'
import { tradeSchemas } from './modules/trade/schemas.ts'
import venueRoutes from './modules/venues/routes.ts'
import webhookRoutes from './modules/webhooks/routes.ts'
import { webhookSchemas } from './modules/webhooks/schemas.ts'
import { assortmentSchemas, venueSchemas } from './modules/venues/schemas.ts'
import villageRoutes from './modules/villages/routes.ts'
import { villageSchemas } from './modules/villages/schemas.ts'
import problemPlugin, { clientErrors, frameworkErrors, notFoundHandler } from './plugins/problem.ts'
import textPlugin from './plugins/text.ts'
import finitePlugin from './plugins/finite.ts'
import rateLimitPlugin from './plugins/rate-limit.ts'
import securityPlugin from './plugins/security.ts'
import swaggerPlugin from './plugins/swagger.ts'
import { buildSerializer } from './lib/serializer.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Db
    dbHandle: DbHandle
    clock: Clock
    /** Label scans counted in memory and written in batches (modules/labels/counts.ts). */
    labelCounts: VerificationCounts
  }
}

export interface AppDeps {
  config: Config
  db: DbHandle
  clock?: Clock
  /** Where JSON log lines go (default: stdout, a line at a time; the service's entry point passes logDestination). */
  logStream?: DestinationStream
  /** Tests only: a fault injected after an idempotent write commits. */
  idempotency?: IdempotencyOptions
}

const REQUEST_ID = /^[\w.:-]{1,100}$/

/** Builds the application without listening: the entry point listens, tests use inject(). */
export async function buildApp (deps: AppDeps) {
  const { config } = deps
  const app = Fastify({
    ...loggingOptions(config.logLevel, deps.logStream),
    // A caller's own X-Request-Id is kept when it is a plain token, so logs can be joined across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    frameworkErrors,
    clientErrorHandler: clientErrors,
    schemaController: { compilersFactory: { buildSerializer } },
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    trustProxy: config.trustProxy,
    ajv: {
      // Unknown body fields are refused, not silently dropped; query strings are coerced to their types.
      // verbose: an error carries its schema and value, so its message can show the field's example.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true, verbose: true },
      onCreate: datesFromYearOne
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  // JSON bodies: UTF-8 only, and refused before parsing when nested deeper than JSON_MAX_DEPTH.
  registerJsonParser(app, config.jsonMaxDepth)

  app.decorate('config', config)
  app.decorate('db', deps.db.db)
  app.decorate('dbHandle', deps.db)
  app.decorate('clock', deps.clock ?? systemClock)
  const labelCounts = new VerificationCounts(deps.db.db, (err, dropped) => app.log.warn({ err, dropped }, 'label verification counts could not be written; retrying'))
  labelCounts.start(config.labelCountsFlushMs)
  app.decorate('labelCounts', labelCounts)
  app.addHook('onClose', async () => { await labelCounts.stop() })
  // While closing, answers to requests still in flight close their connection, so a keep-alive
  // client does not hold the server open until its keep-alive timeout.
  let closing = false
  app.addHook('preClose', (done) => { closing = true; done() })
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id)
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  for (const schema of [FieldError, Problem, ...referenceSchemas, ...keySchemas, ...auditSchemas, ...villageSchemas, ...producerSchemas, ...productSchemas, ...criteriaSchemas, ...evaluationSchemas, ...venueSchemas, ...assortmentSchemas, ...listingSchemas, ...webhookSchemas, ...listingEventSchemas, ...eventSchemas, ...tradeSchemas, ...labelSchemas, ...statisticsSchemas, ...targetSchemas, ...importSchemas]) app.addSchema(schema)

  await app.register(accepts)
  await app.register(problemPlugin)
  await app.register(metricsPlugin)
  await app.register(readCachePlugin)
  await app.register(securityPlugin, { origins: config.corsOrigins })
  // Before Swagger UI, so its scripts are coded too; its hook stays after those later plugins add.
  await app.register(compressionPlugin)
  await app.register(swaggerPlugin)
  // Order matters: who is calling, then how much they may call, then whether they may call this route.
  await app.register(authenticatePlugin)
  await app.register(rateLimitPlugin, { config })
  // @fastify/rate-limit counts the routes' requests; an unknown path's are counted here.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, notFoundHandler(app))
  await app.register(authorizePlugin)
  await app.register(etagPlugin)
  await app.register(idempotencyPlugin, deps.idempotency ?? {})
  await app.register(textPlugin)
  await app.register(finitePlugin)
  await app.register(jobsPlugin)

  await app.register(healthRoutes, { prefix: '/health' })
  await app.register(metricsRoutes)
  await app.register(referenceRoutes, { prefix: '/v1' })
  await app.register(keyRoutes, { prefix: '/v1' })
  await app.register(auditRoutes, { prefix: '/v1' })
  await app.register(villageRoutes, { prefix: '/v1' })
  await app.register(producerRoutes, { prefix: '/v1' })
  await app.register(productRoutes, { prefix: '/v1' })
  await app.register(criteriaRoutes, { prefix: '/v1' })
  await app.register(evaluationRoutes, { prefix: '/v1' })
  await app.register(venueRoutes, { prefix: '/v1' })
  await app.register(listingRoutes, { prefix: '/v1' })
  await app.register(webhookRoutes, { prefix: '/v1' })
  await app.register(tradeRoutes, { prefix: '/v1' })
  await app.register(labelRoutes, { prefix: '/v1' })
  await app.register(statisticsRoutes, { prefix: '/v1' })
  await app.register(targetRoutes, { prefix: '/v1' })
  await app.register(importRoutes, { prefix: '/v1' })
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
