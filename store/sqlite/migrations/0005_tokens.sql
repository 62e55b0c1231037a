-- 0005: minted tokens, and the platform settings the chain side keeps.
--
-- A token belongs to an asset of its business; the insert checks that the
-- asset is the business's (the foreign keys alone cannot). An asset has at
-- most one token, and a chain's contract numbers each token once. chain_id
-- and token_number are decimal text, as a token number (a uint256) may not
-- fit an INTEGER. block_number is an INTEGER holding the uint64's bits.

CREATE TABLE tokens (
    id            TEXT PRIMARY KEY,
    business_id   TEXT NOT NULL REFERENCES businesses (id),
    asset_id      TEXT NOT NULL UNIQUE REFERENCES assets (id),
    chain_id      TEXT NOT NULL,
    contract      TEXT NOT NULL,
    token_number  TEXT NOT NULL,
    owner_address TEXT NOT NULL DEFAULT '',
    tx_hash       TEXT NOT NULL DEFAULT '',
    block_number  INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    metadata_hash TEXT NOT NULL DEFAULT '',
    token_uri     TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (chain_id, contract, token_number)
);
-- Tokens pages by id within one business.
CREATE INDEX tokens_business_id_id ON tokens (business_id, id);

-- Platform settings, such as the deployed contract's address per chain.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT
);
