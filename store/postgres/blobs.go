package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
)

// Blobs is an [assetmint.BlobStore] in the blobs table: document bytes in
// the database, content-addressed by their SHA-256, so every instance of
// the engine serves the documents any instance stored, with no shared
// filesystem. It is safe for concurrent use, also by several processes.
//
// A blob is at most assetmint.MaxDocumentSize bytes and is held in memory
// whole while it is stored or read (as the engine holds an upload).
type Blobs struct {
	db *DB
}

var _ assetmint.BlobStore = (*Blobs)(nil)

// NewBlobs returns the blob store of db (which must be migrated).
func NewBlobs(db *DB) *Blobs { return &Blobs{db: db} }

// PutBlob stores what r yields and returns its hex SHA-256 and size. It is
// one INSERT ... ON CONFLICT DO NOTHING, so the blob appears whole or not at
// all, and the same bytes put twice (at once, or by two instances) are
// stored once. If reading r fails, or ctx is done before r is drained,
// nothing is stored and the error wraps the cause. EINVALID (field "file")
// if r yields more than assetmint.MaxDocumentSize bytes; EINTERNAL if the
// database fails.
func (b *Blobs) PutBlob(ctx context.Context, r io.Reader) (string, int64, error) {
	data, err := io.ReadAll(io.LimitReader(ctxReader{ctx, r}, assetmint.MaxDocumentSize+1))
	if err != nil {
		return "", 0, fmt.Errorf("postgres: storing blob: %w", err)
	}
	if len(data) > assetmint.MaxDocumentSize {
		return "", 0, assetmint.FieldError("file", "file must be at most %d bytes", assetmint.MaxDocumentSize)
	}
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	_, err = b.db.pool.Exec(ctx, `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
		sum, int64(len(data)), data)
	if err != nil {
		return "", 0, internal(err)
	}
	return sum, int64(len(data)), nil
}

// OpenBlob reads the blob with the given hex SHA-256; the caller closes
// it. The reader also seeks (for http.ServeContent). EINVALID (field
// "sha256") if sum is not 64 lower-case hex characters; ENOTFOUND if no
// such blob is stored; EINTERNAL if the database fails.
func (b *Blobs) OpenBlob(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, assetmint.FieldError("sha256", "not a SHA-256 digest in lower-case hex")
	}
	var data []byte
	err := b.db.pool.QueryRow(ctx, `SELECT data FROM blobs WHERE sha256 = $1`, sum).Scan(&data)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, &assetmint.Error{Code: assetmint.ENOTFOUND, Message: "blob not found"}
	case err != nil:
		return nil, internal(err)
	}
	return blobReader{bytes.NewReader(data)}, nil
}

// blobReader is a blob read whole: closing it frees nothing.
type blobReader struct{ *bytes.Reader }

func (blobReader) Close() error { return nil }

// validSum reports whether s is a SHA-256 digest in lower-case hex.
func validSum(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
