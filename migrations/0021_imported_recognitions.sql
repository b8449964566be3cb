ALTER TABLE "recognitions" ALTER COLUMN "evaluation_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "recognitions" ADD COLUMN "source" text DEFAULT 'decision' NOT NULL;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_source" CHECK (("recognitions"."source" = 'decision') = ("recognitions"."evaluation_id" IS NOT NULL));