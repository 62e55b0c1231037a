package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/assetmint/assetmint"
)

var _ assetmint.ReadTxer = (*DB)(nil)

// InReadTx implements assetmint.ReadTxer: fn runs on one reader connection
// (query_only) inside BEGIN DEFERRED, so its reads share the WAL snapshot
// the first one takes, and never wait for the writer. (Not BeginTx: the
// pools' _txlock=immediate would make it take the write lock.)
func (db *DB) InReadTx(ctx context.Context, fn func(tx assetmint.Tx) error) (err error) {
	conn, err := db.readers.Conn(ctx)
	if err != nil {
		return internal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return internal(err)
	}
	defer func() {
		// Nothing to keep: COMMIT and ROLLBACK of a read both just end it.
		// Not with ctx, which may have ended.
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil && err == nil {
			err = internal(rerr)
		}
	}()
	return fn(&tx{queries{r: uncancelled{conn}, w: readOnly{}}})
}

// readOnly is the writer of a read transaction: every write fails.
type readOnly struct{}

var errReadOnly = errors.New("sqlite: a write in a read-only transaction")

func (readOnly) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	return nil, errReadOnly
}
