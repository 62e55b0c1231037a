-- 0009: the transaction manager's intents (tokenize.Intent) and their
-- broadcast attempts.
--
-- An intent is one chain action of one signer, recorded with its nonce and
-- first attempt before anything is sent. A signer's nonces are unique per
-- chain, so two managers (two instances) never give one nonce to two
-- intents; a key is unique among the signer's intents in flight or
-- confirmed, so an action retried while its transaction is out finds it.
-- Nonces are INTEGERs (below 2^63, as every chain's are); fees are decimal
-- text (wei may exceed 64 bits); data and raw transactions are BLOBs.

CREATE TABLE chain_intents (
    id               INTEGER PRIMARY KEY,
    chain_id         TEXT NOT NULL,
    signer           TEXT NOT NULL,
    nonce            INTEGER NOT NULL,
    key              TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    ref              TEXT NOT NULL DEFAULT '',
    to_address       TEXT NOT NULL DEFAULT '',
    data             BLOB NOT NULL,
    gas              INTEGER NOT NULL,
    state            TEXT NOT NULL,
    tx_hash          TEXT NOT NULL DEFAULT '',
    block_number     INTEGER NOT NULL DEFAULT 0,
    block_hash       TEXT NOT NULL DEFAULT '',
    contract_address TEXT NOT NULL DEFAULT '',
    error            TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    settled_at       TEXT,
    UNIQUE (chain_id, signer, nonce)
);
-- One live intent per key: pending, mined or confirmed.
CREATE UNIQUE INDEX chain_intents_live_key ON chain_intents (chain_id, signer, key)
    WHERE key <> '' AND state IN ('pending', 'mined', 'confirmed');
-- IntentByKey finds the newest with a key, whatever its state.
CREATE INDEX chain_intents_key ON chain_intents (chain_id, signer, key, id) WHERE key <> '';
-- OpenIntents: the signer's unsettled intents, in nonce order.
CREATE INDEX chain_intents_open ON chain_intents (chain_id, signer, nonce) WHERE settled_at IS NULL;

CREATE TABLE chain_attempts (
    intent_id   INTEGER NOT NULL REFERENCES chain_intents (id),
    n           INTEGER NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    raw         BLOB NOT NULL,
    gas_tip_cap TEXT NOT NULL DEFAULT '',
    gas_fee_cap TEXT NOT NULL DEFAULT '',
    gas_price   TEXT NOT NULL DEFAULT '',
    noop        INTEGER NOT NULL DEFAULT 0,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (intent_id, n)
);
