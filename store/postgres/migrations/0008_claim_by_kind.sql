-- 0008: ClaimJobs reads its kinds' unfinished jobs kind by kind, in claim
-- order (claimSQL), so that a claim never reads another kind's backlog; the
-- one claim order over every kind is no longer read.
CREATE INDEX jobs_claim_kind ON jobs (kind, run_at, id) WHERE status IN ('pending', 'running');
DROP INDEX jobs_claim_order;
