-- Schema 8: recommendations linked to the indicators and plan targets that evidence them.
CREATE TABLE recommendation_links (
    recommendation VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    target VARCHAR NOT NULL DEFAULT '',
    note VARCHAR NOT NULL DEFAULT '',
    import_id VARCHAR NOT NULL,
    PRIMARY KEY (recommendation, indicator, target)
);
