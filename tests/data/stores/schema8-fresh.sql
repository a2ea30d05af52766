-- The schema-8 store exactly as Rights Monitor 0.1.0 created a fresh one (from its TABLES,
-- commit 7aadcf1): recommendations.kind and reply_status NOT NULL, unlike a store migrated from
-- schema 4. DOUBLE is spelled DOUBLE PRECISION so that PostgreSQL reads it too.
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
CREATE TABLE surveys (
            id VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            map_yaml VARCHAR NOT NULL,
            labels_json VARCHAR NOT NULL,
            data_table VARCHAR NOT NULL,
            respondents INTEGER NOT NULL,
            import_id VARCHAR NOT NULL
        );
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
CREATE TABLE recommendations (
            id VARCHAR PRIMARY KEY,
            mechanism VARCHAR NOT NULL,
            symbol VARCHAR NOT NULL DEFAULT '',
            recipient VARCHAR NOT NULL,
            recommending VARCHAR NOT NULL DEFAULT '',
            session INTEGER,
            cycle INTEGER,
            date DATE,
            text VARCHAR NOT NULL,
            response VARCHAR NOT NULL DEFAULT '',
            action_category INTEGER,
            themes VARCHAR NOT NULL DEFAULT '',
            sdg_targets VARCHAR NOT NULL DEFAULT '',
            agencies VARCHAR NOT NULL DEFAULT '',
            import_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL DEFAULT 'recommendation',
            reply_due DATE,
            reply_status VARCHAR NOT NULL DEFAULT ''
        );
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
CREATE TABLE recommendation_links (
            recommendation VARCHAR NOT NULL,
            indicator VARCHAR NOT NULL,
            target VARCHAR NOT NULL DEFAULT '',
            note VARCHAR NOT NULL DEFAULT '',
            import_id VARCHAR NOT NULL,
            PRIMARY KEY (recommendation, indicator, target)
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
INSERT INTO meta (key, value) VALUES ('schema_version', '8');
