-- A daily snapshot of each assessment's scores (and one at every state
-- change), so trends read the past instead of recomputing it.
CREATE TABLE score_snapshots (
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    day            TEXT NOT NULL,             -- YYYY-MM-DD (WIB)
    state          TEXT NOT NULL,
    self_total     DOUBLE PRECISION NOT NULL,
    tpi_total      DOUBLE PRECISION,
    taken_at       BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, day)
);
