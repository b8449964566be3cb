CREATE TABLE "targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"source" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"measure" text NOT NULL,
	"min_star" smallint,
	"venue_type" text,
	"admin_unit_list" text,
	"admin_unit_code" text,
	"product_group" text,
	"number" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_period" CHECK ("targets"."period_to" >= "targets"."period_from"),
	CONSTRAINT "targets_number" CHECK ("targets"."number" > 0),
	CONSTRAINT "targets_star" CHECK (("targets"."measure" IN ('products-in-force', 'products-newly-recognised')) = ("targets"."min_star" IS NOT NULL) AND ("targets"."min_star" IS NULL OR "targets"."min_star" BETWEEN 3 AND 5)),
	CONSTRAINT "targets_venue_type" CHECK ("targets"."venue_type" IS NULL OR "targets"."measure" = 'venues-open'),
	CONSTRAINT "targets_group" CHECK ("targets"."product_group" IS NULL OR "targets"."measure" <> 'venues-open'),
	CONSTRAINT "targets_unit" CHECK (("targets"."admin_unit_list" IS NULL) = ("targets"."admin_unit_code" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_admin_unit_fk" FOREIGN KEY ("admin_unit_list","admin_unit_code") REFERENCES "public"."admin_units"("list","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The programme's published targets (README, "Targets"), each with the words it was published in.
INSERT INTO "targets" ("id", "name_vi", "name_en", "source", "period_from", "period_to", "measure", "min_star", "number") VALUES
  ('0c0b7a60-2020-4000-8000-000000000001', 'Ít nhất 500 sản phẩm OCOP đạt từ 3 sao trở lên đến năm 2020', 'At least 500 OCOP products of 3 stars and up by 2020',
   'Hanoi OCOP programme 2019-2020, as published by the city: "ít nhất 500 sản phẩm OCOP đạt từ 3 sao trở lên đến năm 2020" (reported met: 630 products at the end of 2020)', '2019-01-01', '2020-12-31', 'products-in-force', 3, 500),
  ('0c0b7a60-2025-4000-8000-000000000002', 'Thêm 2.000 sản phẩm OCOP đạt từ 3 sao trở lên đến năm 2025', 'An additional 2,000 OCOP products rated three stars and above by 2025',
   'Hanoi OCOP programme 2021-2025, as reported (hanoidep.vn): "Hà Nội phấn đấu đến năm 2025 có thêm 2.000 sản phẩm OCOP được chứng nhận đạt từ 3 sao trở lên"', '2021-01-01', '2025-12-31', 'products-newly-recognised', 3, 2000),
  ('0c0b7a60-2025-4000-8000-000000000003', 'Ít nhất 2.000 sản phẩm được đánh giá, phân hạng trong 5 năm', 'At least 2,000 products evaluated and classified in the next five years',
   'Hanoi OCOP programme 2021-2025, as the programme reports it: "at least 2,000 products evaluated and classified in the next five years"', '2021-01-01', '2025-12-31', 'evaluations-decided', NULL, 2000),
  ('0c0b7a60-2020-4000-8000-000000000004', 'Ít nhất 500 biên bản ghi nhớ giữa chủ thể OCOP và kênh phân phối năm 2020', 'At least 500 MOUs between OCOP businesses and distribution channels in 2020',
   'Hanoi OCOP trade promotion 2020, as published: "at least 500 MOUs between OCOP businesses and distribution channels in 2020"', '2020-01-01', '2020-12-31', 'mous-signed', NULL, 500);
