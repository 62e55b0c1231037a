-- An asset's revision counts the changes to what its valuation reads, so a
-- valuation job can tell whether a later change overtook it, whatever the
-- clock says.
ALTER TABLE assets ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
