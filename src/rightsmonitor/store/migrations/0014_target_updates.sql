-- Schema 14: dated, attributed implementation updates on a plan's indicator targets (what an
-- agency did towards the target, issue #12), reported through the workspace and approved by a
-- reviewer, with their evidence; the same shape as the action updates of schema 11. A target's
-- progress status still comes from its indicator's data only: these updates never change it.
CREATE TABLE target_updates (
    plan VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    date DATE NOT NULL,
    status VARCHAR NOT NULL,
    reported_by VARCHAR NOT NULL,
    text VARCHAR NOT NULL DEFAULT '',
    import_id VARCHAR NOT NULL,
    PRIMARY KEY (plan, target, date, status, reported_by)
);
CREATE TABLE target_evidence (
    plan VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    date DATE NOT NULL,
    status VARCHAR NOT NULL,
    reported_by VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    title VARCHAR NOT NULL DEFAULT '',
    url VARCHAR,
    file VARCHAR,
    sha256 VARCHAR,
    bytes BIGINT,
    PRIMARY KEY (plan, target, date, status, reported_by, position)
);
