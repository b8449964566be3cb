import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { contractWebhooks } from '../modules/webhooks/events.ts'
import { PERMISSIONS } from '../lib/permissions.ts'
import { nullableAsTypeArrays } from '../lib/nullable.ts'
import { headersFor } from '../lib/response-headers.ts'
import { exampleComponents, problems } from '../lib/schema.ts'
import { cacheClassOf } from './etag.ts'

export const API_VERSION = '1.0.0'

/** OpenAPI 3.1 from the routes' schemas, Swagger UI at /docs, and each route's permission in the contract. */
export default fp(async function swaggerPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission
    if (!permission || !route.schema || route.schema.hide) return
    const rule = PERMISSIONS[permission]
    const schema = route.schema as Record<string, unknown>
    schema.security = rule.roles === 'anyone' ? [{}, { apiKey: [] }] : [{ apiKey: [] }]
    // A GET's automatic HEAD route comes through here with the same schema object: add the line once.
    const line = `**Permission:** ${rule.text}`
    if (!String(schema.description ?? '').includes(line)) schema.description = [schema.description, line].filter(Boolean).join('\n\n')
    // Each answer documents its headers (a copy: answers like 304 are shared by several routes).
    const responses = schema.response as Record<string, Record<string, unknown>> | undefined
    // Any route that reads a body may refuse it before its handler runs: too large (BODY_LIMIT_BYTES, decoded), or of
    // a type or a Content-Encoding it does not take.
    if (schema.body && responses) for (const [status, answer] of Object.entries(problems(413, 415))) responses[status] ??= answer as never
    for (const [status, response] of Object.entries(responses ?? {})) {
      // A route may describe a header more closely than the shared description (the label's weak ETag).
      responses![status] = { ...response, headers: { ...headersFor(route, status, response, cacheClassOf(route) !== 'none'), ...response.headers as object } }
    }
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OCOP API — Hanoi',
        version: API_VERSION,
        description: 'System of record and public API for Hanoi\'s OCOP programme (Mỗi xã một sản phẩm): producers, ' +
          'products, evaluations and star ratings, certificates and labels, venues, fairs and MOUs, partner listings and ' +
          'webhooks, and the published figures.\n\n' +
          'Errors are RFC 9457 problem details (`application/problem+json`). Dates are `YYYY-MM-DD` in ' +
          'Asia/Ho_Chi_Minh; timestamps are ISO 8601 UTC.\n\n' +
          '**Languages.** An error\'s `title`, `detail` and each field message in `errors` follow the request\'s ' +
          '`Accept-Language`: Vietnamese (`vi`) by default, also when the header is missing or names no language the ' +
          'API speaks, and English for `en` (with q-values and regional tags: `en-GB;q=0.9` counts). The `type` URI, ' +
          'the `pointer`s and every field of the data never change with the language. Error answers carry ' +
          '`Content-Language` and `Vary: Accept-Language`.',

        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'OCOP API team' }
      },
      servers: [{ url: '/' }],
      tags: [
        { name: 'reference', description: 'Administrative units and product taxonomies' },
        { name: 'catalogue', description: 'Craft villages, producers and products' },
        { name: 'evaluations', description: 'Criteria sets, evaluations, decisions and recognitions' },
        { name: 'statistics', description: 'The figures the city publishes: OCOP products by star, venues by type, on any day' },
        { name: 'labels', description: 'OCOP label batches, their printer files and QR codes, and label verification for consumers' },
        { name: 'venues', description: 'Points of introduction and sale, showrooms, centres, and what they carry' },
        { name: 'partner sync', description: 'Listings, eligibility, the change feed and the bulk export for partner platforms' },
        { name: 'webhooks', description: 'Signed push notifications of listing changes to partner endpoints' },
        { name: 'trade promotion', description: 'Distribution partners, fairs, booths, MOUs and their figures' },
        { name: 'access', description: 'API keys and the audit log (admin)' },
        { name: 'health', description: 'Liveness and readiness for orchestrators' }
      ],
      webhooks: contractWebhooks as never,
      components: {
        examples: exampleComponents,
        securitySchemes: {
          // The only scheme a caller of this API uses, so Swagger UI's Authorize asks for this alone.
          apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'An API key: `Authorization: Bearer ocop_…`' }
        }
      }
    },
    transformObject: (document) => nullableAsTypeArrays('openapiObject' in document ? document.openapiObject : document.swaggerObject),
    refResolver: {
      // Shared schemas appear under components.schemas by their $id, not def-0.
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`)
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The CSP of /docs is set with every other one (src/plugins/security.ts). No schema validator badge:
    // it would call validator.swagger.io, a third party. Models start collapsed.
    uiConfig: { persistAuthorization: true, deepLinking: true, tryItOutEnabled: false, validatorUrl: null, defaultModelsExpandDepth: 0 }
  })
}, { name: 'swagger' })
