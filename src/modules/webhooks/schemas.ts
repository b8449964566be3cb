import { Type, type Static } from 'typebox'
import { Page, PageQuery, ref, StringEnum } from '../../lib/schema.ts'
import { DELIVERED_TYPES, EVENT_TYPES } from './tables.ts'

const example = {
  id: '2a7c9e1f-4b3d-4c5e-9f8a-7b6c5d4e3f2a',
  url: 'https://shop.example.vn/hooks/ocop',
  eventTypes: ['listing.upserted', 'listing.removed'],
  description: 'Đồng bộ gian hàng OCOP',
  status: 'enabled',
  disabledReason: null,
  failingSince: null,
  ownerKeyId: '7d4e2c1b-9a8f-4e6d-8c5b-3a2f1e0d9c8b',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z'
}

const EventTypes = Type.Array(StringEnum([...EVENT_TYPES]), { minItems: 1, maxItems: EVENT_TYPES.length, uniqueItems: true, description: 'listing.upserted, listing.removed, certificate.expiring (30 days ahead)', examples: [example.eventTypes] })

export const Webhook = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String({ maxLength: 2000 }),
  eventTypes: EventTypes,
  description: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
  status: StringEnum(['enabled', 'disabled']),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  failingSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Deliveries have failed since then (null after a success)' }),
  ownerKeyId: Type.String({ format: 'uuid', description: 'The API key that registered it' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' })
}, { $id: 'Webhook', additionalProperties: false, description: 'A partner\'s webhook endpoint', examples: [example] })
export type WebhookBody = Static<typeof Webhook>

export const WebhookWithSecret = Type.Object({
  ...Webhook.properties,
  secret: Type.String({ description: 'Shown once: a Standard Webhooks secret (`whsec_` and the base64 key) to verify each delivery\'s `webhook-signature` with' })
}, { $id: 'WebhookWithSecret', additionalProperties: false, examples: [{ ...example, secret: 'whsec_MfKQ9r8GKYqrTywGtWzO8LJ6KQL2A8iW0Y3GZX0cbVs=' }] })

export const WebhookCreate = Type.Object({
  url: Type.String({ minLength: 8, maxLength: 2000, description: 'https, on a public address', examples: [example.url] }),
  eventTypes: EventTypes,
  description: Type.Optional(Type.String({ minLength: 1, maxLength: 500, examples: [example.description] }))
}, { $id: 'WebhookCreate', additionalProperties: false, examples: [{ url: example.url, eventTypes: ['listing.upserted', 'listing.removed'] }] })
export type WebhookCreateBody = Static<typeof WebhookCreate>

export const WebhookPatch = Type.Partial(WebhookCreate, { $id: 'WebhookPatch', additionalProperties: false, minProperties: 1, examples: [{ eventTypes: ['listing.upserted', 'listing.removed', 'certificate.expiring'] }] })
export type WebhookPatchBody = Static<typeof WebhookPatch>

export const WebhookPage = Page(ref(Webhook), 'WebhookPage', example)

const attemptExample = { attempt: 1, at: '2026-11-23T09:00:01.000Z', statusCode: 503, durationMs: 412, error: null }
const deliveryExample = {
  id: '5c3b1a9f-8e7d-4c6b-a5f4-e3d2c1b0a9f8',
  eventId: '9c1e7a52-3f4b-4d6a-8e2f-1a0b9c8d7e6f',
  eventType: 'listing.removed',
  status: 'succeeded',
  attempts: [attemptExample, { ...attemptExample, attempt: 2, at: '2026-11-23T09:00:21.000Z', statusCode: 200, durationMs: 87 }],
  redeliveryOf: null,
  createdAt: '2026-11-23T09:00:00.000Z',
  completedAt: '2026-11-23T09:00:21.000Z'
}
export const Delivery = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid', description: 'The `webhook-id` header: deduplicate on it' }),
  eventType: StringEnum([...DELIVERED_TYPES]),
  status: StringEnum(['pending', 'delivering', 'succeeded', 'failed', 'skipped'], { description: '`failed`: retries exhausted or the endpoint was disabled; `skipped`: the endpoint was disabled before the attempt' }),
  attempts: Type.Array(Type.Object({
    attempt: Type.Integer({ minimum: 1 }),
    at: Type.String({ format: 'date-time' }),
    statusCode: Type.Union([Type.Integer(), Type.Null()], { description: 'Null when no answer came (timeout, refused connection)' }),
    durationMs: Type.Integer({ minimum: 0 }),
    error: Type.Union([Type.String(), Type.Null()])
  }, { additionalProperties: false })),
  redeliveryOf: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
}, { $id: 'Delivery', additionalProperties: false, examples: [deliveryExample] })
export type DeliveryBody = Static<typeof Delivery>

export const DeliveryPage = Page(ref(Delivery), 'DeliveryPage', deliveryExample)

export const DeliveryQuery = Type.Object({
  status: Type.Optional(StringEnum(['pending', 'delivering', 'succeeded', 'failed', 'skipped'], { description: 'Only deliveries in this state', examples: ['failed'] })),
  ...PageQuery
}, { additionalProperties: false })

export const DeliveryParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Webhook id', examples: [example.id] }),
  deliveryId: Type.String({ format: 'uuid', description: 'Delivery id', examples: [deliveryExample.id] })
}, { additionalProperties: false })

export const webhookSchemas = [Webhook, WebhookWithSecret, WebhookCreate, WebhookPatch, WebhookPage, Delivery, DeliveryPage]
