package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/assetmint/assetmint"
)

// cond is a condition of a WHERE clause with its arguments; the zero value
// is no condition.
type cond struct {
	sql  string
	args []any
}

// where joins the conditions that are not empty with AND; "" for none.
func where(conds ...cond) (string, []any) {
	var parts []string
	var args []any
	for _, c := range conds {
		if c.sql != "" {
			parts = append(parts, c.sql)
			args = append(args, c.args...)
		}
	}
	return strings.Join(parts, " AND "), args
}

// list is one newest-first list of a table's rows, thing ("asset") in its
// errors. scope says which rows the list pages through (a business's, an
// asset's); filter narrows what a page shows within it (a status). A
// cursor must name a row in scope; the filter does not apply to it, so a
// row that left the filter since the page that named it still works.
type list[T any] struct {
	table, cols   string
	scope, filter cond
	scan          func(rowScanner) (T, error)
	thing         string
}

// page runs one page of l. Ids are time-ordered, so newest first is ORDER
// BY id DESC:
//
//   - first page: ORDER BY id DESC;
//   - StartingAfter X (older than X): id < X ORDER BY id DESC;
//   - EndingBefore X (newer than X): id > X ORDER BY id ASC, reversed, so
//     the page is the one right next to X.
//
// One row more than the limit is read to learn HasMore. A cursor that names
// no row in scope is ENOTFOUND wrapping assetmint.ErrCursorNotFound. The
// cursor's check and the page are two statements; on the reader pool they
// may see different commits, which is harmless since listed rows are never
// deleted.
func (l list[T]) page(ctx context.Context, q dbtx, p assetmint.ListParams) (assetmint.Page[T], error) {
	limit := p.Limit
	if limit <= 0 {
		limit = assetmint.DefaultListLimit
	}
	if cursor := cmp.Or(p.StartingAfter, p.EndingBefore); cursor != "" {
		w, args := where(cond{"id = ?", []any{cursor}}, l.scope)
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM `+l.table+` WHERE `+w, args...).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return assetmint.Page[T]{}, &assetmint.Error{Code: assetmint.ENOTFOUND, Message: l.thing + " not found",
				Err: assetmint.ErrCursorNotFound}
		}
		if err != nil {
			return assetmint.Page[T]{}, storeError(err, l.thing)
		}
	}
	var page cond
	asc := false
	switch {
	case p.StartingAfter != "":
		page = cond{"id < ?", []any{p.StartingAfter}}
	case p.EndingBefore != "":
		page, asc = cond{"id > ?", []any{p.EndingBefore}}, true
	}
	w, args := where(l.scope, l.filter, page)
	query := `SELECT ` + l.cols + ` FROM ` + l.table
	if w != "" {
		query += " WHERE " + w
	}
	if asc {
		query += " ORDER BY id ASC LIMIT ?"
	} else {
		query += " ORDER BY id DESC LIMIT ?"
	}
	args = append(args, limit+1)

	items, err := queryAll(ctx, q, query, args, l.scan, l.thing)
	if err != nil {
		return assetmint.Page[T]{}, err
	}
	hasMore := len(items) > limit
	if hasMore {
		items = items[:limit]
	}
	if asc {
		slices.Reverse(items)
	}
	return assetmint.Page[T]{Items: items, HasMore: hasMore}, nil
}

// queryAll runs a query and scans every row, for the lists that are not
// paged; an empty result is an empty, non-nil slice.
func queryAll[T any](ctx context.Context, q dbtx, query string, args []any, scan func(rowScanner) (T, error), thing string) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storeError(err, thing)
	}
	defer rows.Close()
	items := []T{}
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, internal(err)
		}
		items = append(items, item)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	return items, nil
}
