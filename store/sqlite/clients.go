package sqlite

import (
	"context"

	"github.com/assetmint/assetmint"
)

// CreateClient inserts c. ECONFLICT if the id exists; ENOTFOUND if its
// business does not.
func (q queries) CreateClient(ctx context.Context, c *assetmint.Client) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO clients
		(id, business_id, secret_hash, previous_secret_hash, previous_expires_at, created_at, revoked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.BusinessID, c.SecretHash, c.PreviousSecretHash, timeArg(c.PreviousExpiresAt),
		timeArg(c.CreatedAt), timeArg(c.RevokedAt))
	return storeError(err, "client")
}

// Client reads one client with its business. ENOTFOUND if absent.
func (q queries) Client(ctx context.Context, id string) (*assetmint.Client, *assetmint.Business, error) {
	var c assetmint.Client
	var b assetmint.Business
	err := q.r.QueryRowContext(ctx, `SELECT
		c.id, c.business_id, c.secret_hash, c.previous_secret_hash, c.previous_expires_at, c.created_at, c.revoked_at,
		b.id, b.name, b.plan, b.wallet_address, b.created_at, b.updated_at
		FROM clients c JOIN businesses b ON b.id = c.business_id
		WHERE c.id = ?`, id).Scan(
		&c.ID, &c.BusinessID, &c.SecretHash, &c.PreviousSecretHash, timeCol{&c.PreviousExpiresAt},
		timeCol{&c.CreatedAt}, timeCol{&c.RevokedAt},
		&b.ID, &b.Name, &b.Plan, &b.WalletAddress, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt})
	if err != nil {
		return nil, nil, storeError(err, "client")
	}
	return &c, &b, nil
}

// UpdateClient writes c's secrets and revocation. A client never moves to
// another business: ENOTFOUND if no client has c's id and business id.
func (q queries) UpdateClient(ctx context.Context, c *assetmint.Client) error {
	res, err := q.w.ExecContext(ctx, `UPDATE clients
		SET secret_hash = ?, previous_secret_hash = ?, previous_expires_at = ?, revoked_at = ?
		WHERE id = ? AND business_id = ?`,
		c.SecretHash, c.PreviousSecretHash, timeArg(c.PreviousExpiresAt), timeArg(c.RevokedAt), c.ID, c.BusinessID)
	return q.movePrincipalEpoch(ctx, oneRow(res, err, "client"))
}
