-- Schema 7: the development-cooperation ledger from IATI activity files (issue #5).
CREATE TABLE cooperation_activities (
    activity VARCHAR NOT NULL,
    reporting_org VARCHAR NOT NULL,
    reporting_name VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    recipient VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    share DOUBLE PRECISION NOT NULL,
    version VARCHAR NOT NULL,
    import_id VARCHAR NOT NULL
);
CREATE TABLE cooperation_transactions (
    activity VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    date DATE,
    year INTEGER,
    value DOUBLE PRECISION NOT NULL,
    currency VARCHAR NOT NULL,
    import_id VARCHAR NOT NULL
);
