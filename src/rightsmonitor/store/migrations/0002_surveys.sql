-- Schema 2: perception-survey microdata (issue #4).
CREATE TABLE surveys (
    id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    map_yaml VARCHAR NOT NULL,
    labels_json VARCHAR NOT NULL,
    data_table VARCHAR NOT NULL,
    respondents INTEGER NOT NULL,
    import_id VARCHAR NOT NULL
);
