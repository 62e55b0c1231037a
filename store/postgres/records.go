package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// Compile-time checks that DB is a whole store and its transactions are
// whole Txs.
var (
	_ assetmint.Store          = (*DB)(nil)
	_ assetmint.Tx             = (*tx)(nil)
	_ assetmint.SealedStore    = (*DB)(nil)
	_ jobs.Queue               = (*DB)(nil)
	_ jobs.Enqueuer            = (*tx)(nil)
	_ assetmint.FanoutEnqueuer = (*tx)(nil)
)

// placeholders is "$1, $2, ..., $n", the values of an INSERT of n columns.
func placeholders(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i))
	}
	return b.String()
}

// check is one reason an INSERT ... ON CONFLICT DO NOTHING may have made no
// row: a row it needs is missing (needs), or a row holds one of its unique
// values (taken). query is a SELECT EXISTS for that row.
type check struct {
	query   string
	args    []any
	missing bool // err applies when the row is missing, else when it exists
	err     error
}

// needs is the check that the parent row query finds exists: ENOTFOUND
// ("thing not found") if not.
func needs(thing, query string, args ...any) check {
	return check{query: query, args: args, missing: true, err: notFound(thing)}
}

// taken is the check that no row query finds exists: ECONFLICT with
// message if one does.
func taken(message, query string, args ...any) check {
	return check{query: query, args: args, err: conflict(message)}
}

// inserted translates the outcome of an INSERT ... ON CONFLICT DO NOTHING
// of one row (for a record with a parent, INSERT ... SELECT ... WHERE
// EXISTS the parent in the business). Such an insert never fails on a
// duplicate, so it never aborts the caller's transaction: the engine goes
// on after a conflict it expects (a delivery that exists). When it made no
// row, the checks say why, in order (each is a new statement, which at READ
// COMMITTED sees what a racing transaction committed meanwhile); if none
// does, it is dup, the ECONFLICT of a unique value.
func (q queries) inserted(ctx context.Context, thing string, tag pgconn.CommandTag, err error, dup error, checks ...check) error {
	if err != nil {
		return storeError(err, thing)
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	for _, c := range checks {
		var exists bool
		if err := q.q.QueryRow(ctx, c.query, c.args...).Scan(&exists); err != nil {
			return storeError(err, thing)
		}
		if exists != c.missing {
			return c.err
		}
	}
	return dup
}

// conflict is an ECONFLICT with message.
func conflict(message string) error {
	return &assetmint.Error{Code: assetmint.ECONFLICT, Message: message}
}

// exists is the ECONFLICT of a duplicate thing ("asset already exists").
func exists(thing string) error { return conflict(thing + " already exists") }
