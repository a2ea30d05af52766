-- Schema 9: every import keeps its own provenance record, keyed on the file's hash *and* the
-- options that shaped its rows (before, importing one file as two indicators overwrote the
-- first record); and the recommendations table is the same whether it was created at
-- schema 6 or migrated from schema 4 (kind and reply_status NOT NULL in both).
UPDATE recommendations SET kind = 'recommendation' WHERE kind IS NULL;
UPDATE recommendations SET reply_status = '' WHERE reply_status IS NULL;
ALTER TABLE recommendations ALTER COLUMN kind SET NOT NULL;
ALTER TABLE recommendations ALTER COLUMN reply_status SET NOT NULL;
CREATE TABLE imports_v9 (
    id VARCHAR PRIMARY KEY,
    key VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    options VARCHAR NOT NULL DEFAULT '',
    imported_at VARCHAR NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL
);
-- Before schema 9 the sha256 column held the deduplication key: the file's hash, or the hash
-- followed by ':' and the options, or the key of a computed figure. Records keep that key;
-- sha256 keeps the file's hash where the key began with one; options keep the old text.
INSERT INTO imports_v9 (id, key, path, sha256, format, options, imported_at, rows_added,
                        rows_unchanged)
SELECT id,
       sha256,
       path,
       CASE WHEN length(sha256) >= 64 THEN substr(sha256, 1, 64) ELSE '' END,
       format,
       CASE WHEN length(sha256) > 65 THEN substr(sha256, 66) ELSE '' END,
       imported_at,
       rows_added,
       rows_unchanged
FROM imports;
DROP TABLE imports;
ALTER TABLE imports_v9 RENAME TO imports;
