-- 0004: document bytes (blobs.go), content-addressed: the key is the
-- lower-case hex SHA-256 of data, so the same bytes are stored once, and
-- every instance reads what any instance stored. At most
-- assetmint.MaxDocumentSize (25 MiB) a blob, which PutBlob enforces.
-- Documents are mostly PDFs and JPEGs, compressed already: the bytes are
-- kept out of line and uncompressed (STORAGE EXTERNAL).
CREATE TABLE blobs (
    sha256     text   PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size       bigint NOT NULL CHECK (size BETWEEN 0 AND 26214400),
    data       bytea  NOT NULL,
    created_at bigint NOT NULL DEFAULT (extract(epoch FROM now()) * 1000000000)::bigint -- the database's clock, for operators
);
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
