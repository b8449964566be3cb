-- Accent-insensitive and fuzzy search (Vietnamese names): unaccent maps đ and the combining marks away,
-- pg_trgm gives similarity and GIN trigram indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
