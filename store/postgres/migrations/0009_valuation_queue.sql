-- 0009: the valuations to make (assetmint.ValuationQueue), as in
-- store/sqlite: one lean row per valuation, queued in the transaction that
-- submits or changes its asset, leased by a valuation worker (FOR UPDATE
-- SKIP LOCKED) and deleted in the transaction that records the report. A
-- valuation is due when queued (a retry is the job queue's), so claims
-- read it in id order, on the primary key. Ids come from a sequence and
-- are never used again. Ids are COLLATE "C", as every id column here.
CREATE TABLE valuation_queue (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id  text COLLATE "C" NOT NULL,
    asset_id     text COLLATE "C" NOT NULL,
    valuation_id text COLLATE "C" NOT NULL,
    revision     bigint  NOT NULL,
    as_of        bigint  NOT NULL,
    attempt      integer NOT NULL DEFAULT 0,
    leased_by    text    NOT NULL DEFAULT '',
    leased_until bigint
);
