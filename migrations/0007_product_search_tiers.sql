DROP INDEX "products_producer_idx";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "search_exact" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "products_search_exact_idx" ON "products" USING gin ("search_exact" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_search_fuzzy_idx" ON "products" USING gist ("search_doc" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_active_name_idx" ON "products" USING btree ("name_vi","id") WHERE "products"."status" = 'active';--> statement-breakpoint
CREATE INDEX "products_producer_idx" ON "products" USING btree ("producer_id","group_148");