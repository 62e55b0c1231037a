package sqlite

import (
	"context"

	"github.com/assetmint/assetmint"
)

// SigningKeys lists all token signing keys, newest first.
func (db *DB) SigningKeys(ctx context.Context) ([]assetmint.SigningKey, error) {
	rows, err := db.readers.QueryContext(ctx, `SELECT id, secret, created_at FROM signing_keys ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	keys := []assetmint.SigningKey{}
	for rows.Next() {
		var k assetmint.SigningKey
		if err := rows.Scan(&k.ID, &k.Secret, timeCol{&k.CreatedAt}); err != nil {
			return nil, internal(err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	return keys, nil
}

// AddSigningKey inserts k. ECONFLICT if the id exists.
func (db *DB) AddSigningKey(ctx context.Context, k assetmint.SigningKey) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO signing_keys (id, secret, created_at) VALUES (?, ?, ?)`,
		k.ID, k.Secret, timeArg(k.CreatedAt))
	return db.movePrincipalEpoch(ctx, storeError(err, "signing key"))
}

// DeleteSigningKey removes a key. ENOTFOUND if absent.
func (db *DB) DeleteSigningKey(ctx context.Context, id string) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM signing_keys WHERE id = ?`, id)
	return db.movePrincipalEpoch(ctx, oneRow(res, err, "signing key"))
}
