CREATE TABLE "listing_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "listing_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"listing" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"product_id" uuid PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"recognition_id" uuid NOT NULL,
	"star" smallint NOT NULL,
	"expires_on" date NOT NULL,
	"producer_id" uuid NOT NULL,
	"admin_unit_code" text NOT NULL,
	"group_148" text,
	"name" text NOT NULL,
	"expiring_notice_for" date,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listing_changes_product_idx" ON "listing_changes" USING btree ("product_id","seq");--> statement-breakpoint
CREATE INDEX "listings_expires_idx" ON "listings" USING btree ("expires_on");--> statement-breakpoint
CREATE INDEX "listings_producer_idx" ON "listings" USING btree ("producer_id");--> statement-breakpoint
CREATE INDEX "listings_unit_idx" ON "listings" USING btree ("admin_unit_code");