-- Schema 5: dated, attributed implementation-status updates (issue #5).
CREATE TABLE recommendation_updates (
    recommendation VARCHAR NOT NULL,
    date DATE NOT NULL,
    status VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    note VARCHAR NOT NULL DEFAULT '',
    agencies VARCHAR NOT NULL DEFAULT '',
    import_id VARCHAR NOT NULL,
    PRIMARY KEY (recommendation, date, status, author)
);
