-- PostgreSQL only: the query joins postings on term, which a scan-based engine (DuckDB) does
-- not need an index for.
CREATE INDEX recommendation_terms_term ON recommendation_terms (term);
CREATE INDEX recommendation_terms_recommendation ON recommendation_terms (recommendation);
