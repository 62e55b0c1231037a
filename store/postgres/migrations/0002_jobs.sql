-- 0002: the job queue (package jobs; the SQL is in jobs.go). Times are
-- bigint nanoseconds since the Unix epoch, UTC; NULL is the zero time.
-- unique_key is NULL when the job has none, so keyless jobs never collide.
-- Ids come from the identity's sequence; EnqueueJob holds a lane's
-- advisory lock from before the id is drawn until commit, so within a lane
-- id order is commit order (see jobs.go for why the lane rule needs it).
CREATE TABLE jobs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text    NOT NULL,
    lane         text    NOT NULL DEFAULT '',
    unique_key   text    UNIQUE,
    payload      text    NOT NULL,
    status       text    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'dead')),
    attempt      integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL,
    run_at       bigint  NOT NULL,
    leased_by    text    NOT NULL DEFAULT '',
    leased_until bigint,
    last_error   text    NOT NULL DEFAULT '',
    created_at   bigint  NOT NULL,
    updated_at   bigint  NOT NULL,
    finished_at  bigint
);

-- ClaimJobs walks the unfinished jobs in claim order and stops at its
-- limit: due pending jobs and running jobs whose lease expired are found
-- among them.
CREATE INDEX jobs_claim_order ON jobs (run_at, id) WHERE status IN ('pending', 'running');
-- The lane rule: a lane's unfinished jobs, oldest first; the first is the
-- lane's head.
CREATE INDEX jobs_unfinished_lane ON jobs (lane, id) WHERE status IN ('pending', 'running') AND lane <> '';
-- PruneJobs.
CREATE INDEX jobs_completed_finished_at ON jobs (finished_at) WHERE status = 'completed';
