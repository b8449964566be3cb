-- Deliveries follow Standard Webhooks from here on. The endpoints registered before keep receiving the
-- OCOP-Webhook-* headers as well, so their verifiers keep working, until their next secret rotation.
ALTER TABLE "webhook_endpoints" ADD COLUMN "legacy_headers" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "webhook_endpoints" SET "legacy_headers" = true;
