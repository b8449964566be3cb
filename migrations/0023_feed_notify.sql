-- Readers waiting on the change feed (GET /v1/listings/changes?wait=) are woken when new entries commit:
-- one NOTIFY per statement that appends to the feed, delivered at commit.
CREATE FUNCTION listing_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('listing_changes', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER listing_changes_notify AFTER INSERT ON listing_changes FOR EACH STATEMENT EXECUTE FUNCTION listing_changes_notify();
