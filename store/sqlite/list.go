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

	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return assetmint.Page[T]{}, storeError(err, thing)
	}
	defer rows.Close()
	items := make([]T, 0, min(limit+1, 32))
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return assetmint.Page[T]{}, internal(err)
		}
		items = append(items, item)
	}
	if err := rows.Err(); err != nil {
		return assetmint.Page[T]{}, internal(err)
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
