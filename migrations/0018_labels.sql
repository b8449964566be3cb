CREATE TABLE "label_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"recognition_id" uuid NOT NULL,
	"first_serial" bigint NOT NULL,
	"last_serial" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"funded_by_city" boolean DEFAULT false NOT NULL,
	"printer" text,
	"ordered_on" date NOT NULL,
	"secret" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"void_reason" text,
	"voided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "label_batches_range" CHECK ("label_batches"."last_serial" = "label_batches"."first_serial" + "label_batches"."quantity" - 1 AND "label_batches"."quantity" BETWEEN 1 AND 100000)
);
--> statement-breakpoint
CREATE TABLE "label_serials" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"next" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "label_serials_one_row" CHECK ("label_serials"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "label_verifications" (
	"serial" bigint PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "label_batches" ADD CONSTRAINT "label_batches_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_batches" ADD CONSTRAINT "label_batches_recognition_id_recognitions_id_fk" FOREIGN KEY ("recognition_id") REFERENCES "public"."recognitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_verifications" ADD CONSTRAINT "label_verifications_batch_id_label_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."label_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "label_batches_serial_idx" ON "label_batches" USING btree ("first_serial");--> statement-breakpoint
CREATE INDEX "label_batches_product_idx" ON "label_batches" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE INDEX "label_batches_recognition_idx" ON "label_batches" USING btree ("recognition_id");--> statement-breakpoint
-- The serial counter: one row, from serial 1 (HN000000001).
INSERT INTO "label_serials" ("id", "next") VALUES (1, 1) ON CONFLICT DO NOTHING;
