-- The export's NDJSON line of each listing, kept by PostgreSQL beside the jsonb body: GET /v1/listings/export
-- streams it as stored (jsonb-to-text conversion was most of the export's time).
ALTER TABLE "listings" ADD COLUMN "export_line" text GENERATED ALWAYS AS ('{"type":"listing","listing":' || body::text || '}') STORED NOT NULL;