-- 0004: webhook endpoints and their deliveries.
--
-- An endpoint's events filter is a JSON array of event types ('[]' for
-- every event). A deleted endpoint keeps its row (status 'deleted') for its
-- deliveries' history. A delivery belongs to an endpoint and an event of its
-- business; the insert checks that both are the business's (the foreign
-- keys alone cannot).

CREATE TABLE webhook_endpoints (
    id                  TEXT PRIMARY KEY,
    business_id         TEXT NOT NULL REFERENCES businesses (id),
    url                 TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    events              TEXT NOT NULL DEFAULT '[]',
    secret              TEXT NOT NULL,
    previous_secret     TEXT NOT NULL DEFAULT '',
    previous_expires_at TEXT,
    status              TEXT NOT NULL,
    disabled_reason     TEXT NOT NULL DEFAULT '',
    failing_since       TEXT,
    last_success_at     TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
-- WebhookEndpoints pages by id within one business; EnabledWebhookEndpoints
-- reads one business's in id order.
CREATE INDEX webhook_endpoints_business_id_id ON webhook_endpoints (business_id, id);

-- One event sent to one endpoint. (endpoint_id, event_id) is unique, so a
-- fan-out that runs twice makes each delivery once.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    business_id      TEXT NOT NULL REFERENCES businesses (id),
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event_id         TEXT NOT NULL REFERENCES events (id),
    event_type       TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    next_attempt_at  TEXT,
    delivered_at     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
-- WebhookDeliveries: an endpoint's deliveries in id order.
CREATE INDEX webhook_deliveries_business_id_endpoint_id_id ON webhook_deliveries (business_id, endpoint_id, id);
