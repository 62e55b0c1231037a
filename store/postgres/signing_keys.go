package postgres

import (
	"context"

	"github.com/assetmint/assetmint"
)

// SigningKeys lists all token signing keys, newest first.
func (db *DB) SigningKeys(ctx context.Context) ([]assetmint.SigningKey, error) {
	return queryAll(ctx, db.pool, `SELECT id, secret, created_at FROM signing_keys ORDER BY created_at DESC, id DESC`, nil,
		func(s rowScanner) (assetmint.SigningKey, error) {
			var k assetmint.SigningKey
			err := s.Scan(&k.ID, &k.Secret, timeCol{&k.CreatedAt})
			return k, err
		}, "signing key")
}

// AddSigningKey inserts k. ECONFLICT if the id exists.
func (db *DB) AddSigningKey(ctx context.Context, k assetmint.SigningKey) error {
	// In a transaction with its NOTIFY, so that no instance misses it.
	return db.inTx(ctx, func(q queries) error {
		tag, err := q.q.Exec(ctx, `INSERT INTO signing_keys (id, secret, created_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, k.ID, k.Secret, timeArg(k.CreatedAt))
		return q.notifyPrincipals(ctx, q.inserted(ctx, "signing key", tag, err, exists("signing key")))
	})
}

// DeleteSigningKey removes a key. ENOTFOUND if absent.
func (db *DB) DeleteSigningKey(ctx context.Context, id string) error {
	return db.inTx(ctx, func(q queries) error {
		tag, err := q.q.Exec(ctx, `DELETE FROM signing_keys WHERE id = $1`, id)
		return q.notifyPrincipals(ctx, oneRow(tag, err, "signing key"))
	})
}
