-- Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Ids are application-generated text (UUID v7); times are Unix milliseconds.

CREATE TABLE units (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_id   TEXT REFERENCES units (id),
    active      BIGINT NOT NULL, -- 1 or 0: sqlx::Any has no portable boolean
    created_at  BIGINT NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    email          TEXT UNIQUE,
    full_name      TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    active         BIGINT NOT NULL, -- 1 or 0
    created_at     BIGINT NOT NULL
);

CREATE TABLE user_roles (
    id       TEXT PRIMARY KEY,
    user_id  TEXT NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL,
    unit_id  TEXT REFERENCES units (id)
);
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    throttle_key  TEXT NOT NULL,
    failed_at     BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, failed_at);

-- Append-only: the application inserts and never updates or deletes.
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

CREATE TABLE periods (
    id           TEXT PRIMARY KEY,
    year         BIGINT NOT NULL UNIQUE,
    rubric_key   TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
