-- The unit's answers get optimistic versions, like the evaluators' lane:
-- `version` grows by one on every write of the row (a typed save, the Save
-- button, a workbook import), so a save made from an older version is refused
-- instead of overwriting what another member saved. Rows written before this
-- migration start at 0, the version a page without a row also sends.
ALTER TABLE answers ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
