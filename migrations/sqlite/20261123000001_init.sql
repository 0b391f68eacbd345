-- Registry schema (SQLite). Times are RFC 3339 UTC text, which sorts chronologically.
CREATE TABLE authors (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL UNIQUE,
    github_username TEXT,
    is_admin        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id    INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'publish', 'admin')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);

CREATE TABLE skills (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id   INTEGER NOT NULL REFERENCES authors(id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    tags        TEXT NOT NULL DEFAULT '',
    latest_version_id INTEGER,
    downloads   INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (author_id, name)
);

CREATE TABLE versions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    skill_id        INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    version         TEXT NOT NULL,
    integrity       TEXT NOT NULL,
    size            INTEGER NOT NULL,
    manifest        TEXT NOT NULL,
    content         TEXT NOT NULL,
    published_at    TEXT NOT NULL,
    publisher_id    INTEGER NOT NULL REFERENCES authors(id),
    yanked          INTEGER NOT NULL DEFAULT 0,
    safety_status   TEXT NOT NULL DEFAULT 'clean',
    safety_score    REAL,
    safety_findings TEXT NOT NULL DEFAULT '[]',
    trust_level     TEXT NOT NULL DEFAULT 'community',
    tokens_estimate INTEGER NOT NULL DEFAULT 0,
    UNIQUE (skill_id, version)
);

CREATE TABLE dependencies (
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    dep_author TEXT NOT NULL,
    dep_name   TEXT NOT NULL,
    req        TEXT NOT NULL,
    PRIMARY KEY (version_id, dep_author, dep_name)
);

-- Full-text search over name, description, tags and author; rowid = skills.id.
CREATE VIRTUAL TABLE skills_fts USING fts5(name, description, tags, author, tokenize = 'porter unicode61');
