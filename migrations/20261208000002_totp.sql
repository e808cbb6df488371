-- A second factor (TOTP, RFC 6238) per user. The shared secret (base32) must
-- be readable to check codes; `last_step` is the newest time step accepted,
-- so a code is accepted once (a replay within its window is refused).
CREATE TABLE user_totp (
    user_id     TEXT PRIMARY KEY REFERENCES users (id),
    secret      TEXT NOT NULL,
    enabled_at  BIGINT NOT NULL,
    last_step   BIGINT NOT NULL
);

-- Single-use recovery codes, kept only as their SHA-256.
CREATE TABLE totp_recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users (id),
    code_sha256 TEXT NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (user_id, code_sha256)
);
