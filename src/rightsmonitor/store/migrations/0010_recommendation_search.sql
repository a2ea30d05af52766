-- Schema 10: the recommendation search index, written at import time so that a query for
-- near-duplicates or theme suggestions reads it instead of rebuilding it over the whole corpus.
-- recommendation_terms: the postings, tf = 1 + ln(count), which depend on each text alone;
-- recommendation_vectors: each term's unit-length TF-IDF weight, tf * idf / norm with
-- idf = ln((1 + N) / (1 + df)) + 1 over the whole stored corpus, rebuilt in the transaction
-- of every recommendations import (the cosine of two recommendations is then one sum).
CREATE TABLE recommendation_terms (
    recommendation VARCHAR NOT NULL,
    term VARCHAR NOT NULL,
    tf DOUBLE PRECISION NOT NULL
);
CREATE TABLE recommendation_vectors (
    recommendation VARCHAR NOT NULL,
    term VARCHAR NOT NULL,
    weight DOUBLE PRECISION NOT NULL
);
