CREATE TABLE "booth_products" (
	"booth_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	CONSTRAINT "booth_products_booth_id_product_id_pk" PRIMARY KEY("booth_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "booths" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fair_id" uuid NOT NULL,
	"number" text NOT NULL,
	"producer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "distribution_partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"country" text DEFAULT 'VN' NOT NULL,
	"tax_code" text,
	"contact_name" text,
	"phone" text,
	"email" text,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"organiser" text NOT NULL,
	"address" text,
	"venue_id" uuid,
	"admin_unit_code" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fairs_dates" CHECK ("fairs"."ends_on" >= "fairs"."starts_on"),
	CONSTRAINT "fairs_place" CHECK ("fairs"."address" IS NOT NULL OR "fairs"."venue_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "mou_products" (
	"mou_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	CONSTRAINT "mou_products_mou_id_product_id_pk" PRIMARY KEY("mou_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "mous" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"producer_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"witness" text,
	"fair_id" uuid,
	"signed_on" date NOT NULL,
	"term_start" date NOT NULL,
	"term_end" date NOT NULL,
	"value_vnd" bigint NOT NULL,
	"market" text NOT NULL,
	"export_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"document_urls" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'signed' NOT NULL,
	"status_reason" text,
	"status_changed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mous_term" CHECK ("mous"."term_end" >= "mous"."term_start"),
	CONSTRAINT "mous_value" CHECK ("mous"."value_vnd" >= 0),
	CONSTRAINT "mous_market" CHECK (("mous"."market" = 'export') = (cardinality("mous"."export_countries") > 0))
);
--> statement-breakpoint
ALTER TABLE "booth_products" ADD CONSTRAINT "booth_products_booth_id_booths_id_fk" FOREIGN KEY ("booth_id") REFERENCES "public"."booths"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booth_products" ADD CONSTRAINT "booth_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booths" ADD CONSTRAINT "booths_fair_id_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."fairs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booths" ADD CONSTRAINT "booths_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fairs" ADD CONSTRAINT "fairs_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fairs" ADD CONSTRAINT "fairs_admin_unit_code_admin_units_code_fk" FOREIGN KEY ("admin_unit_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mou_products" ADD CONSTRAINT "mou_products_mou_id_mous_id_fk" FOREIGN KEY ("mou_id") REFERENCES "public"."mous"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mou_products" ADD CONSTRAINT "mou_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mous" ADD CONSTRAINT "mous_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mous" ADD CONSTRAINT "mous_partner_id_distribution_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."distribution_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mous" ADD CONSTRAINT "mous_fair_id_fairs_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."fairs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "booths_number_idx" ON "booths" USING btree ("fair_id","number");--> statement-breakpoint
CREATE INDEX "booths_producer_idx" ON "booths" USING btree ("producer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "distribution_partners_tax_idx" ON "distribution_partners" USING btree ("country","tax_code") WHERE "distribution_partners"."tax_code" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "distribution_partners_name_idx" ON "distribution_partners" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "fairs_starts_idx" ON "fairs" USING btree ("starts_on","id");--> statement-breakpoint
CREATE INDEX "fairs_unit_idx" ON "fairs" USING btree ("admin_unit_code");--> statement-breakpoint
CREATE INDEX "mous_signed_idx" ON "mous" USING btree ("signed_on","id");--> statement-breakpoint
CREATE INDEX "mous_producer_idx" ON "mous" USING btree ("producer_id");--> statement-breakpoint
CREATE INDEX "mous_partner_idx" ON "mous" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "mous_fair_idx" ON "mous" USING btree ("fair_id");