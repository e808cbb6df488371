-- Review by internal evaluators (TPI): teams, the evaluator's lane, decisions,
-- and the predicates the national team (TPN) awards.

CREATE TABLE assignments (
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    lead           BIGINT NOT NULL, -- 1 or 0
    assigned_at    BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, user_id)
);
CREATE INDEX assignments_user ON assignments (user_id);

-- The evaluator's lane: one row per item the team has reviewed. An item without
-- a row takes the unit's answer. `version` grows by one on every save of the
-- row, so a save made from an older version is refused instead of overwriting.
CREATE TABLE reviews (
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    item_code      TEXT NOT NULL,
    value          TEXT,
    note           TEXT NOT NULL,
    status         TEXT,               -- domain::review::ReviewStatus
    version        BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    updated_by     TEXT REFERENCES users (id),
    PRIMARY KEY (assessment_id, item_code)
);

-- The last return to the unit (its summary, and when, to highlight what changed
-- since), and the verdict recorded at finalization.
ALTER TABLE assessments ADD COLUMN returned_at BIGINT;
ALTER TABLE assessments ADD COLUMN return_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN finalized_at BIGINT;
ALTER TABLE assessments ADD COLUMN final_verdict TEXT;

-- The national team's decisions: a unit's predicate history.
CREATE TABLE predicates (
    id             TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units (id),
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    predicate      TEXT NOT NULL,      -- wbk | wbbm
    awarded        BIGINT NOT NULL,    -- 1 or 0
    decided_on     TEXT NOT NULL,      -- YYYY-MM-DD
    decree         TEXT NOT NULL,
    recorded_at    BIGINT NOT NULL,
    recorded_by    TEXT REFERENCES users (id)
);
CREATE INDEX predicates_unit ON predicates (unit_id);
