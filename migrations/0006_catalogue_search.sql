-- unaccent() is STABLE (it reads a dictionary), so it cannot appear in an index; this wrapper pins the
-- dictionary and is IMMUTABLE. unaccent maps đ/Đ and every Vietnamese diacritic to ASCII, so lower()
-- applied after it does not depend on the database's locale.
-- Names are schema-qualified: PostgreSQL 17 runs index expressions with a restricted search_path.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION search_text(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.f_unaccent($1)) $$;--> statement-breakpoint

-- A product's search document: both names, the producer's name and the craft village's name.
CREATE OR REPLACE FUNCTION products_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_doc := search_text(concat_ws(' ', NEW.name_vi, NEW.name_en,
    (SELECT p.name FROM producers p WHERE p.id = NEW.producer_id),
    (SELECT v.name FROM craft_villages v WHERE v.id = NEW.craft_village_id)));
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER products_search_doc BEFORE INSERT OR UPDATE OF name_vi, name_en, producer_id, craft_village_id ON products
  FOR EACH ROW EXECUTE FUNCTION products_search_doc();--> statement-breakpoint

-- Renaming a producer or a craft village rewrites the documents of its products.
CREATE OR REPLACE FUNCTION producers_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products SET producer_id = producer_id WHERE producer_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER producers_search_doc AFTER UPDATE OF name ON producers
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION producers_search_doc();--> statement-breakpoint
CREATE OR REPLACE FUNCTION craft_villages_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products SET craft_village_id = craft_village_id WHERE craft_village_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER craft_villages_search_doc AFTER UPDATE OF name ON craft_villages
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION craft_villages_search_doc();--> statement-breakpoint

CREATE INDEX producers_search_idx ON producers USING gin (search_text(name) gin_trgm_ops);--> statement-breakpoint

-- Craft villages named in ../shared/OCOP.md (trade as published; recognition as far as the sources say).
INSERT INTO craft_villages (name, admin_unit_code, trade, recognised) VALUES
  ('Bát Tràng', '018', 'Gốm sứ (ceramics)', true),
  ('Vạn Phúc', '268', 'Dệt lụa (silk weaving)', true),
  ('Duyên Thái', '279', 'Sơn mài (lacquerware)', true),
  ('Hà Thái', '279', 'Sơn mài (lacquerware)', true),
  ('Chuyên Mỹ', '280', 'Khảm trai (mother-of-pearl inlay)', true),
  ('Vân Từ', '280', 'May (tailoring)', true),
  ('Sơn Hà', '280', 'Mộc (woodworking)', true),
  ('Phú Vinh', '277', 'Mây tre đan (rattan and bamboo weaving)', true),
  ('Đường Lâm', '269', 'Làng cổ, chế biến nông sản (ancient village, food processing)', true),
  ('Sài Sơn', '275', 'Du lịch làng nghề (craft village tourism)', false),
  ('Hồng Vân', '279', 'Du lịch cộng đồng (community tourism)', false);
