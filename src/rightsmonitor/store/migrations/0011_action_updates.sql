-- Schema 11: dated, attributed updates on the actions of a plan (issue #11), and the evidence
-- each rests on: a link, or a file named by its SHA-256 and size. An update is identified by
-- its plan, action, date, status and reporter, as a recommendation update is (schema 5).
CREATE TABLE action_updates (
    plan VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    date DATE NOT NULL,
    status VARCHAR NOT NULL,
    reported_by VARCHAR NOT NULL,
    text VARCHAR NOT NULL DEFAULT '',
    import_id VARCHAR NOT NULL,
    PRIMARY KEY (plan, action, date, status, reported_by)
);
CREATE TABLE action_evidence (
    plan VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    date DATE NOT NULL,
    status VARCHAR NOT NULL,
    reported_by VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    title VARCHAR NOT NULL DEFAULT '',
    url VARCHAR,
    file VARCHAR,
    sha256 VARCHAR,
    bytes BIGINT,
    PRIMARY KEY (plan, action, date, status, reported_by, position)
);
