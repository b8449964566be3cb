-- The service keeps answers of public catalogue reads in memory (src/db/read-cache.ts) and drops them
-- all when anything those reads show changes: one NOTIFY per statement that writes to a table they read,
-- delivered at commit to every instance, whoever wrote (the API, a seed, an operator's own SQL).
-- Notifications of one transaction with the same payload are delivered once.
-- One trigger function serves every channel (its argument); the change feed's trigger (0023) uses it too.
CREATE FUNCTION notify_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], '');
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER listing_changes_notify ON listing_changes;--> statement-breakpoint
DROP FUNCTION listing_changes_notify();--> statement-breakpoint
CREATE TRIGGER listing_changes_notify AFTER INSERT ON listing_changes FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('listing_changes');--> statement-breakpoint
CREATE TRIGGER products_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER producers_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON producers FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER recognitions_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recognitions FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER craft_villages_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON craft_villages FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER admin_units_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_units FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER admin_unit_links_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_unit_links FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER unit_lists_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_lists FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');--> statement-breakpoint
CREATE TRIGGER product_groups_catalogue_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_groups FOR EACH STATEMENT EXECUTE FUNCTION notify_on_write('catalogue_changes');
