-- The certificate timeline (OCOP.md "Recognition, certificate, expiry"; Civil Code 2015, arts. 147-148).
-- expires_on is the last day of validity: the stored dates do not change, their reading does (the
-- product keeps the mark through expires_on). Nothing stored is rewritten except where the first wave
-- left two recognitions of one product in force at once: those overlaps are closed below.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint

-- Mandatory criteria as data: a minimum of mean points per star level. The shipped cards had only the
-- lowest level a criterion binds; it becomes 40%, 60% and 80% of the criterion's maximum at 3, 4 and 5 stars.
ALTER TABLE "criteria" ADD COLUMN "min_points_3" numeric(5, 2);--> statement-breakpoint
ALTER TABLE "criteria" ADD COLUMN "min_points_4" numeric(5, 2);--> statement-breakpoint
ALTER TABLE "criteria" ADD COLUMN "min_points_5" numeric(5, 2);--> statement-breakpoint
UPDATE "criteria" SET
  "min_points_3" = CASE WHEN "mandatory_for" <= 3 THEN round("max_points" * 0.4 * 4) / 4 END,
  "min_points_4" = CASE WHEN "mandatory_for" <= 4 THEN round("max_points" * 0.6 * 4) / 4 END,
  "min_points_5" = CASE WHEN "mandatory_for" <= 5 THEN round("max_points" * 0.8 * 4) / 4 END;--> statement-breakpoint
ALTER TABLE "criteria" DROP CONSTRAINT "criteria_mandatory_for";--> statement-breakpoint
ALTER TABLE "criteria" DROP COLUMN "mandatory_for";--> statement-breakpoint
ALTER TABLE "criteria" ADD CONSTRAINT "criteria_min_points" CHECK (("criteria"."min_points_3" IS NULL OR "criteria"."min_points_3" BETWEEN 0 AND "criteria"."max_points") AND ("criteria"."min_points_4" IS NULL OR "criteria"."min_points_4" BETWEEN 0 AND "criteria"."max_points") AND ("criteria"."min_points_5" IS NULL OR "criteria"."min_points_5" BETWEEN 0 AND "criteria"."max_points"));--> statement-breakpoint

-- Periods of use and quorum as data. QD1048-2019 stays usable for dossiers begun under it until the
-- end of 2023 (the sources do not state the end of the transition: adjustable).
ALTER TABLE "criteria_sets" ADD COLUMN "usable_from" date;--> statement-breakpoint
ALTER TABLE "criteria_sets" ADD COLUMN "usable_until" date;--> statement-breakpoint
ALTER TABLE "criteria_sets" ADD COLUMN "quorum" smallint DEFAULT 3 NOT NULL;--> statement-breakpoint
UPDATE "criteria_sets" SET "usable_from" = "applies_from", "usable_until" = CASE WHEN "key" = 'QD1048-2019' THEN DATE '2023-12-31' ELSE "applies_to" END;--> statement-breakpoint
ALTER TABLE "criteria_sets" ALTER COLUMN "usable_from" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "criteria_sets" ADD CONSTRAINT "criteria_sets_usable" CHECK ("criteria_sets"."usable_until" IS NULL OR "criteria_sets"."usable_until" >= "criteria_sets"."usable_from");--> statement-breakpoint
ALTER TABLE "criteria_sets" ADD CONSTRAINT "criteria_sets_quorum" CHECK ("criteria_sets"."quorum" BETWEEN 1 AND 50);--> statement-breakpoint

-- The central review's outcome is dated, so "potential 5-star on a day" reads the day's state.
ALTER TABLE "recognitions" ADD COLUMN "reviewed_on" date;--> statement-breakpoint
ALTER TABLE "recognitions" ADD COLUMN "review_reference" text;--> statement-breakpoint
UPDATE "recognitions" r SET "reviewed_on" = e.decision_date, "review_reference" = e.decision_number
  FROM (SELECT DISTINCT ON (product_id) product_id, decision_date, decision_number FROM evaluations
        WHERE council_level = 'central' AND status = 'decided' ORDER BY product_id, decision_date DESC) e
  WHERE e.product_id = r.product_id AND r.review_status IN ('confirmed', 'rejected');--> statement-breakpoint
UPDATE "recognitions" SET "reviewed_on" = COALESCE("superseded_on", "issued_on") WHERE "review_status" IN ('confirmed', 'rejected') AND "reviewed_on" IS NULL;--> statement-breakpoint

-- Close overlaps the first wave could leave: each recognition yields to the next one issued.
WITH ordered AS (
  SELECT id, lead(id) OVER w AS next_id, lead(issued_on) OVER w AS next_on FROM recognitions
  WINDOW w AS (PARTITION BY product_id ORDER BY issued_on, created_at, id)
)
UPDATE "recognitions" r SET "superseded_by" = o.next_id, "superseded_on" = o.next_on FROM ordered o
  WHERE o.id = r.id AND o.next_on IS NOT NULL AND o.next_on < LEAST(r.expires_on + 1, r.revoked_on, r.superseded_on);--> statement-breakpoint

-- The one definition of "in force on a day": issued_on <= day < effect_ends_on.
ALTER TABLE "recognitions" ADD COLUMN "effect_ends_on" date GENERATED ALWAYS AS (LEAST(expires_on + 1, revoked_on, superseded_on)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_ends" CHECK (("recognitions"."revoked_on" IS NULL OR "recognitions"."revoked_on" >= "recognitions"."issued_on") AND ("recognitions"."superseded_on" IS NULL OR "recognitions"."superseded_on" >= "recognitions"."issued_on"));--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_review" CHECK (("recognitions"."review_status" IS NULL) = NOT "recognitions"."potential_five_star" AND ("recognitions"."reviewed_on" IS NULL) = ("recognitions"."review_status" IS NOT DISTINCT FROM 'pending' OR "recognitions"."review_status" IS NULL));--> statement-breakpoint
-- One recognition in force per product per day, whatever writes the table.
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_one_in_force" EXCLUDE USING gist ("product_id" WITH =, daterange("issued_on", "effect_ends_on", '[)') WITH &&);--> statement-breakpoint

-- Append-only history: a decision never changes; supersession, revocation, the review's outcome and
-- the expiry notice are set once; nothing is deleted.
CREATE OR REPLACE FUNCTION recognitions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'recognitions are append-only: nothing is deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.product_id, NEW.evaluation_id, NEW.decision_number, NEW.decision_date, NEW.issuing_level, NEW.star,
      NEW.certificate_number, NEW.issued_on, NEW.expires_on, NEW.potential_five_star, NEW.created_at)
     IS DISTINCT FROM (OLD.id, OLD.product_id, OLD.evaluation_id, OLD.decision_number, OLD.decision_date, OLD.issuing_level, OLD.star,
      OLD.certificate_number, OLD.issued_on, OLD.expires_on, OLD.potential_five_star, OLD.created_at) THEN
    RAISE EXCEPTION 'recognition %: a decision never changes', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.superseded_on IS NOT NULL AND (NEW.superseded_on, NEW.superseded_by) IS DISTINCT FROM (OLD.superseded_on, OLD.superseded_by) THEN
    RAISE EXCEPTION 'recognition %: its supersession is recorded once', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_on IS NOT NULL AND (NEW.revoked_on, NEW.revocation_reference, NEW.revocation_reason) IS DISTINCT FROM (OLD.revoked_on, OLD.revocation_reference, OLD.revocation_reason) THEN
    RAISE EXCEPTION 'recognition %: its revocation is recorded once', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.review_status IS DISTINCT FROM 'pending' AND (NEW.review_status, NEW.reviewed_on, NEW.review_reference) IS DISTINCT FROM (OLD.review_status, OLD.reviewed_on, OLD.review_reference) THEN
    RAISE EXCEPTION 'recognition %: the review outcome is recorded once', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.notice_sent_on IS NOT NULL AND NEW.notice_sent_on IS DISTINCT FROM OLD.notice_sent_on THEN
    RAISE EXCEPTION 'recognition %: the expiry notice is recorded once', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER recognitions_append_only BEFORE UPDATE OR DELETE ON recognitions
  FOR EACH ROW EXECUTE FUNCTION recognitions_append_only();--> statement-breakpoint
CREATE TRIGGER recognitions_no_truncate BEFORE TRUNCATE ON recognitions
  FOR EACH STATEMENT EXECUTE FUNCTION recognitions_append_only();--> statement-breakpoint

-- The product's rating is read from the timeline, never kept beside it.
ALTER TABLE "products" DROP COLUMN "current_star";--> statement-breakpoint
ALTER TABLE "products" DROP COLUMN "certificate_number";--> statement-breakpoint
ALTER TABLE "products" DROP COLUMN "certificate_expires_on";--> statement-breakpoint
ALTER TABLE "products" DROP COLUMN "potential_five_star";
