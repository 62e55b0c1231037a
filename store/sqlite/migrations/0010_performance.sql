-- ClaimJobs reads the due pending jobs in run_at order and stops at the
-- last one it leases (pendingSQL): a worker of one kind on the first index,
-- so it never reads the others' jobs; a worker of several kinds on the
-- second, which has the kind, so each job of another kind it passes costs
-- an index entry, not a row. They replace the (run_at, id) index.
CREATE INDEX jobs_pending_kind_run_at ON jobs (kind, run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_pending_run_at_kind ON jobs (run_at, id, kind) WHERE status = 'pending';
DROP INDEX jobs_pending_run_at;
-- PruneJobs deletes old completed jobs without reading the others.
CREATE INDEX jobs_completed_finished_at ON jobs (finished_at) WHERE status = 'completed';
-- PrincipalEpoch: one row, its n moved in the transaction of every change
-- of a client, a business or the signing keys, read by every process.
CREATE TABLE principal_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO principal_epoch (id, n) VALUES (1, 0);
