package sqlite

import (
	"context"
	"time"

	"github.com/assetmint/assetmint"
)

// CreateOperatorSession inserts s. ECONFLICT if the id exists.
func (db *DB) CreateOperatorSession(ctx context.Context, s *assetmint.OperatorSession) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO operator_sessions (id, created_at, expires_at) VALUES (?, ?, ?)`,
		s.ID, timeArg(s.CreatedAt), timeArg(s.ExpiresAt))
	return storeError(err, "operator session")
}

// OperatorSession reads a session, expired or not. ENOTFOUND if absent.
func (db *DB) OperatorSession(ctx context.Context, id string) (*assetmint.OperatorSession, error) {
	var s assetmint.OperatorSession
	err := db.readers.QueryRowContext(ctx, `SELECT id, created_at, expires_at FROM operator_sessions WHERE id = ?`, id).
		Scan(&s.ID, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
	if err != nil {
		return nil, storeError(err, "operator session")
	}
	return &s, nil
}

// DeleteOperatorSession deletes a session; an absent one is not an error.
func (db *DB) DeleteOperatorSession(ctx context.Context, id string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM operator_sessions WHERE id = ?`, id)
	return storeError(err, "operator session")
}

// PruneOperatorSessions deletes the sessions that expired before
// expiredBefore.
func (db *DB) PruneOperatorSessions(ctx context.Context, expiredBefore time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM operator_sessions WHERE expires_at < ?`, timeArg(expiredBefore))
	return affected(res, err, "operator session")
}
