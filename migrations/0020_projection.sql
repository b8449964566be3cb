CREATE TABLE "listing_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "listing_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"product_id" uuid NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- What a listing shows, and so what queues its product for the projector (src/modules/listings/projector.ts).
-- Written here once, in the changing transaction: no writer needs to know listings exist.
CREATE FUNCTION listing_outbox_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'products' THEN
    INSERT INTO listing_outbox (product_id) VALUES (NEW.id);
  ELSIF TG_TABLE_NAME = 'recognitions' THEN
    INSERT INTO listing_outbox (product_id) VALUES (NEW.product_id);
  ELSIF TG_TABLE_NAME = 'producers' THEN
    INSERT INTO listing_outbox (product_id) SELECT product_id FROM listings WHERE producer_id = NEW.id;
  ELSIF TG_TABLE_NAME = 'venues' THEN
    INSERT INTO listing_outbox (product_id) SELECT DISTINCT product_id FROM venue_products WHERE venue_id = NEW.id;
  ELSIF TG_TABLE_NAME = 'venue_products' THEN
    IF TG_OP <> 'INSERT' THEN INSERT INTO listing_outbox (product_id) VALUES (OLD.product_id); END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.product_id <> OLD.product_id) THEN INSERT INTO listing_outbox (product_id) VALUES (NEW.product_id); END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER products_listing_outbox AFTER UPDATE ON products FOR EACH ROW
  WHEN ((OLD.status, OLD.code, OLD.name_vi, OLD.name_en, OLD.group_148, OLD.image_urls, OLD.producer_id) IS DISTINCT FROM (NEW.status, NEW.code, NEW.name_vi, NEW.name_en, NEW.group_148, NEW.image_urls, NEW.producer_id))
  EXECUTE FUNCTION listing_outbox_products();
--> statement-breakpoint
CREATE TRIGGER recognitions_listing_outbox AFTER INSERT OR UPDATE ON recognitions FOR EACH ROW EXECUTE FUNCTION listing_outbox_products();
--> statement-breakpoint
CREATE TRIGGER producers_listing_outbox AFTER UPDATE ON producers FOR EACH ROW
  WHEN ((OLD.name, OLD.admin_unit_code) IS DISTINCT FROM (NEW.name, NEW.admin_unit_code))
  EXECUTE FUNCTION listing_outbox_products();
--> statement-breakpoint
CREATE TRIGGER venues_listing_outbox AFTER UPDATE ON venues FOR EACH ROW
  WHEN ((OLD.name, OLD.status) IS DISTINCT FROM (NEW.name, NEW.status))
  EXECUTE FUNCTION listing_outbox_products();
--> statement-breakpoint
CREATE TRIGGER venue_products_listing_outbox AFTER INSERT OR UPDATE OR DELETE ON venue_products FOR EACH ROW EXECUTE FUNCTION listing_outbox_products();
