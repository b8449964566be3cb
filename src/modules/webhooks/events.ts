import { Type, type TSchema } from 'typebox'
import { PING } from './tables.ts'

// What a receiver gets: the body of each delivery, by event type. Documented in the contract's
// `webhooks` section (OpenAPI 3.1), with the headers that sign it.

/** An event as delivered: its id, type and time around the type's data. */
export const envelope = <T extends TSchema>(type: string, id: string, data: T, example: unknown) => Type.Object({
  id: Type.String({ format: 'uuid', description: 'The event id, also in the `webhook-id` header: deduplicate on it' }),
  type: Type.Literal(type),
  createdAt: Type.String({ format: 'date-time' }),
  data
}, { $id: id, additionalProperties: false, examples: [{ id: '0b8e2f4a-7c1d-4e3b-9a5f-6d2c1b0a9e8f', type, createdAt: '2026-11-23T17:00:03.000Z', data: example }] })

export const WebhookPingEvent = envelope(PING, 'WebhookPingEvent', Type.Object({
  webhookId: Type.String({ format: 'uuid' }),
  message: Type.String()
}, { additionalProperties: false }), { webhookId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', message: 'Ping from the OCOP API: this endpoint is reachable. Check the signature as for any other event.' })

export const eventSchemas = [WebhookPingEvent]

const headers = [
  { name: 'webhook-id', description: 'The event id: the same on every retry and redelivery (use it to drop duplicates)', example: '0b8e2f4a-7c1d-4e3b-9a5f-6d2c1b0a9e8f' },
  { name: 'webhook-timestamp', description: 'Unix seconds of this attempt; Standard Webhooks verifiers refuse one more than 5 minutes from their clock', example: '1795453203' },
  { name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256(key, webhook-id + "." + webhook-timestamp + "." + raw body)>`, the key being the base64 after `whsec_` in the endpoint\'s secret (Standard Webhooks); two, space-separated, for 24 hours after a rotation. Verify with a Standard Webhooks library over the raw bytes (see the README).', example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' }
].map(({ name, description, example }) => ({ in: 'header', name, required: true, description, schema: { type: 'string' }, example }))

// The listing events' schemas are the listings module's (src/modules/listings/events.ts), named here by id.
const EVENTS: { type: string, id: string, summary: string }[] = [
  { type: 'listing.upserted', id: 'ListingUpsertedEvent', summary: 'A listing was created or changed: replace yours with `data.listing`' },
  { type: 'listing.removed', id: 'ListingRemovedEvent', summary: 'A product may no longer carry the OCOP mark: remove its listing' },
  { type: 'certificate.expiring', id: 'CertificateExpiringEvent', summary: 'A listed product\'s certificate expires within 30 days (sent once per certificate)' },
  { type: PING, id: 'WebhookPingEvent', summary: 'A test event, sent when the endpoint\'s owner asks for it' }
]

/** The contract's `webhooks` object: one POST per event type, to the partner's registered URL. */
export const contractWebhooks: Record<string, unknown> = Object.fromEntries(EVENTS.map(({ type, id, summary }) => [type, {
  post: {
    operationId: `receive${id}`,
    summary,
    description: 'Sent to each enabled endpoint subscribed to this type (a ping: to the one endpoint). Answer any 2xx within the timeout; anything else is retried with exponential backoff. ' +
      'Signed as the Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`): check it with the endpoint\'s `whsec_` secret and a Standard Webhooks library (npm `standardwebhooks`, and others for most languages) before trusting the body. Endpoints registered before 2026-11-30 also receive the former `OCOP-Webhook-Id`, `-Timestamp` and `-Signature` headers until their next secret rotation. It is signed, not authorised with a key of this API, so it names no security scheme.',
    tags: ['webhooks'],
    security: [],
    parameters: headers,
    requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${id}` } } } },
    responses: { '2XX': { description: 'Accepted' } }
  }
}]))
