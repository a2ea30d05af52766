-- Schema 13: a count of committed write transactions, which the PostgreSQL backend bumps in
-- every write transaction, so a running portal sees writes that record no import (a catalogue
-- upsert, a treaty-status write, a search re-index) as a change of the store's state. DuckDB
-- does not need it: the portal reads the state of a DuckDB store from its file.
INSERT INTO meta (key, value) VALUES ('write_count', '0');
