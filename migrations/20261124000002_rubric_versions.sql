-- Rubric versions (the LKE structure, weights and formulas) and their WBK/WBBM
-- gates, both as JSON of the domain types. A version is never changed once a
-- period uses it; its gates stay editable by an administrator.
CREATE TABLE rubric_versions (
    key          TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    body         TEXT NOT NULL,
    gates        TEXT NOT NULL,
    builtin      BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
