CREATE TABLE "recognitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"decision_number" text NOT NULL,
	"decision_date" date NOT NULL,
	"issuing_level" text NOT NULL,
	"star" smallint NOT NULL,
	"certificate_number" text NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date NOT NULL,
	"potential_five_star" boolean DEFAULT false NOT NULL,
	"review_status" text,
	"superseded_by" uuid,
	"superseded_on" date,
	"revoked_on" date,
	"revocation_reference" text,
	"revocation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recognitions_star" CHECK ("recognitions"."star" BETWEEN 3 AND 5),
	CONSTRAINT "recognitions_dates" CHECK ("recognitions"."expires_on" > "recognitions"."issued_on"),
	CONSTRAINT "recognitions_potential" CHECK (NOT "recognitions"."potential_five_star" OR "recognitions"."star" = 4)
);
--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "star" smallint;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "decision_number" text;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "decision_date" date;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recognitions_certificate_idx" ON "recognitions" USING btree ("certificate_number");--> statement-breakpoint
CREATE UNIQUE INDEX "recognitions_evaluation_idx" ON "recognitions" USING btree ("evaluation_id");--> statement-breakpoint
CREATE INDEX "recognitions_product_idx" ON "recognitions" USING btree ("product_id","issued_on");--> statement-breakpoint
CREATE INDEX "recognitions_expiry_idx" ON "recognitions" USING btree ("expires_on");