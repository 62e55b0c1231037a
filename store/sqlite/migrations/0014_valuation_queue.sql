-- The valuations to make (assetmint.ValuationQueue): one row per valuation,
-- queued in the transaction that submits or changes its asset, leased by a
-- valuation worker and deleted in the transaction that records the report.
-- A job per valuation cost the one writer a row, three index entries and
-- the AUTOINCREMENT counter per POST /v1/assets, then two more writes to
-- claim and complete it; this costs one row, and a claim. A valuation is
-- due when it is queued (a retry is the job queue's), so the queue is read
-- in rowid order and needs no index. (Valuations enqueued as jobs before
-- this stay jobs, and run as before.) id is a plain rowid, which SQLite may
-- use again once the largest is deleted: TakeValuation is also fenced by
-- valuation_id.
CREATE TABLE valuation_queue (
    id           INTEGER PRIMARY KEY,
    business_id  TEXT NOT NULL,
    asset_id     TEXT NOT NULL,
    valuation_id TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    as_of        TEXT NOT NULL,
    attempt      INTEGER NOT NULL DEFAULT 0,
    leased_by    TEXT NOT NULL DEFAULT '',
    leased_until TEXT
);
