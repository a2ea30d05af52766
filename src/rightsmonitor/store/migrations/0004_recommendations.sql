-- Schema 4: UPR and treaty-body recommendations (issue #5).
CREATE TABLE recommendations (
    id VARCHAR PRIMARY KEY,
    mechanism VARCHAR NOT NULL,
    symbol VARCHAR NOT NULL DEFAULT '',
    recipient VARCHAR NOT NULL,
    recommending VARCHAR NOT NULL DEFAULT '',
    session INTEGER,
    cycle INTEGER,
    date DATE,
    text VARCHAR NOT NULL,
    response VARCHAR NOT NULL DEFAULT '',
    action_category INTEGER,
    themes VARCHAR NOT NULL DEFAULT '',
    sdg_targets VARCHAR NOT NULL DEFAULT '',
    agencies VARCHAR NOT NULL DEFAULT '',
    import_id VARCHAR NOT NULL
);
