-- ClaimJobs reads each of its kinds' pending jobs on jobs_pending_kind_run_at
-- (pendingSQL); the (run_at, id, kind) index it read for several kinds is no
-- longer read, and every enqueue and claim no longer writes it.
DROP INDEX jobs_pending_run_at_kind;
