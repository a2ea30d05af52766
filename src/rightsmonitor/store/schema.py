"""The store's relational schema, versioned. Plain SQL that DuckDB and PostgreSQL both accept."""

from __future__ import annotations

SCHEMA_VERSION = 8

OBSERVATION_KEY = ("indicator", "area", "disaggregation", "source", "year")
OBSERVATION_COLUMNS = (
    *OBSERVATION_KEY,
    "value",
    "flag",
    "footnote",
    "se",
    "ci_low",
    "ci_high",
    "import_id",
)

TABLES = {
    "meta": """
        CREATE TABLE meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        )""",
    "sources": """
        CREATE TABLE sources (
            id VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            publisher VARCHAR NOT NULL,
            edition VARCHAR NOT NULL DEFAULT '',
            released VARCHAR NOT NULL DEFAULT '',
            licence VARCHAR NOT NULL DEFAULT '',
            url VARCHAR NOT NULL DEFAULT '',
            retrieved VARCHAR NOT NULL DEFAULT ''
        )""",
    "indicators": """
        CREATE TABLE indicators (
            code VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            unit VARCHAR NOT NULL,
            direction VARCHAR NOT NULL,
            dimension VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            sdg_targets VARCHAR NOT NULL DEFAULT '',
            natural_limit DOUBLE,
            definition VARCHAR NOT NULL DEFAULT '',
            publisher VARCHAR NOT NULL DEFAULT ''
        )""",
    "areas": """
        CREATE TABLE areas (
            code VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            kind VARCHAR NOT NULL
        )""",
    "imports": """
        CREATE TABLE imports (
            id VARCHAR PRIMARY KEY,
            path VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            format VARCHAR NOT NULL,
            imported_at VARCHAR NOT NULL,
            rows_added INTEGER NOT NULL,
            rows_unchanged INTEGER NOT NULL
        )""",
    "surveys": """
        CREATE TABLE surveys (
            id VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            map_yaml VARCHAR NOT NULL,
            labels_json VARCHAR NOT NULL,
            data_table VARCHAR NOT NULL,
            respondents INTEGER NOT NULL,
            import_id VARCHAR NOT NULL
        )""",
    "treaty_status": """
        CREATE TABLE treaty_status (
            treaty VARCHAR NOT NULL,
            area VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            year INTEGER,
            note VARCHAR NOT NULL DEFAULT '',
            source VARCHAR NOT NULL,
            PRIMARY KEY (treaty, area)
        )""",
    "treaty_reports": """
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
        )""",
    "recommendations": """
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
        )""",
    "recommendation_updates": """
        CREATE TABLE recommendation_updates (
            recommendation VARCHAR NOT NULL,
            date DATE NOT NULL,
            status VARCHAR NOT NULL,
            author VARCHAR NOT NULL,
            note VARCHAR NOT NULL DEFAULT '',
            agencies VARCHAR NOT NULL DEFAULT '',
            import_id VARCHAR NOT NULL,
            PRIMARY KEY (recommendation, date, status, author)
        )""",
    "cooperation_activities": """
        CREATE TABLE cooperation_activities (
            activity VARCHAR NOT NULL,
            reporting_org VARCHAR NOT NULL,
            reporting_name VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            recipient VARCHAR NOT NULL,
            sector VARCHAR NOT NULL,
            share DOUBLE NOT NULL,
            version VARCHAR NOT NULL,
            import_id VARCHAR NOT NULL
        )""",
    "cooperation_transactions": """
        CREATE TABLE cooperation_transactions (
            activity VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            date DATE,
            year INTEGER,
            value DOUBLE NOT NULL,
            currency VARCHAR NOT NULL,
            import_id VARCHAR NOT NULL
        )""",
    "recommendation_links": """
        CREATE TABLE recommendation_links (
            recommendation VARCHAR NOT NULL,
            indicator VARCHAR NOT NULL,
            target VARCHAR NOT NULL DEFAULT '',
            note VARCHAR NOT NULL DEFAULT '',
            import_id VARCHAR NOT NULL,
            PRIMARY KEY (recommendation, indicator, target)
        )""",
    "observations": """
        CREATE TABLE observations (
            indicator VARCHAR NOT NULL,
            area VARCHAR NOT NULL,
            disaggregation VARCHAR NOT NULL DEFAULT '',
            source VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            value DOUBLE NOT NULL,
            flag VARCHAR,
            footnote VARCHAR,
            se DOUBLE,
            ci_low DOUBLE,
            ci_high DOUBLE,
            import_id VARCHAR,
            PRIMARY KEY (indicator, area, disaggregation, source, year)
        )""",
}

# A migration creates a table as it was at that version; later migrations alter it. (TABLES
# holds the current definitions, used for new stores.)
RECOMMENDATIONS_V4 = TABLES["recommendations"].replace(
    """,
            kind VARCHAR NOT NULL DEFAULT 'recommendation',
            reply_due DATE,
            reply_status VARCHAR NOT NULL DEFAULT ''
        )""",
    """
        )""",
)
assert TABLES["recommendations"] != RECOMMENDATIONS_V4

# Migrations from version N to N + 1, applied in order inside one transaction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (TABLES["surveys"],),  # 2: perception-survey microdata (issue #4)
    2: (TABLES["treaty_status"], TABLES["treaty_reports"]),  # 3: treaty obligations (issue #5)
    3: (RECOMMENDATIONS_V4,),  # 4: UPR and treaty-body recommendations (issue #5)
    4: (TABLES["recommendation_updates"],),  # 5: dated, attributed implementation status
    5: (  # 6: special-procedure communications and their reply deadlines
        "ALTER TABLE recommendations ADD COLUMN kind VARCHAR DEFAULT 'recommendation'",
        "ALTER TABLE recommendations ADD COLUMN reply_due DATE",
        "ALTER TABLE recommendations ADD COLUMN reply_status VARCHAR DEFAULT ''",
    ),
    6: (TABLES["cooperation_activities"], TABLES["cooperation_transactions"]),  # 7: IATI ledger
    7: (TABLES["recommendation_links"],),  # 8: recommendations linked to indicators and targets
}
