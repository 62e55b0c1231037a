-- 0002: supporting documents and valuation reports.
--
-- A document or valuation belongs to an asset of its business; the inserts
-- check that the asset is the business's (the foreign keys alone cannot).

-- A document's record; its bytes live in a blob store under sha256.
-- Declared facts not declared are NULL (amount, date) or ''. serial_norm and
-- vin_norm are serial and vin in upper case without non-alphanumerics, for
-- matching across businesses. date is a calendar date, 2006-01-02. parsed
-- is JSON text.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    business_id  TEXT NOT NULL REFERENCES businesses (id),
    asset_id     TEXT NOT NULL REFERENCES assets (id),
    kind         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    amount       TEXT,
    currency     TEXT NOT NULL DEFAULT '',
    date         TEXT,
    serial       TEXT NOT NULL DEFAULT '',
    vin          TEXT NOT NULL DEFAULT '',
    serial_norm  TEXT NOT NULL DEFAULT '',
    vin_norm     TEXT NOT NULL DEFAULT '',
    issuer       TEXT NOT NULL DEFAULT '',
    parsed       TEXT,
    detached_at  TEXT,
    created_at   TEXT NOT NULL
);
-- AssetDocuments: an asset's documents in id order.
CREATE INDEX documents_business_id_asset_id_id ON documents (business_id, asset_id, id);
-- DocumentsMatching: the same bytes, serial or VIN on any asset.
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE INDEX documents_serial_norm ON documents (serial_norm) WHERE serial_norm <> '';
CREATE INDEX documents_vin_norm ON documents (vin_norm) WHERE vin_norm <> '';

-- Valuation reports, as the JSON of a valuation.Report.
CREATE TABLE valuations (
    id          TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses (id),
    asset_id    TEXT NOT NULL REFERENCES assets (id),
    report      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
-- LatestValuation and Valuations: an asset's reports in id order.
CREATE INDEX valuations_business_id_asset_id_id ON valuations (business_id, asset_id, id);
