-- 0006: loans against tokenized assets, and their repayments.
--
-- A loan belongs to an asset of its business; the insert checks that the
-- asset is the business's (the foreign keys alone cannot). An asset has at
-- most one loan in flight (submitted, approved, referred or funded, as
-- LoanStatus.InFlight says): the partial unique index refuses a second, so
-- of two racing requests exactly one is kept. Money, rates and ratios are
-- decimal text. reasons is a JSON array of strings ('[]' for none);
-- schedule is the JSON of a lending.Schedule, NULL before funding.

CREATE TABLE loans (
    id                    TEXT PRIMARY KEY,
    business_id           TEXT NOT NULL REFERENCES businesses (id),
    asset_id              TEXT NOT NULL REFERENCES assets (id),
    token_id              TEXT NOT NULL REFERENCES tokens (id),
    valuation_id          TEXT NOT NULL DEFAULT '',
    amount                TEXT NOT NULL,
    currency              TEXT NOT NULL,
    term_months           INTEGER NOT NULL,
    amortization          TEXT NOT NULL,
    day_count             TEXT NOT NULL,
    balloon               TEXT NOT NULL DEFAULT '0',
    purpose               TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,
    annual_rate           TEXT NOT NULL DEFAULT '0',
    max_amount            TEXT NOT NULL DEFAULT '0',
    ltv                   TEXT NOT NULL DEFAULT '0',
    reasons               TEXT NOT NULL DEFAULT '[]',
    decided_by            TEXT NOT NULL DEFAULT '',
    rejection_reason      TEXT NOT NULL DEFAULT '',
    underwritten_at       TEXT,
    funding_requested_at  TEXT,
    funded_at             TEXT,
    schedule              TEXT,
    lender_address        TEXT NOT NULL DEFAULT '',
    outstanding_principal TEXT NOT NULL DEFAULT '0',
    days_past_due         INTEGER NOT NULL DEFAULT 0,
    closed_at             TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
-- One loan in flight per asset; AssetLoanInFlight reads it.
CREATE UNIQUE INDEX loans_asset_id_in_flight ON loans (asset_id)
    WHERE status IN ('submitted', 'approved', 'referred', 'funded');
-- Loans pages by id within one business.
CREATE INDEX loans_business_id_id ON loans (business_id, id);
-- AllLoans with a status filter (the servicing sweep) pages by id within
-- one status.
CREATE INDEX loans_status_id ON loans (status, id);

-- Money received on a loan of the business, with its allocation. A
-- non-empty reference (the caller's idempotency key) names one repayment
-- of the loan; '' is no reference and never collides.
CREATE TABLE repayments (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id),
    loan_id     TEXT NOT NULL REFERENCES loans (id),
    reference   TEXT NOT NULL DEFAULT '',
    amount      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    fees        TEXT NOT NULL DEFAULT '0',
    interest    TEXT NOT NULL DEFAULT '0',
    principal   TEXT NOT NULL DEFAULT '0',
    prepaid     TEXT NOT NULL DEFAULT '0',
    excess      TEXT NOT NULL DEFAULT '0',
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX repayments_loan_id_reference ON repayments (loan_id, reference) WHERE reference <> '';
-- Repayments: a loan's repayments in the order received.
CREATE INDEX repayments_loan_id_received_at_id ON repayments (loan_id, received_at, id);
