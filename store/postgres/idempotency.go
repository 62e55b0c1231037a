package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
)

// reserveSQL claims an idempotency key in one statement: it inserts the
// reservation, or, on the key's row, replaces a record created before
// notBefore ($6: expired; its creation time becomes the new one) or takes
// over an incomplete one whose lock lapsed by now ($7: its creation time
// stays). ON CONFLICT DO UPDATE locks the row, and a racing claim waits
// for it and then re-checks the WHERE on the row as the winner left it, so
// of claims racing on any instances exactly one returns a row. The
// excluded row is the reservation. $1 scope, $2 key, $3 request hash, $4
// locked until, $5 created at.
const reserveSQL = `INSERT INTO idempotency_keys AS k (scope, key, request_hash, locked_until, status, body, created_at)
	VALUES ($1, $2, $3, $4, 0, NULL, $5)
	ON CONFLICT (scope, key) DO UPDATE SET
		request_hash = excluded.request_hash,
		locked_until = excluded.locked_until,
		status = 0,
		body = NULL,
		created_at = CASE WHEN k.created_at < $6 THEN excluded.created_at ELSE k.created_at END
	WHERE k.created_at < $6 OR (k.status = 0 AND (k.locked_until IS NULL OR k.locked_until <= $7))
	RETURNING 1`

// ReserveIdempotencyKey claims (rec.Scope, rec.Key) for a request in flight
// until rec.LockedUntil, in one statement (reserveSQL). A free key, one
// created before notBefore (replaced), or an incomplete one whose lock
// lapsed by now (taken over: its hash and lock change, its creation time
// stays) is claimed and nil returned; otherwise the existing record is read
// and returned unchanged. A zero rec.CreatedAt means now.
func (db *DB) ReserveIdempotencyKey(ctx context.Context, rec assetmint.IdempotencyRecord, now, notBefore time.Time) (*assetmint.IdempotencyRecord, error) {
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = now
	}
	// The record read after a claim that failed may be gone by then
	// (released, or pruned); the key is then free to claim again.
	for range 3 {
		var one int
		err := db.pool.QueryRow(ctx, reserveSQL, rec.Scope, rec.Key, rec.RequestHash, timeArg(rec.LockedUntil),
			timeArg(rec.CreatedAt), timeArg(notBefore), timeArg(now)).Scan(&one)
		if err == nil {
			return nil, nil // claimed
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, storeError(err, "idempotency key")
		}
		var old assetmint.IdempotencyRecord
		err = db.pool.QueryRow(ctx, `SELECT scope, key, request_hash, locked_until, status, body, created_at
			FROM idempotency_keys WHERE scope = $1 AND key = $2`, rec.Scope, rec.Key).Scan(
			&old.Scope, &old.Key, &old.RequestHash, timeCol{&old.LockedUntil}, &old.Status, &old.Body, timeCol{&old.CreatedAt})
		if err == nil {
			return &old, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, storeError(err, "idempotency key")
		}
	}
	return nil, assetmint.Errorf(assetmint.ECONFLICT, "idempotency key %q is changing too fast to reserve", rec.Key)
}

// CompleteIdempotencyKey stores the answer of the reservation held and
// drops its lock, in the caller's transaction when called on one: one
// conditional UPDATE matching the reservation (scope, key, no answer yet,
// the lock it was reserved with), which takes the row's lock, so a
// completion and a take-over of the key are serialized. ECONFLICT if the
// reservation is no longer held (taken over or complete), ENOTFOUND if the
// key is absent, EINVALID for status 0, which would read as incomplete.
func (q queries) CompleteIdempotencyKey(ctx context.Context, held assetmint.IdempotencyRecord, status int, body []byte) error {
	if status == 0 {
		return assetmint.FieldError("status", "status must not be 0")
	}
	if body == nil {
		body = []byte{}
	}
	tag, err := q.q.Exec(ctx, `UPDATE idempotency_keys SET status = $1, body = $2, locked_until = NULL
		WHERE scope = $3 AND key = $4 AND status = 0 AND locked_until = $5`,
		status, body, held.Scope, held.Key, timeArg(held.LockedUntil))
	err = oneRow(tag, err, "idempotency key")
	if assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
		return err
	}
	var found bool
	if qerr := q.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM idempotency_keys WHERE scope = $1 AND key = $2)`,
		held.Scope, held.Key).Scan(&found); qerr != nil {
		return storeError(qerr, "idempotency key")
	}
	if found {
		return assetmint.Errorf(assetmint.ECONFLICT, "idempotency key %q is no longer held by this request", held.Key)
	}
	return err
}

// ReleaseIdempotencyKey deletes the reservation held if it has no answer
// yet; a completed, taken-over or absent key is left as it is.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, held assetmint.IdempotencyRecord) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 0 AND locked_until = $3`,
		held.Scope, held.Key, timeArg(held.LockedUntil))
	return storeError(err, "idempotency key")
}

// PruneIdempotencyKeys deletes records created before createdBefore and
// returns how many.
func (db *DB) PruneIdempotencyKeys(ctx context.Context, createdBefore time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, timeArg(createdBefore))
	if err != nil {
		return 0, storeError(err, "idempotency key")
	}
	return int(tag.RowsAffected()), nil
}
