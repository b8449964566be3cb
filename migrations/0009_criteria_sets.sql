CREATE TABLE "criteria" (
	"set_key" text NOT NULL,
	"code" text NOT NULL,
	"part" text NOT NULL,
	"title_vi" text NOT NULL,
	"title_en" text NOT NULL,
	"max_points" numeric(5, 2) NOT NULL,
	"mandatory_for" smallint,
	"position" integer NOT NULL,
	CONSTRAINT "criteria_set_key_code_pk" PRIMARY KEY("set_key","code"),
	CONSTRAINT "criteria_max" CHECK ("criteria"."max_points" > 0),
	CONSTRAINT "criteria_mandatory_for" CHECK ("criteria"."mandatory_for" IS NULL OR "criteria"."mandatory_for" BETWEEN 3 AND 5)
);
--> statement-breakpoint
CREATE TABLE "criteria_set_parts" (
	"set_key" text NOT NULL,
	"part" text NOT NULL,
	"title_vi" text NOT NULL,
	"title_en" text NOT NULL,
	"max_points" integer NOT NULL,
	CONSTRAINT "criteria_set_parts_set_key_part_pk" PRIMARY KEY("set_key","part"),
	CONSTRAINT "criteria_set_parts_max" CHECK ("criteria_set_parts"."max_points" > 0 AND "criteria_set_parts"."max_points" <= 100)
);
--> statement-breakpoint
CREATE TABLE "criteria_sets" (
	"key" text PRIMARY KEY NOT NULL,
	"title_vi" text NOT NULL,
	"title_en" text NOT NULL,
	"decision" text NOT NULL,
	"applies_from" date NOT NULL,
	"applies_to" date,
	"taxonomy" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "criteria_sets_dates" CHECK ("criteria_sets"."applies_to" IS NULL OR "criteria_sets"."applies_to" >= "criteria_sets"."applies_from")
);
--> statement-breakpoint
ALTER TABLE "criteria" ADD CONSTRAINT "criteria_part_fk" FOREIGN KEY ("set_key","part") REFERENCES "public"."criteria_set_parts"("set_key","part") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set_parts" ADD CONSTRAINT "criteria_set_parts_set_key_criteria_sets_key_fk" FOREIGN KEY ("set_key") REFERENCES "public"."criteria_sets"("key") ON DELETE cascade ON UPDATE no action;