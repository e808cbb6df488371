-- The instansi's eligibility to propose units (issue #15).

-- What an administrator recorded about the instansi for one evaluation year
-- (one instansi per deployment, so a row per year): the JSON of
-- domain::eligibility::InstansiFacts (BPK opinion, SAKIP and RB index
-- grades, SPIP level, audit follow-up, survey reports, a note).
CREATE TABLE instansi_facts (
    year        BIGINT PRIMARY KEY,
    facts       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT REFERENCES users (id)
);

-- The eligibility thresholds of WBK and WBBM, stored with the rubric version
-- like its gates (JSON of domain::eligibility::EligibilityThresholds);
-- NULL takes the defaults.
ALTER TABLE rubric_versions ADD COLUMN eligibility TEXT;

-- A WBK proposal in PortalRB's "WBK-AFIRMASI" category (1 or 0).
ALTER TABLE assessments ADD COLUMN afirmasi BIGINT NOT NULL DEFAULT 0;
