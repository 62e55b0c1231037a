-- 0001: the records (the SQL that reads and writes them is in the file of
-- each: assets.go, loans.go, ...).
--
-- Ids are the application's time-ordered strings, so ORDER BY id is
-- creation order. Every id column, and every other text column a list
-- orders or pages by, is COLLATE "C": bytewise, as SQLite compares text, so
-- the order of ids does not depend on the database's locale (en_US would
-- sort "B" after "a").
--
-- Times are bigint nanoseconds since the Unix epoch, UTC; NULL is the zero
-- time. Money, rates and ratios are numeric (exact, any scale). Metadata,
-- lists, reports, schedules and event data are text holding JSON, kept
-- byte for byte. A document's declared date is text, 2006-01-02. Secrets
-- and stored answers the engine sealed are bytea or text as they come.
--
-- A record that belongs to a parent of its business (a document, valuation,
-- token or loan on an asset, a repayment on a loan, a delivery of an event
-- to an endpoint) is inserted with INSERT ... SELECT ... WHERE EXISTS (the
-- parent in the business): the foreign keys alone cannot check the pairing.

CREATE TABLE businesses (
    id             text COLLATE "C" PRIMARY KEY,
    name           text   NOT NULL,
    plan           text   NOT NULL,
    wallet_address text   NOT NULL DEFAULT '',
    created_at     bigint NOT NULL,
    updated_at     bigint NOT NULL
);

CREATE TABLE clients (
    id                   text COLLATE "C" PRIMARY KEY,
    business_id          text COLLATE "C" NOT NULL REFERENCES businesses (id),
    secret_hash          text   NOT NULL,
    previous_secret_hash text   NOT NULL DEFAULT '',
    previous_expires_at  bigint,
    created_at           bigint NOT NULL,
    revoked_at           bigint
);

-- HS256 keys that sign access tokens; SigningKeys reads them all (a few).
CREATE TABLE signing_keys (
    id         text COLLATE "C" PRIMARY KEY,
    secret     bytea  NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE assets (
    id              text COLLATE "C" PRIMARY KEY,
    business_id     text COLLATE "C" NOT NULL REFERENCES businesses (id),
    name            text    NOT NULL,
    type            text    NOT NULL,
    description     text    NOT NULL DEFAULT '',
    estimated_value numeric NOT NULL,
    currency        text    NOT NULL,
    metadata        text    NOT NULL DEFAULT '{}',
    status          text    NOT NULL,
    revision        bigint  NOT NULL DEFAULT 0,
    created_at      bigint  NOT NULL,
    updated_at      bigint  NOT NULL
);
-- Assets pages by id within one business; with a status filter, within one
-- business and one status, without reading the business's other assets.
CREATE INDEX assets_business_id_id ON assets (business_id, id);
CREATE INDEX assets_business_id_status_id ON assets (business_id, status, id);

-- A document's record; its bytes live in a blob store under sha256.
-- Declared facts not declared are NULL (amount, date) or ''. serial_norm
-- and vin_norm are serial and vin in upper case without non-alphanumerics,
-- for matching across businesses. parsed is JSON text.
CREATE TABLE documents (
    id           text COLLATE "C" PRIMARY KEY,
    business_id  text COLLATE "C" NOT NULL REFERENCES businesses (id),
    asset_id     text COLLATE "C" NOT NULL REFERENCES assets (id),
    kind         text    NOT NULL,
    filename     text    NOT NULL,
    content_type text    NOT NULL,
    size         bigint  NOT NULL,
    sha256       text    NOT NULL,
    amount       numeric,
    currency     text    NOT NULL DEFAULT '',
    date         text,
    serial       text    NOT NULL DEFAULT '',
    vin          text    NOT NULL DEFAULT '',
    serial_norm  text    NOT NULL DEFAULT '',
    vin_norm     text    NOT NULL DEFAULT '',
    issuer       text    NOT NULL DEFAULT '',
    parsed       text,
    detached_at  bigint,
    created_at   bigint  NOT NULL
);
-- AssetDocuments: an asset's documents in id order.
CREATE INDEX documents_business_id_asset_id_id ON documents (business_id, asset_id, id);
-- DocumentsMatching: the same bytes, serial or VIN on any asset.
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE INDEX documents_serial_norm ON documents (serial_norm) WHERE serial_norm <> '';
CREATE INDEX documents_vin_norm ON documents (vin_norm) WHERE vin_norm <> '';

-- Valuation reports, as the JSON of a valuation.Report.
CREATE TABLE valuations (
    id          text COLLATE "C" PRIMARY KEY,
    business_id text COLLATE "C" NOT NULL REFERENCES businesses (id),
    asset_id    text COLLATE "C" NOT NULL REFERENCES assets (id),
    report      text   NOT NULL,
    created_at  bigint NOT NULL
);
-- LatestValuation and Valuations: an asset's reports in id order.
CREATE INDEX valuations_business_id_asset_id_id ON valuations (business_id, asset_id, id);

-- Minted tokens. An asset has at most one token (asset_id is unique), and a
-- chain's contract numbers each token once. chain_id and token_number are
-- decimal text, as a token number (a uint256) fits no integer type.
-- block_number holds the uint64's bits (above 2^63-1 it reads negative in
-- SQL; the store reads it back exactly).
CREATE TABLE tokens (
    id            text COLLATE "C" PRIMARY KEY,
    business_id   text COLLATE "C" NOT NULL REFERENCES businesses (id),
    asset_id      text COLLATE "C" NOT NULL UNIQUE REFERENCES assets (id),
    chain_id      text   NOT NULL,
    contract      text   NOT NULL,
    token_number  text   NOT NULL,
    owner_address text   NOT NULL DEFAULT '',
    tx_hash       text   NOT NULL DEFAULT '',
    block_number  bigint NOT NULL DEFAULT 0,
    status        text   NOT NULL,
    metadata_hash text   NOT NULL DEFAULT '',
    token_uri     text   NOT NULL DEFAULT '',
    created_at    bigint NOT NULL,
    updated_at    bigint NOT NULL,
    UNIQUE (chain_id, contract, token_number)
);
-- Tokens pages by id within one business.
CREATE INDEX tokens_business_id_id ON tokens (business_id, id);

-- Platform settings, such as the deployed contract's address per chain.
CREATE TABLE settings (
    key        text COLLATE "C" PRIMARY KEY,
    value      text NOT NULL,
    updated_at bigint
);

-- Loans against tokenized assets. An asset has at most one loan in flight
-- (submitted, approved, referred or funded, as LoanStatus.InFlight says):
-- the partial unique index refuses a second, so of two racing requests,
-- from any instances, exactly one is kept. reasons is a JSON array of
-- strings ('[]' for none); schedule is the JSON of a lending.Schedule, NULL
-- before funding.
CREATE TABLE loans (
    id                    text COLLATE "C" PRIMARY KEY,
    business_id           text COLLATE "C" NOT NULL REFERENCES businesses (id),
    asset_id              text COLLATE "C" NOT NULL REFERENCES assets (id),
    token_id              text COLLATE "C" NOT NULL REFERENCES tokens (id),
    valuation_id          text COLLATE "C" NOT NULL DEFAULT '',
    amount                numeric NOT NULL,
    currency              text    NOT NULL,
    term_months           integer NOT NULL,
    amortization          text    NOT NULL,
    day_count             text    NOT NULL,
    balloon               numeric NOT NULL DEFAULT 0,
    purpose               text    NOT NULL DEFAULT '',
    status                text    NOT NULL,
    annual_rate           numeric NOT NULL DEFAULT 0,
    max_amount            numeric NOT NULL DEFAULT 0,
    ltv                   numeric NOT NULL DEFAULT 0,
    reasons               text    NOT NULL DEFAULT '[]',
    decided_by            text    NOT NULL DEFAULT '',
    rejection_reason      text    NOT NULL DEFAULT '',
    underwritten_at       bigint,
    funding_requested_at  bigint,
    funded_at             bigint,
    schedule              text,
    lender_address        text    NOT NULL DEFAULT '',
    outstanding_principal numeric NOT NULL DEFAULT 0,
    days_past_due         integer NOT NULL DEFAULT 0,
    closed_at             bigint,
    created_at            bigint  NOT NULL,
    updated_at            bigint  NOT NULL
);
-- One loan in flight per asset; AssetLoanInFlight reads it. (loans.go
-- spells the predicate the same way, so the planner uses this index.)
CREATE UNIQUE INDEX loans_asset_id_in_flight ON loans (asset_id)
    WHERE status IN ('submitted', 'approved', 'referred', 'funded');
-- Loans pages by id within one business (and one status when filtered).
CREATE INDEX loans_business_id_id ON loans (business_id, id);
CREATE INDEX loans_business_id_status_id ON loans (business_id, status, id);
-- AllLoans with a status filter (the servicing sweep) pages by id within
-- one status.
CREATE INDEX loans_status_id ON loans (status, id);

-- Money received on a loan of the business, with its allocation. A
-- non-empty reference (the caller's idempotency key) names one repayment
-- of the loan; '' is no reference and never collides.
CREATE TABLE repayments (
    id          text COLLATE "C" PRIMARY KEY,
    business_id text COLLATE "C" NOT NULL REFERENCES businesses (id),
    loan_id     text COLLATE "C" NOT NULL REFERENCES loans (id),
    reference   text    NOT NULL DEFAULT '',
    amount      numeric NOT NULL,
    received_at bigint  NOT NULL,
    fees        numeric NOT NULL DEFAULT 0,
    interest    numeric NOT NULL DEFAULT 0,
    principal   numeric NOT NULL DEFAULT 0,
    prepaid     numeric NOT NULL DEFAULT 0,
    excess      numeric NOT NULL DEFAULT 0,
    created_at  bigint  NOT NULL
);
-- One repayment per loan and reference; RepaymentByReference reads it.
CREATE UNIQUE INDEX repayments_loan_id_reference ON repayments (loan_id, reference) WHERE reference <> '';
-- Repayments: a loan's repayments in the order received.
CREATE INDEX repayments_loan_id_received_at_id ON repayments (loan_id, received_at, id);

-- The outbox: every state change's event, written in the change's
-- transaction. data is the event's JSON, NULL for none.
CREATE TABLE events (
    id          text COLLATE "C" PRIMARY KEY,
    business_id text COLLATE "C" NOT NULL REFERENCES businesses (id),
    type        text   NOT NULL,
    data        text,
    created_at  bigint NOT NULL
);
CREATE INDEX events_business_id_id ON events (business_id, id);

-- Webhook endpoints. events is a JSON array of event types ('[]' for every
-- event). A deleted endpoint keeps its row (status 'deleted') for its
-- deliveries' history.
CREATE TABLE webhook_endpoints (
    id                  text COLLATE "C" PRIMARY KEY,
    business_id         text COLLATE "C" NOT NULL REFERENCES businesses (id),
    url                 text   NOT NULL,
    description         text   NOT NULL DEFAULT '',
    events              text   NOT NULL DEFAULT '[]',
    secret              text   NOT NULL,
    previous_secret     text   NOT NULL DEFAULT '',
    previous_expires_at bigint,
    status              text   NOT NULL,
    disabled_reason     text   NOT NULL DEFAULT '',
    failing_since       bigint,
    last_success_at     bigint,
    created_at          bigint NOT NULL,
    updated_at          bigint NOT NULL
);
-- WebhookEndpoints pages by id within one business; EnabledWebhookEndpoints
-- reads one business's in id order.
CREATE INDEX webhook_endpoints_business_id_id ON webhook_endpoints (business_id, id);

-- One event sent to one endpoint. (endpoint_id, event_id) is unique, so a
-- fan-out that runs twice, or on two instances at once, makes each
-- delivery once.
CREATE TABLE webhook_deliveries (
    id               text COLLATE "C" PRIMARY KEY,
    business_id      text COLLATE "C" NOT NULL REFERENCES businesses (id),
    endpoint_id      text COLLATE "C" NOT NULL REFERENCES webhook_endpoints (id),
    event_id         text COLLATE "C" NOT NULL REFERENCES events (id),
    event_type       text    NOT NULL,
    status           text    NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    last_status_code integer NOT NULL DEFAULT 0,
    last_error       text    NOT NULL DEFAULT '',
    next_attempt_at  bigint,
    delivered_at     bigint,
    created_at       bigint  NOT NULL,
    updated_at       bigint  NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
-- WebhookDeliveries: an endpoint's deliveries in id order.
CREATE INDEX webhook_deliveries_business_id_endpoint_id_id ON webhook_deliveries (business_id, endpoint_id, id);

-- Idempotency keys, one table for the cluster. A row with status 0 is a
-- request in flight until locked_until; a row with a status holds the
-- answer (body, sealed by the engine). ReserveIdempotencyKey claims a key
-- in one statement (INSERT ... ON CONFLICT DO UPDATE ... WHERE), so of
-- racing claims exactly one wins.
CREATE TABLE idempotency_keys (
    scope        text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    request_hash text    NOT NULL,
    locked_until bigint,
    status       integer NOT NULL DEFAULT 0,
    body         bytea,
    created_at   bigint  NOT NULL,
    PRIMARY KEY (scope, key)
);
-- PruneIdempotencyKeys: keys older than the retention window.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
