package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/assetmint/assetmint"
)

// ReserveIdempotencyKey claims (rec.Scope, rec.Key) for a request in flight
// until rec.LockedUntil, in one write transaction. A free key, one created
// before notBefore (replaced), or an incomplete one whose lock lapsed by now
// (taken over: its hash and lock change, its creation time stays) is claimed
// and nil returned; otherwise the existing record is returned unchanged. A
// zero rec.CreatedAt means now.
func (db *DB) ReserveIdempotencyKey(ctx context.Context, rec assetmint.IdempotencyRecord, now, notBefore time.Time) (*assetmint.IdempotencyRecord, error) {
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = now
	}
	var existing *assetmint.IdempotencyRecord
	err := db.inWriteTx(ctx, func(q dbtx) error {
		var old assetmint.IdempotencyRecord
		err := q.QueryRowContext(ctx, `SELECT scope, key, request_hash, locked_until, status, body, created_at
			FROM idempotency_keys WHERE scope = ? AND key = ?`, rec.Scope, rec.Key).Scan(
			&old.Scope, &old.Key, &old.RequestHash, timeCol{&old.LockedUntil}, &old.Status, &old.Body, timeCol{&old.CreatedAt})
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && old.CreatedAt.Before(notBefore)):
			_, err = q.ExecContext(ctx, `INSERT OR REPLACE INTO idempotency_keys
				(scope, key, request_hash, locked_until, status, body, created_at) VALUES (?, ?, ?, ?, 0, NULL, ?)`,
				rec.Scope, rec.Key, rec.RequestHash, timeArg(rec.LockedUntil), timeArg(rec.CreatedAt))
			return err
		case err != nil:
			return err
		case !old.Complete() && !old.LockedUntil.After(now):
			_, err = q.ExecContext(ctx, `UPDATE idempotency_keys SET request_hash = ?, locked_until = ?
				WHERE scope = ? AND key = ?`, rec.RequestHash, timeArg(rec.LockedUntil), rec.Scope, rec.Key)
			return err
		default:
			existing = &old
			return nil
		}
	})
	if err != nil {
		return nil, storeError(err, "idempotency key")
	}
	return existing, nil
}

// CompleteIdempotencyKey stores the answer of the reservation held and
// drops its lock, in the caller's transaction when called on one.
// ECONFLICT if the reservation is no longer held (taken over or complete),
// ENOTFOUND if the key is absent, EINVALID for status 0, which would read
// as incomplete.
func (q queries) CompleteIdempotencyKey(ctx context.Context, held assetmint.IdempotencyRecord, status int, body []byte) error {
	if status == 0 {
		return assetmint.FieldError("status", "status must not be 0")
	}
	if body == nil {
		body = []byte{}
	}
	res, err := q.w.ExecContext(ctx, `UPDATE idempotency_keys SET status = ?, body = ?, locked_until = NULL
		WHERE scope = ? AND key = ? AND status = 0 AND locked_until = ?`,
		status, body, held.Scope, held.Key, timeArg(held.LockedUntil))
	err = oneRow(res, err, "idempotency key")
	if assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
		return err
	}
	var n int
	if qerr := q.r.QueryRowContext(ctx, `SELECT count(*) FROM idempotency_keys WHERE scope = ? AND key = ?`,
		held.Scope, held.Key).Scan(&n); qerr != nil {
		return storeError(qerr, "idempotency key")
	}
	if n > 0 {
		return assetmint.Errorf(assetmint.ECONFLICT, "idempotency key %q is no longer held by this request", held.Key)
	}
	return err
}

// ReleaseIdempotencyKey deletes the reservation held if it has no response
// yet; a completed, taken-over or absent key is left as it is.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, held assetmint.IdempotencyRecord) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status = 0 AND locked_until = ?`,
		held.Scope, held.Key, timeArg(held.LockedUntil))
	return storeError(err, "idempotency key")
}

// PruneIdempotencyKeys deletes records created before createdBefore.
func (db *DB) PruneIdempotencyKeys(ctx context.Context, createdBefore time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, timeArg(createdBefore))
	return affected(res, err, "idempotency key")
}
