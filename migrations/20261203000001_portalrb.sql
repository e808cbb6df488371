-- PortalRB pulls proposals and answers with a Bearer token; what it may do
-- is the token's scope. Only the SHA-256 of a token's secret is kept.
CREATE TABLE api_tokens (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    scope          TEXT NOT NULL,            -- domain::portalrb::TokenScope
    secret_sha256  TEXT NOT NULL UNIQUE,
    created_at     BIGINT NOT NULL,
    created_by     TEXT REFERENCES users (id),
    last_used_at   BIGINT,
    revoked_at     BIGINT
);

-- Every call PortalRB made: when, with which token, what, and what it got.
CREATE TABLE portalrb_calls (
    id             TEXT PRIMARY KEY,
    at             BIGINT NOT NULL,
    token_id       TEXT REFERENCES api_tokens (id),
    endpoint       TEXT NOT NULL,
    unit_code      TEXT,
    assessment_id  TEXT REFERENCES assessments (id),
    status         BIGINT NOT NULL,
    answered_unit  BIGINT,                   -- soal with the unit's answer in the reply
    answered_tpi   BIGINT,                   -- soal with the evaluators' answer
    with_evidence  BIGINT                    -- soal with an evidence link
);
CREATE INDEX portalrb_calls_token ON portalrb_calls (token_id, at);
CREATE INDEX portalrb_calls_assessment ON portalrb_calls (assessment_id, at);

-- The link a national evaluator opens without an account: the current files
-- of one assessment's items, until `valid_until` (a WIB day) or revocation.
-- The secret is the link itself, so it is kept to hand out the same link on
-- every fetch.
CREATE TABLE evidence_shares (
    id             TEXT PRIMARY KEY,
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    secret         TEXT NOT NULL UNIQUE,
    valid_until    TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    revoked_at     BIGINT,
    revoked_by     TEXT REFERENCES users (id)
);
CREATE INDEX evidence_shares_assessment ON evidence_shares (assessment_id);
