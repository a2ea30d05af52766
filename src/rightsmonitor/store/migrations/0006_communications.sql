-- Schema 6: special-procedure communications and their reply deadlines (issue #5).
ALTER TABLE recommendations ADD COLUMN kind VARCHAR DEFAULT 'recommendation';
ALTER TABLE recommendations ADD COLUMN reply_due DATE;
ALTER TABLE recommendations ADD COLUMN reply_status VARCHAR DEFAULT '';
