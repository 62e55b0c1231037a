package postgres

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
)

// params collects a statement's arguments, naming each by its $n.
type params []any

// add appends v and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

// cond is a condition of a WHERE clause: it adds its arguments to p and
// returns its SQL. A nil cond is no condition.
type cond func(p *params) string

// eq is the condition col = v.
func eq(col string, v any) cond {
	return func(p *params) string { return col + " = " + p.add(v) }
}

// where joins the conditions that are not nil with AND; "" for none.
func where(p *params, conds ...cond) string {
	var parts []string
	for _, c := range conds {
		if c != nil {
			parts = append(parts, c(p))
		}
	}
	return strings.Join(parts, " AND ")
}

// rowScanner is a pgx.Row or pgx.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

// list is one newest-first list of a table's rows, thing ("asset") in its
// errors. scope says which rows the list pages through (a business's, an
// asset's); filter narrows what a page shows within it (a status). A cursor
// must name a row in scope; the filter does not apply to it, so a row that
// left the filter since the page that named it still works. Lists never
// lock rows, in a transaction or not.
type list[T any] struct {
	table, cols string
	scope       []cond
	filter      cond
	scan        func(rowScanner) (T, error)
	thing       string
}

// page runs one page of l, as store/sqlite does. Ids are time-ordered (and
// compared bytewise, COLLATE "C"), so newest first is ORDER BY id DESC:
//
//   - first page: ORDER BY id DESC;
//   - StartingAfter X (older than X): id < X ORDER BY id DESC;
//   - EndingBefore X (newer than X): id > X ORDER BY id ASC, reversed, so
//     the page is the one right next to X.
//
// One row more than the limit is read to learn HasMore. A cursor that names
// no row in scope is ENOTFOUND wrapping assetmint.ErrCursorNotFound. The
// cursor's check and the page are two statements; outside a transaction
// they may see different commits, which is harmless since listed rows are
// never deleted.
func (l list[T]) page(ctx context.Context, q querier, p assetmint.ListParams) (assetmint.Page[T], error) {
	limit := p.Limit
	if limit <= 0 {
		limit = assetmint.DefaultListLimit
	}
	if cursor := cmp.Or(p.StartingAfter, p.EndingBefore); cursor != "" {
		var args params
		w := where(&args, append([]cond{eq("id", cursor)}, l.scope...)...)
		var one int
		err := q.QueryRow(ctx, `SELECT 1 FROM `+l.table+` WHERE `+w, args...).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
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
		page = func(a *params) string { return "id < " + a.add(p.StartingAfter) }
	case p.EndingBefore != "":
		page, asc = func(a *params) string { return "id > " + a.add(p.EndingBefore) }, true
	}
	var args params
	conds := append(append([]cond{}, l.scope...), l.filter, page)
	query := `SELECT ` + l.cols + ` FROM ` + l.table
	if w := where(&args, conds...); w != "" {
		query += " WHERE " + w
	}
	if asc {
		query += " ORDER BY id ASC LIMIT " + args.add(limit+1)
	} else {
		query += " ORDER BY id DESC LIMIT " + args.add(limit+1)
	}

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
func queryAll[T any](ctx context.Context, q querier, query string, args []any, scan func(rowScanner) (T, error), thing string) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
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
		return nil, storeError(err, thing)
	}
	return items, nil
}
