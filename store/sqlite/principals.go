package sqlite

import (
	"context"

	"github.com/assetmint/assetmint"
)

var _ assetmint.PrincipalWatcher = (*DB)(nil)

// PrincipalEpoch implements assetmint.PrincipalWatcher with the one row of
// principal_epoch: UpdateClient, UpdateBusiness, AddSigningKey and
// DeleteSigningKey move it in the same transaction as their change (on the
// DB, in the statement after it, before they return), so it moves exactly
// when a change commits, whichever process or DB made it (the file is the
// only thing they share). Reading it is one point read of a one-row table
// on a reader, in place of reading the client and its business; its WAL
// snapshot is taken before the client's read, so a principal read after a
// change it did not see is tagged with the epoch from before the change.
// ok is false when it cannot be read.
func (db *DB) PrincipalEpoch(ctx context.Context) (uint64, bool) {
	var n uint64
	if err := db.queries.r.QueryRowContext(ctx, `SELECT n FROM principal_epoch WHERE id = 1`).Scan(&n); err != nil {
		return 0, false
	}
	return n, true
}

// movePrincipalEpoch moves the epoch after a change made through q, when
// err (the change's outcome) is nil, and returns err. It must come after
// the change, never before: a principal read between a move and the change
// would be cached with the new epoch.
func (q queries) movePrincipalEpoch(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	if _, err := q.w.ExecContext(ctx, `UPDATE principal_epoch SET n = n + 1 WHERE id = 1`); err != nil {
		return internal(err)
	}
	return nil
}
