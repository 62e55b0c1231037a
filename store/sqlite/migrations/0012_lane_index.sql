-- The lane rule (laneHead) reads the unfinished jobs of a named lane; a job
-- without a lane (lane '', every fan-out and deliver job) never needs an
-- entry, so it no longer pays for one when it is enqueued and when it
-- finishes. PostgreSQL's index has had this condition from the start.
DROP INDEX jobs_unfinished_lane;
CREATE INDEX jobs_unfinished_lane ON jobs (lane, id) WHERE status IN ('pending', 'running') AND lane <> '';
