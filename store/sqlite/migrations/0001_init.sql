-- 0001: the first schema.
--
-- Ids are the application's time-ordered strings, so ORDER BY id is creation
-- order. Times are fixed-width RFC 3339 text in UTC (nine fractional digits),
-- so they compare and sort as text; NULL is the zero time. Money is decimal
-- text. Metadata and payloads are JSON text.

CREATE TABLE businesses (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    plan           TEXT NOT NULL,
    wallet_address TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE clients (
    id                   TEXT PRIMARY KEY,
    business_id          TEXT NOT NULL REFERENCES businesses (id),
    secret_hash          TEXT NOT NULL,
    previous_secret_hash TEXT NOT NULL DEFAULT '',
    previous_expires_at  TEXT,
    created_at           TEXT NOT NULL,
    revoked_at           TEXT
);
CREATE INDEX clients_business_id ON clients (business_id);

CREATE TABLE assets (
    id              TEXT PRIMARY KEY,
    business_id     TEXT NOT NULL REFERENCES businesses (id),
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    estimated_value TEXT NOT NULL,
    currency        TEXT NOT NULL,
    metadata        TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- Assets(business_id) pages by id within one business.
CREATE INDEX assets_business_id_id ON assets (business_id, id);

-- The outbox: every state change's event, written in the change's
-- transaction.
CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id),
    type        TEXT NOT NULL,
    data        TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX events_business_id_id ON events (business_id, id);

CREATE TABLE signing_keys (
    id         TEXT PRIMARY KEY,
    secret     BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX signing_keys_created_at ON signing_keys (created_at, id);

CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    locked_until TEXT,
    status       INTEGER NOT NULL DEFAULT 0,
    body         BLOB,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
-- For purging keys older than the retention window.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- The job queue (package jobs). unique_key is NULL when the job has none, so
-- only real keys collide.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    lane         TEXT NOT NULL DEFAULT '',
    unique_key   TEXT UNIQUE,
    payload      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'running', 'completed', 'dead')),
    attempt      INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       TEXT NOT NULL,
    leased_by    TEXT NOT NULL DEFAULT '',
    leased_until TEXT,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    finished_at  TEXT
);
-- ClaimJobs: due pending jobs, and running jobs whose lease expired.
CREATE INDEX jobs_pending_run_at ON jobs (run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_running_leased_until ON jobs (leased_until) WHERE status = 'running';
-- ClaimJobs' lane rule: the unfinished jobs of a lane, oldest first.
CREATE INDEX jobs_unfinished_lane ON jobs (lane, id) WHERE status IN ('pending', 'running');
