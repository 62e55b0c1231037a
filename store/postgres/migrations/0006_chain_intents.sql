-- 0006: the transaction manager's intents (tokenize.Intent) and their
-- broadcast attempts (as store/sqlite's 0009).
--
-- A signer's nonces are unique per chain, so two instances' managers never
-- give one nonce to two intents (a racing insert does nothing, ON CONFLICT
-- DO NOTHING, and the manager takes the next nonce); a key is unique among
-- the signer's intents in flight or confirmed, so an action retried while
-- its transaction is out finds it. An update writes only over the version
-- it read. Times are bigint nanoseconds; fees decimal text (wei may exceed
-- 64 bits); data and raw transactions bytea.
CREATE TABLE chain_intents (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain_id         text COLLATE "C" NOT NULL,
    signer           text COLLATE "C" NOT NULL,
    nonce            bigint NOT NULL,
    key              text COLLATE "C" NOT NULL DEFAULT '',
    kind             text NOT NULL,
    ref              text NOT NULL DEFAULT '',
    to_address       text NOT NULL DEFAULT '',
    data             bytea NOT NULL,
    gas              bigint NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'mined', 'confirmed', 'reverted', 'failed')),
    tx_hash          text NOT NULL DEFAULT '',
    block_number     bigint NOT NULL DEFAULT 0,
    block_hash       text NOT NULL DEFAULT '',
    contract_address text NOT NULL DEFAULT '',
    error            text NOT NULL DEFAULT '',
    version          bigint NOT NULL,
    created_at       bigint NOT NULL,
    updated_at       bigint NOT NULL,
    settled_at       bigint,
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
    intent_id   bigint NOT NULL REFERENCES chain_intents (id),
    n           integer NOT NULL,
    hash        text COLLATE "C" NOT NULL UNIQUE,
    raw         bytea NOT NULL,
    gas_tip_cap text NOT NULL DEFAULT '',
    gas_fee_cap text NOT NULL DEFAULT '',
    gas_price   text NOT NULL DEFAULT '',
    noop        boolean NOT NULL DEFAULT false,
    sent_at     bigint NOT NULL,
    PRIMARY KEY (intent_id, n)
);
