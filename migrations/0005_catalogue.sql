CREATE SEQUENCE "public"."product_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "craft_villages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"admin_unit_code" text NOT NULL,
	"trade" text NOT NULL,
	"recognised" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "producers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"tax_code" text,
	"representative" text,
	"address" text NOT NULL,
	"admin_unit_code" text NOT NULL,
	"registered_on" date NOT NULL,
	"craft_village_id" uuid,
	"phone" text,
	"email" text,
	"website" text,
	"social_url" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text DEFAULT ('HN-' || lpad(nextval('product_code_seq')::text, 6, '0')) NOT NULL,
	"producer_id" uuid NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text,
	"description" text,
	"group_148" text,
	"group_1048" text,
	"criteria_set_148" text DEFAULT 'QD148-2023' NOT NULL,
	"criteria_set_1048" text DEFAULT 'QD1048-2019' NOT NULL,
	"unit" text,
	"packaging" text,
	"shelf_life_days" integer,
	"price_vnd" bigint,
	"image_urls" text[] DEFAULT '{}'::text[] NOT NULL,
	"craft_village_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"current_star" smallint,
	"certificate_number" text,
	"certificate_expires_on" date,
	"potential_five_star" boolean DEFAULT false NOT NULL,
	"search_doc" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_price" CHECK ("products"."price_vnd" IS NULL OR "products"."price_vnd" >= 0),
	CONSTRAINT "products_criteria_sets" CHECK ("products"."criteria_set_148" = 'QD148-2023' AND "products"."criteria_set_1048" = 'QD1048-2019')
);
--> statement-breakpoint
ALTER TABLE "admin_units" ADD COLUMN "former_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "craft_villages" ADD CONSTRAINT "craft_villages_admin_unit_code_admin_units_code_fk" FOREIGN KEY ("admin_unit_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "producers" ADD CONSTRAINT "producers_admin_unit_code_admin_units_code_fk" FOREIGN KEY ("admin_unit_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "producers" ADD CONSTRAINT "producers_craft_village_id_craft_villages_id_fk" FOREIGN KEY ("craft_village_id") REFERENCES "public"."craft_villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_producer_id_producers_id_fk" FOREIGN KEY ("producer_id") REFERENCES "public"."producers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_craft_village_id_craft_villages_id_fk" FOREIGN KEY ("craft_village_id") REFERENCES "public"."craft_villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_group148_fk" FOREIGN KEY ("criteria_set_148","group_148") REFERENCES "public"."product_groups"("criteria_set","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_group1048_fk" FOREIGN KEY ("criteria_set_1048","group_1048") REFERENCES "public"."product_groups"("criteria_set","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "craft_villages_name_unit_idx" ON "craft_villages" USING btree ("name","admin_unit_code");--> statement-breakpoint
CREATE INDEX "craft_villages_unit_idx" ON "craft_villages" USING btree ("admin_unit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "producers_tax_code_idx" ON "producers" USING btree ("tax_code") WHERE "producers"."tax_code" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "producers_unit_idx" ON "producers" USING btree ("admin_unit_code");--> statement-breakpoint
CREATE INDEX "producers_name_idx" ON "producers" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "producers_updated_idx" ON "producers" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "producers_village_idx" ON "producers" USING btree ("craft_village_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_code_idx" ON "products" USING btree ("code");--> statement-breakpoint
CREATE INDEX "products_producer_idx" ON "products" USING btree ("producer_id");--> statement-breakpoint
CREATE INDEX "products_name_idx" ON "products" USING btree ("name_vi","id");--> statement-breakpoint
CREATE INDEX "products_updated_idx" ON "products" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "products_group148_idx" ON "products" USING btree ("group_148");--> statement-breakpoint
CREATE INDEX "products_group1048_idx" ON "products" USING btree ("group_1048");--> statement-breakpoint
CREATE INDEX "products_village_idx" ON "products" USING btree ("craft_village_id");--> statement-breakpoint
CREATE INDEX "products_search_idx" ON "products" USING gin ("search_doc" gin_trgm_ops);