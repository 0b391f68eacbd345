-- Registry schema (PostgreSQL). Times are RFC 3339 UTC text, like the SQLite schema.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE authors (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    github_username TEXT,
    is_admin        BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    author_id    BIGINT NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'publish', 'admin')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);

CREATE TABLE skills (
    id          BIGSERIAL PRIMARY KEY,
    author_id   BIGINT NOT NULL REFERENCES authors(id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    tags        TEXT NOT NULL DEFAULT '',
    latest_version_id BIGINT,
    downloads   BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    search      TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') ||
        setweight(to_tsvector('english', coalesce(tags, '')), 'B') ||
        setweight(to_tsvector('english', author_name), 'B') ||
        setweight(to_tsvector('english', description), 'C')
    ) STORED,
    UNIQUE (author_id, name)
);
CREATE INDEX skills_search_idx ON skills USING GIN (search);
CREATE INDEX skills_name_trgm_idx ON skills USING GIN ((name || ' ' || description) gin_trgm_ops);

CREATE TABLE versions (
    id              BIGSERIAL PRIMARY KEY,
    skill_id        BIGINT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    version         TEXT NOT NULL,
    integrity       TEXT NOT NULL,
    size            BIGINT NOT NULL,
    manifest        TEXT NOT NULL,
    content         TEXT NOT NULL,
    published_at    TEXT NOT NULL,
    publisher_id    BIGINT NOT NULL REFERENCES authors(id),
    yanked          BIGINT NOT NULL DEFAULT 0,
    safety_status   TEXT NOT NULL DEFAULT 'clean',
    safety_score    DOUBLE PRECISION,
    safety_findings TEXT NOT NULL DEFAULT '[]',
    trust_level     TEXT NOT NULL DEFAULT 'community',
    tokens_estimate BIGINT NOT NULL DEFAULT 0,
    UNIQUE (skill_id, version)
);

CREATE TABLE dependencies (
    version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    dep_author TEXT NOT NULL,
    dep_name   TEXT NOT NULL,
    req        TEXT NOT NULL,
    PRIMARY KEY (version_id, dep_author, dep_name)
);
