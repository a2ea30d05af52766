-- Schema 1: catalogues, import provenance and observations (issue #2).
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE sources (
    id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    edition VARCHAR NOT NULL DEFAULT '',
    released VARCHAR NOT NULL DEFAULT '',
    licence VARCHAR NOT NULL DEFAULT '',
    url VARCHAR NOT NULL DEFAULT '',
    retrieved VARCHAR NOT NULL DEFAULT ''
);
CREATE TABLE indicators (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,
    dimension VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    sdg_targets VARCHAR NOT NULL DEFAULT '',
    natural_limit DOUBLE PRECISION,
    definition VARCHAR NOT NULL DEFAULT '',
    publisher VARCHAR NOT NULL DEFAULT ''
);
CREATE TABLE areas (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL
);
CREATE TABLE imports (
    id VARCHAR PRIMARY KEY,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    imported_at VARCHAR NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL
);
CREATE TABLE observations (
    indicator VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    disaggregation VARCHAR NOT NULL DEFAULT '',
    source VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    flag VARCHAR,
    footnote VARCHAR,
    se DOUBLE PRECISION,
    ci_low DOUBLE PRECISION,
    ci_high DOUBLE PRECISION,
    import_id VARCHAR,
    PRIMARY KEY (indicator, area, disaggregation, source, year)
);
INSERT INTO meta (key, value) VALUES ('schema_version', '1');
