package sqlite

import (
	"context"
	"slices"

	"github.com/assetmint/assetmint"
)

// listPage runs one page of a newest-first list. sel is the SELECT ... FROM
// part, where the filter ("" for none, else conditions joined by AND) with
// its args. Ids are time-ordered, so newest first is ORDER BY id DESC:
//
//   - first page: ORDER BY id DESC;
//   - StartingAfter X (older than X): id < X ORDER BY id DESC;
//   - EndingBefore X (newer than X): id > X ORDER BY id ASC, reversed, so
//     the page is the one right next to X.
//
// One row more than the limit is read to learn HasMore.
func listPage[T any](ctx context.Context, q dbtx, sel, where string, args []any, p assetmint.ListParams,
	scan func(rowScanner) (T, error), thing string) (assetmint.Page[T], error) {
	limit := p.Limit
	if limit <= 0 {
		limit = assetmint.DefaultListLimit
	}
	cond := func(c string) {
		if where == "" {
			where = c
		} else {
			where += " AND " + c
		}
	}
	asc := false
	switch {
	case p.StartingAfter != "":
		cond("id < ?")
		args = append(args, p.StartingAfter)
	case p.EndingBefore != "":
		cond("id > ?")
		args = append(args, p.EndingBefore)
		asc = true
	}
	query := sel
	if where != "" {
		query += " WHERE " + where
	}
	if asc {
		query += " ORDER BY id ASC LIMIT ?"
	} else {
		query += " ORDER BY id DESC LIMIT ?"
	}
	args = append(args, limit+1)

	items, err := queryAll(ctx, q, query, args, scan, thing)
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
