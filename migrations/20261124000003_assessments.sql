-- Self-assessment: the dates of a period, assessments (unit × period), their
-- answers, and evidence files (content-addressed blobs, linked to LKE items).

-- Dates are ISO `YYYY-MM-DD` text; a period's windows close at the end of the day.
ALTER TABLE periods ADD COLUMN self_start TEXT NOT NULL DEFAULT '';
ALTER TABLE periods ADD COLUMN self_end TEXT NOT NULL DEFAULT '';
ALTER TABLE periods ADD COLUMN review_start TEXT NOT NULL DEFAULT '';
ALTER TABLE periods ADD COLUMN review_end TEXT NOT NULL DEFAULT '';
ALTER TABLE periods ADD COLUMN proposal_deadline TEXT NOT NULL DEFAULT '';
UPDATE periods SET
    self_start = CAST(year AS TEXT) || '-01-01',
    self_end = CAST(year AS TEXT) || '-03-31',
    review_start = CAST(year AS TEXT) || '-04-01',
    review_end = CAST(year AS TEXT) || '-05-15',
    proposal_deadline = CAST(year AS TEXT) || '-05-31';

CREATE TABLE assessments (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT NOT NULL REFERENCES units (id),
    period_id    TEXT NOT NULL REFERENCES periods (id),
    target       TEXT NOT NULL,            -- wbk | wbbm
    state        TEXT NOT NULL,            -- domain::lke::AssessmentState
    self_end_extended TEXT,                -- a later close of the self-assessment window for this unit
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (unit_id, period_id)
);
CREATE INDEX assessments_period ON assessments (period_id);

-- One row per answered LKE item (question, numeric input or Hasil item).
CREATE TABLE answers (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    item_code     TEXT NOT NULL,
    value         TEXT,
    note          TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    updated_by    TEXT REFERENCES users (id),
    PRIMARY KEY (assessment_id, item_code)
);

-- Stored once per content, named by SHA-256 in the blob store.
CREATE TABLE blobs (
    sha256      TEXT PRIMARY KEY,
    size        BIGINT NOT NULL,
    mime        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE evidence (
    id             TEXT PRIMARY KEY,
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    sha256         TEXT NOT NULL REFERENCES blobs (sha256),
    original_name  TEXT NOT NULL,
    uploaded_by    TEXT REFERENCES users (id),
    uploaded_at    BIGINT NOT NULL,
    replaces       TEXT REFERENCES evidence (id),
    replaced_by    TEXT REFERENCES evidence (id),
    deleted_at     BIGINT
);
CREATE INDEX evidence_assessment ON evidence (assessment_id);

-- One file can prove several items without being stored twice.
CREATE TABLE evidence_links (
    evidence_id  TEXT NOT NULL REFERENCES evidence (id),
    item_code    TEXT NOT NULL,
    PRIMARY KEY (evidence_id, item_code)
);
CREATE INDEX evidence_links_item ON evidence_links (item_code);
