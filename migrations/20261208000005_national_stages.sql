-- The national stages after a proposal (domain::national): one row per
-- stage recorded for an assessment, never changed or removed; the current
-- stage is the one with the highest `seq`. (assessment_id, seq) is unique,
-- so two administrators recording the next stage at once cannot both
-- advance it. The final result (predicate or none, decree, date) is the last
-- stage: the `predicates` table it replaces is carried over and dropped.
CREATE TABLE national_stages (
    id             TEXT PRIMARY KEY,
    assessment_id  TEXT NOT NULL REFERENCES assessments (id),
    seq            BIGINT NOT NULL,          -- 1, 2, … per assessment
    stage          TEXT NOT NULL,            -- domain::national::StageKind
    outcome        TEXT,                     -- lulus | lulus_dengan_catatan | tidak_lulus; diterima | ditolak; wbk | wbbm | none
    held_on        TEXT NOT NULL,            -- YYYY-MM-DD: announced, filed, held or decreed
    notes          TEXT NOT NULL,
    window_start   TEXT,                     -- the sanggah's window
    window_end     TEXT,
    links          TEXT NOT NULL,            -- the evidence links a sanggah cites, one per line
    decree         TEXT NOT NULL,            -- the final result's decree number
    recorded_at    BIGINT NOT NULL,
    recorded_by    TEXT REFERENCES users (id),
    UNIQUE (assessment_id, seq)
);

-- Each recorded national result becomes its assessment's final-result
-- stage. A result was recorded once per assessment, right after the
-- proposal, so it is the first stage of that assessment.
INSERT INTO national_stages (id, assessment_id, seq, stage, outcome, held_on, notes, window_start,
                             window_end, links, decree, recorded_at, recorded_by)
SELECT id, assessment_id, 1, 'final_result',
       CASE WHEN awarded = 1 THEN predicate ELSE 'none' END,
       decided_on, '', NULL, NULL, '', decree, recorded_at, recorded_by
FROM predicates;

DROP TABLE predicates;
