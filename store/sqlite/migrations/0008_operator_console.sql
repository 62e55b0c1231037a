-- 0008: what the operator console reads across businesses, and its
-- sessions.
--
-- An operator session is kept by the SHA-256 of its token (the token is
-- only in the operator's cookie), so reading this table gives no one a
-- session. Expired sessions are deleted by the hourly maintenance job.

CREATE TABLE operator_sessions (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
-- PruneOperatorSessions deletes by expiry.
CREATE INDEX operator_sessions_expires_at ON operator_sessions (expires_at);

-- AllAssets with a status filter (the review queue of valued assets) pages
-- by id within one status; CountAssets reads the statuses from it alone.
CREATE INDEX assets_status_id ON assets (status, id);

-- LoanTallies groups by status, days past due and currency and sums the
-- outstanding principal from this index alone.
CREATE INDEX loans_status_days_past_due ON loans (status, days_past_due, currency, outstanding_principal);

-- AllWebhookDeliveries with a status filter (the failing and the failed
-- deliveries) pages by id within one status.
CREATE INDEX webhook_deliveries_status_id ON webhook_deliveries (status, id);

-- DeadJobs: the dead jobs, the last finished first.
CREATE INDEX jobs_dead_finished_at ON jobs (finished_at, id) WHERE status = 'dead';
