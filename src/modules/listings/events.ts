import { Type } from 'typebox'
import { ref, StringEnum } from '../../lib/schema.ts'
import { envelope } from '../webhooks/events.ts'
import { Listing, listingExample } from './schemas.ts'
import { REMOVAL_REASONS, UPSERT_REASONS } from './tables.ts'

// The bodies of the listing events the projector records (sync.ts) and webhooks deliver.

export const ListingUpsertedEvent = envelope('listing.upserted', 'ListingUpsertedEvent', Type.Object({
  seq: Type.Integer({ description: 'The change feed position of this change' }),
  productId: Type.String({ format: 'uuid' }),
  reason: StringEnum([...UPSERT_REASONS]),
  listing: ref(Listing)
}, { additionalProperties: false }), { seq: 1843, productId: listingExample.productId, reason: 'updated', listing: listingExample })

export const ListingRemovedEvent = envelope('listing.removed', 'ListingRemovedEvent', Type.Object({
  seq: Type.Integer({ description: 'The change feed position of this change' }),
  productId: Type.String({ format: 'uuid' }),
  reason: StringEnum([...REMOVAL_REASONS], { description: 'Why the product may no longer carry the OCOP mark: drop it now' }),
  listing: Type.Null()
}, { additionalProperties: false }), { seq: 1844, productId: listingExample.productId, reason: 'expired', listing: null })

export const CertificateExpiringEvent = envelope('certificate.expiring', 'CertificateExpiringEvent', Type.Object({
  productId: Type.String({ format: 'uuid' }),
  expiresOn: Type.String({ format: 'date', description: 'The certificate\'s last valid day: the listing is removed the day after (Asia/Ho_Chi_Minh) unless the product is re-recognised' }),
  listing: ref(Listing)
}, { additionalProperties: false }), { productId: listingExample.productId, expiresOn: '2027-11-23', listing: listingExample })

export const listingEventSchemas = [ListingUpsertedEvent, ListingRemovedEvent, CertificateExpiringEvent]
