-- Schema 10: the recommendation search index, written at import time so that a query for
-- near-duplicates or theme suggestions reads it instead of rebuilding it (TF-IDF postings:
-- tf = 1 + ln(count) per recommendation and term; idf and vector norms over the whole
-- stored corpus, recomputed in the transaction of every recommendations import).
CREATE TABLE recommendation_terms (
    recommendation VARCHAR NOT NULL,
    term VARCHAR NOT NULL,
    tf DOUBLE PRECISION NOT NULL
);
CREATE TABLE recommendation_idf (
    term VARCHAR PRIMARY KEY,
    idf DOUBLE PRECISION NOT NULL
);
CREATE TABLE recommendation_norms (
    recommendation VARCHAR PRIMARY KEY,
    norm DOUBLE PRECISION NOT NULL
);
