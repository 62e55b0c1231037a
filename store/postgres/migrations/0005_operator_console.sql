-- 0005: what the operator console reads across businesses, and its
-- sessions (as store/sqlite's 0008).
--
-- An operator session is kept by the SHA-256 of its token (the token is
-- only in the operator's cookie), so reading this table gives no one a
-- session. Expired sessions are deleted by the hourly maintenance job.
CREATE TABLE operator_sessions (
    id         text COLLATE "C" PRIMARY KEY,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX operator_sessions_expires_at ON operator_sessions (expires_at);

-- AllAssets with a status filter (the review queue of valued assets) pages
-- by id within one status; CountAssets reads the statuses from it alone.
CREATE INDEX assets_status_id ON assets (status, id);

-- LoanTallies groups by status, days past due and currency.
CREATE INDEX loans_status_days_past_due ON loans (status, days_past_due, currency) INCLUDE (outstanding_principal);

-- AllWebhookDeliveries with a status filter pages by id within one status.
CREATE INDEX webhook_deliveries_status_id ON webhook_deliveries (status, id);

-- DeadJobs: the dead jobs, the last finished first.
CREATE INDEX jobs_dead_finished_at ON jobs (finished_at DESC, id DESC) WHERE status = 'dead';
