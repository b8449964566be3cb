-- Nearby searches: cube + earthdistance (contrib, also in PGlite). The location is a plain cube column
-- kept by a trigger rather than an index on ll_to_earth(...): since PostgreSQL 17, maintenance commands
-- run with a restricted search_path under which earthdistance's SQL functions cannot find earth().
CREATE EXTENSION IF NOT EXISTS cube;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS earthdistance;--> statement-breakpoint
CREATE TABLE "venue_products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"venue_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"since" date NOT NULL,
	"until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venue_products_period" CHECK ("venue_products"."until" IS NULL OR "venue_products"."until" >= "venue_products"."since")
);
--> statement-breakpoint
CREATE TABLE "venues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"location_kind" text NOT NULL,
	"address" text NOT NULL,
	"admin_unit_code" text NOT NULL,
	"craft_village_id" uuid,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"location" "cube",
	"operator_name" text,
	"phone" text,
	"email" text,
	"website" text,
	"opening_hours" jsonb,
	"opened_on" date,
	"closed_on" date,
	"closure_reason" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venues_coordinates" CHECK ("venues"."latitude" BETWEEN -90 AND 90 AND "venues"."longitude" BETWEEN -180 AND 180),
	CONSTRAINT "venues_open_has_date" CHECK ("venues"."status" <> 'open' OR "venues"."opened_on" IS NOT NULL),
	CONSTRAINT "venues_closed" CHECK (("venues"."status" = 'closed') = ("venues"."closed_on" IS NOT NULL)),
	CONSTRAINT "venues_dates" CHECK ("venues"."closed_on" IS NULL OR "venues"."opened_on" IS NULL OR "venues"."closed_on" >= "venues"."opened_on")
);
--> statement-breakpoint
ALTER TABLE "venue_products" ADD CONSTRAINT "venue_products_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."venues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venue_products" ADD CONSTRAINT "venue_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_admin_unit_code_admin_units_code_fk" FOREIGN KEY ("admin_unit_code") REFERENCES "public"."admin_units"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "venues" ADD CONSTRAINT "venues_craft_village_id_craft_villages_id_fk" FOREIGN KEY ("craft_village_id") REFERENCES "public"."craft_villages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "venue_products_current_idx" ON "venue_products" USING btree ("venue_id","product_id") WHERE "venue_products"."until" IS NULL;--> statement-breakpoint
CREATE INDEX "venue_products_venue_idx" ON "venue_products" USING btree ("venue_id","since");--> statement-breakpoint
CREATE INDEX "venue_products_product_idx" ON "venue_products" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "venues_name_idx" ON "venues" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "venues_unit_idx" ON "venues" USING btree ("admin_unit_code");--> statement-breakpoint
CREATE INDEX "venues_village_idx" ON "venues" USING btree ("craft_village_id");--> statement-breakpoint
CREATE INDEX "venues_location_idx" ON "venues" USING gist ("location");--> statement-breakpoint
CREATE FUNCTION venues_location() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.location := ll_to_earth(NEW.latitude, NEW.longitude)::cube;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER venues_location BEFORE INSERT OR UPDATE OF latitude, longitude ON venues
  FOR EACH ROW EXECUTE FUNCTION venues_location();
