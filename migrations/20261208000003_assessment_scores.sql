-- Each assessment's scores as the dashboard shows them, written in the same
-- transaction as every write that changes them (answers, the evaluators'
-- lane, evidence, thresholds), so a dashboard view reads one row per
-- assessment instead of every answer. `figures` is the JSON of the domain's
-- `StoredScore` (both lanes' totals, areas, completeness and gate verdicts,
-- coverage, reviewed items); the columns beside it repeat its headline
-- numbers for operators. Rows missing here (assessments older than this
-- table, a restore from an older backup) are filled at startup.
CREATE TABLE assessment_scores (
    assessment_id  TEXT PRIMARY KEY REFERENCES assessments (id),
    rubric_key     TEXT NOT NULL,
    self_total     DOUBLE PRECISION NOT NULL,
    tpi_total      DOUBLE PRECISION,
    figures        TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);
