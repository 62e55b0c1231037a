package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
)

var _ assetmint.ReadTxer = (*DB)(nil)

// InReadTx implements assetmint.ReadTxer: fn runs in a REPEATABLE READ,
// READ ONLY transaction, so its reads share one snapshot (and one
// connection) and take no row locks.
func (db *DB) InReadTx(ctx context.Context, fn func(tx assetmint.Tx) error) error {
	t, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return internal(err)
	}
	defer func() { _ = t.Rollback(context.WithoutCancel(ctx)) }() // a no-op after the commit
	if err := fn(&tx{queries{q: t}}); err != nil {
		return err
	}
	if err := t.Commit(ctx); err != nil {
		return internal(err)
	}
	return nil
}
