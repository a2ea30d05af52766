-- Schema 3: treaty ratification status and the reporting calendar (issue #5).
CREATE TABLE treaty_status (
    treaty VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    year INTEGER,
    note VARCHAR NOT NULL DEFAULT '',
    source VARCHAR NOT NULL,
    PRIMARY KEY (treaty, area)
);
CREATE TABLE treaty_reports (
    treaty VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    report VARCHAR NOT NULL,
    due DATE,
    submitted DATE,
    reviewed DATE,
    next_due DATE,
    symbol VARCHAR NOT NULL DEFAULT '',
    import_id VARCHAR NOT NULL,
    PRIMARY KEY (treaty, area, report)
);
