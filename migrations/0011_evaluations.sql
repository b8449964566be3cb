CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"criteria_set_key" text NOT NULL,
	"council_level" text NOT NULL,
	"round_year" smallint NOT NULL,
	"round_batch" smallint NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"score" numeric(5, 2),
	"tier" smallint,
	"mandatory_met" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluations_round" CHECK ("evaluations"."round_year" BETWEEN 2018 AND 2100 AND "evaluations"."round_batch" BETWEEN 1 AND 12)
);
--> statement-breakpoint
CREATE TABLE "score_sheets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"member_name" text NOT NULL,
	"points" jsonb NOT NULL,
	"part_totals" jsonb NOT NULL,
	"total" numeric(5, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_sheets_total" CHECK ("score_sheets"."total" BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_criteria_set_key_criteria_sets_key_fk" FOREIGN KEY ("criteria_set_key") REFERENCES "public"."criteria_sets"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_sheets" ADD CONSTRAINT "score_sheets_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evaluations_product_idx" ON "evaluations" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE INDEX "evaluations_status_idx" ON "evaluations" USING btree ("status","council_level");--> statement-breakpoint
CREATE UNIQUE INDEX "score_sheets_member_idx" ON "score_sheets" USING btree ("evaluation_id","member_name");