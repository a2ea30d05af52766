-- PostgreSQL only: the query joins the vectors on term and looks one recommendation up, which
-- a scan-based engine (DuckDB) needs no index for.
CREATE INDEX recommendation_vectors_term ON recommendation_vectors (term);
CREATE INDEX recommendation_vectors_recommendation ON recommendation_vectors (recommendation);
CREATE INDEX recommendation_terms_recommendation ON recommendation_terms (recommendation);
