-- PostgreSQL only: the audit refuses UPDATE, DELETE and TRUNCATE for every role that can write
-- the store, not only through Rights Monitor (DuckDB has no triggers; there the store interface,
-- which has no such method, is the guarantee).
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit is append-only: records are never changed or removed'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();
