package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/assetmint/assetmint"
)

// sealedColumn is where one kind of sealed value lives. Values in bytea
// columns are bound as bytes, so that they compare equal to what is stored.
// id is the SQL of the value's id; it is compared and ordered bytewise
// (its columns are COLLATE "C").
type sealedColumn struct {
	table, column, id, where string
	bytea                    bool
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
	slices.Sort(kinds)
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
		from := ""
		if kind == after.Kind {
			from = after.ID
		}
		w := c.id + " > $1"
		if c.where != "" {
			w += " AND " + c.where
		}
		values, err := queryAll(ctx, db.pool, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s ORDER BY %s LIMIT $2`,
			c.id, c.column, c.table, w, c.id), []any{from, limit - len(out)},
			func(s rowScanner) (assetmint.SealedValue, error) {
				var id string
				var value []byte
				err := s.Scan(&id, &value)
				return assetmint.SealedValue{Kind: kind, ID: id, Value: string(value)}, err
			}, "sealed value")
		if err != nil {
			return nil, err
		}
		out = append(out, values...)
	}
	return out, nil
}

// ReplaceSealedValue writes value in place of v where the stored text is
// still v.Value (one conditional UPDATE). ECONFLICT if it changed,
// ENOTFOUND if its row is gone.
func (db *DB) ReplaceSealedValue(ctx context.Context, v assetmint.SealedValue, value string) error {
	c, ok := sealedColumns[v.Kind]
	if !ok {
		return assetmint.FieldError("kind", "unknown sealed value kind %q", v.Kind)
	}
	bind := func(s string) any {
		if c.bytea {
			return []byte(s)
		}
		return s
	}
	idWhere, idArgs := "id = $1", []any{v.ID}
	if v.Kind == assetmint.SealedIdempotentAnswer {
		scope, key, _ := strings.Cut(v.ID, " ")
		idWhere, idArgs = "scope = $1 AND key = $2", []any{scope, key}
	}
	n := len(idArgs)
	tag, err := db.pool.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s = $%d WHERE %s AND %s = $%d`, c.table, c.column, n+1, idWhere, c.column, n+2),
		append(idArgs, bind(value), bind(v.Value))...)
	if err := oneRow(tag, err, "sealed value"); assetmint.ErrorCode(err) != assetmint.ENOTFOUND {
		return err
	}
	var one int
	err = db.pool.QueryRow(ctx, fmt.Sprintf(`SELECT 1 FROM %s WHERE %s`, c.table, idWhere), idArgs...).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return assetmint.Errorf(assetmint.ENOTFOUND, "%s of %s not found", v.Kind, v.ID)
	}
	if err != nil {
		return internal(err)
	}
	return assetmint.Errorf(assetmint.ECONFLICT, "%s of %s changed", v.Kind, v.ID)
}
