-- Schema 12: the agency workspace (issue #12). Agencies, users with one role each (and the
-- agency a focal point reports for), API tokens (only their hash), who is assigned which
-- commitment by when, submissions with their life cycle (draft -> submitted -> approved or
-- returned; the payload is the submission's JSON), and the append-only audit: one record per
-- change, written in the transaction of the change, with the state before and after.
-- Times are ISO 8601 text in UTC, as the import records' are.
CREATE TABLE agencies (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    name_zh VARCHAR NOT NULL DEFAULT ''
);
CREATE TABLE users (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    email VARCHAR NOT NULL DEFAULT '',
    role VARCHAR NOT NULL,
    agency VARCHAR,
    password_hash VARCHAR NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until VARCHAR,
    created_at VARCHAR NOT NULL
);
CREATE TABLE api_tokens (
    id VARCHAR PRIMARY KEY,
    token_hash VARCHAR NOT NULL,
    user_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    agency VARCHAR,
    created_at VARCHAR NOT NULL,
    revoked_at VARCHAR
);
CREATE TABLE assignments (
    plan VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    agency VARCHAR NOT NULL,
    due DATE,
    assigned_by VARCHAR NOT NULL,
    assigned_at VARCHAR NOT NULL,
    PRIMARY KEY (plan, subject)
);
CREATE TABLE submissions (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    plan VARCHAR NOT NULL DEFAULT '',
    subject VARCHAR NOT NULL,
    agency VARCHAR NOT NULL DEFAULT '',
    author VARCHAR NOT NULL,
    official BOOLEAN NOT NULL,
    state VARCHAR NOT NULL,
    payload VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL,
    updated_at VARCHAR NOT NULL,
    decided_by VARCHAR,
    decision_note VARCHAR NOT NULL DEFAULT ''
);
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    changed_at VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    operation VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    state_before VARCHAR,
    state_after VARCHAR,
    why VARCHAR NOT NULL DEFAULT ''
);
