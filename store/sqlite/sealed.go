package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/assetmint/assetmint"
)

var _ assetmint.SealedStore = (*DB)(nil)

// sealedColumn is where one kind of sealed value lives. Values in BLOB
// columns are bound as bytes, so that they compare equal to what is stored.
type sealedColumn struct {
	table, column, id, where string
	blob                     bool
}

var sealedColumns = map[string]sealedColumn{
	assetmint.SealedSigningKey:            {"signing_keys", "secret", "id", "", true},
	assetmint.SealedWebhookSecret:         {"webhook_endpoints", "secret", "id", "secret <> ''", false},
	assetmint.SealedWebhookPreviousSecret: {"webhook_endpoints", "previous_secret", "id", "previous_secret <> ''", false},
	// An answer's id is its scope and key; scopes have no spaces.
	assetmint.SealedIdempotentAnswer: {"idempotency_keys", "body", "scope || ' ' || key", "status <> 0 AND length(body) > 0", true},
}

func sealedKinds() []string {
	kinds := make([]string, 0, len(sealedColumns))
	for k := range sealedColumns {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// SealedValues lists up to limit stored secrets in (Kind, ID) order after
// the one named by after.
func (db *DB) SealedValues(ctx context.Context, after assetmint.SealedValue, limit int) ([]assetmint.SealedValue, error) {
	out := []assetmint.SealedValue{}
	for _, kind := range sealedKinds() {
		if kind < after.Kind || len(out) >= limit {
			continue
		}
		c := sealedColumns[kind]
		where, args := c.id+" > ?", []any{""}
		if kind == after.Kind {
			args[0] = after.ID
		}
		if c.where != "" {
			where += " AND " + c.where
		}
		rows, err := db.readers.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s ORDER BY %s LIMIT ?`,
			c.id, c.column, c.table, where, c.id), append(args, limit-len(out))...)
		if err != nil {
			return nil, internal(err)
		}
		for rows.Next() {
			var id string
			var value []byte
			if err := rows.Scan(&id, &value); err != nil {
				rows.Close()
				return nil, internal(err)
			}
			out = append(out, assetmint.SealedValue{Kind: kind, ID: id, Value: string(value)})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, internal(err)
		}
	}
	return out, nil
}

// ReplaceSealedValue writes value in place of v where the stored text is
// still v.Value. ECONFLICT if it changed, ENOTFOUND if its row is gone.
func (db *DB) ReplaceSealedValue(ctx context.Context, v assetmint.SealedValue, value string) error {
	c, ok := sealedColumns[v.Kind]
	if !ok {
		return assetmint.FieldError("kind", "unknown sealed value kind %q", v.Kind)
	}
	bind := func(s string) any {
		if c.blob {
			return []byte(s)
		}
		return s
	}
	idWhere, idArgs := "id = ?", []any{v.ID}
	if v.Kind == assetmint.SealedIdempotentAnswer {
		scope, key, _ := strings.Cut(v.ID, " ")
		idWhere, idArgs = "scope = ? AND key = ?", []any{scope, key}
	}
	return db.inWriteTx(ctx, func(q dbtx) error {
		res, err := q.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = ? WHERE %s AND %s = ?`, c.table, c.column, idWhere, c.column),
			append(append([]any{bind(value)}, idArgs...), bind(v.Value))...)
		if err := oneRow(res, err, "sealed value"); assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
			return err
		}
		var one int
		err = q.QueryRowContext(ctx, fmt.Sprintf(`SELECT 1 FROM %s WHERE %s`, c.table, idWhere), idArgs...).Scan(&one)
		if err == sql.ErrNoRows {
			return assetmint.Errorf(assetmint.ENOTFOUND, "%s of %s not found", v.Kind, v.ID)
		}
		if err != nil {
			return internal(err)
		}
		return assetmint.Errorf(assetmint.ECONFLICT, "%s of %s changed", v.Kind, v.ID)
	})
}
