-- The search document gains its exact-spelling twin (see products.search_exact).
CREATE OR REPLACE FUNCTION products_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_doc := search_text(concat_ws(' ', NEW.name_vi, NEW.name_en,
    (SELECT p.name FROM producers p WHERE p.id = NEW.producer_id),
    (SELECT v.name FROM craft_villages v WHERE v.id = NEW.craft_village_id)));
  NEW.search_exact := lower(concat_ws(' ', NEW.name_vi, NEW.name_en));
  RETURN NEW;
END $$;--> statement-breakpoint
UPDATE products SET name_vi = name_vi;
