CREATE TABLE "admin_units" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"province_code" text DEFAULT '01' NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	CONSTRAINT "admin_units_validity" CHECK ("admin_units"."valid_to" IS NULL OR "admin_units"."valid_to" >= "admin_units"."valid_from"),
	CONSTRAINT "admin_units_kind_level" CHECK (("admin_units"."level" = 'district' AND "admin_units"."kind" IN ('urban_district', 'town', 'rural_district')) OR ("admin_units"."level" = 'commune' AND "admin_units"."kind" IN ('ward', 'commune')))
);
--> statement-breakpoint
CREATE TABLE "product_group_mappings" (
	"from_set" text NOT NULL,
	"from_code" text NOT NULL,
	"to_set" text NOT NULL,
	"to_code" text NOT NULL,
	CONSTRAINT "product_group_mappings_from_set_from_code_to_set_to_code_pk" PRIMARY KEY("from_set","from_code","to_set","to_code")
);
--> statement-breakpoint
CREATE TABLE "product_groups" (
	"criteria_set" text NOT NULL,
	"code" text NOT NULL,
	"parent_code" text,
	"level" smallint NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "product_groups_criteria_set_code_pk" PRIMARY KEY("criteria_set","code"),
	CONSTRAINT "product_groups_level" CHECK ("product_groups"."level" IN (1, 2) AND (("product_groups"."level" = 1) = ("product_groups"."parent_code" IS NULL)))
);
--> statement-breakpoint
ALTER TABLE "product_group_mappings" ADD CONSTRAINT "product_group_mappings_from_fk" FOREIGN KEY ("from_set","from_code") REFERENCES "public"."product_groups"("criteria_set","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_group_mappings" ADD CONSTRAINT "product_group_mappings_to_fk" FOREIGN KEY ("to_set","to_code") REFERENCES "public"."product_groups"("criteria_set","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_groups" ADD CONSTRAINT "product_groups_parent_fk" FOREIGN KEY ("criteria_set","parent_code") REFERENCES "public"."product_groups"("criteria_set","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_units_level_idx" ON "admin_units" USING btree ("level","valid_from");