package sqlite

import (
	"context"
	"time"

	"github.com/assetmint/assetmint"
)

const tokenCols = `id, business_id, asset_id, chain_id, contract, token_number, owner_address, tx_hash, block_number,
	status, metadata_hash, token_uri, created_at, updated_at`

func scanToken(s rowScanner) (*assetmint.Token, error) {
	var t assetmint.Token
	err := s.Scan(&t.ID, &t.BusinessID, &t.AssetID, &t.ChainID, &t.Contract, &t.TokenNumber, &t.OwnerAddress,
		&t.TxHash, uint64Col{&t.BlockNumber}, &t.Status, &t.MetadataHash, &t.TokenURI,
		timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateToken inserts t if its asset exists in t.BusinessID. ECONFLICT if
// the id exists, the asset has a token already, or another token has the
// same chain, contract and token number; ENOTFOUND ("asset not found") if
// the asset is absent or another business's.
func (q queries) CreateToken(ctx context.Context, t *assetmint.Token) error {
	res, err := q.w.ExecContext(ctx, `INSERT INTO tokens (`+tokenCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = ? AND business_id = ?)`,
		t.ID, t.BusinessID, t.AssetID, t.ChainID, t.Contract, t.TokenNumber, t.OwnerAddress, t.TxHash,
		uint64Arg(t.BlockNumber), string(t.Status), t.MetadataHash, t.TokenURI, timeArg(t.CreatedAt), timeArg(t.UpdatedAt),
		t.AssetID, t.BusinessID)
	return insertOn(res, err, "token", "asset")
}

// Token reads one of the business's tokens. ENOTFOUND if absent or another
// business's.
func (q queries) Token(ctx context.Context, businessID, id string) (*assetmint.Token, error) {
	t, err := scanToken(q.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = ? AND business_id = ?`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "token")
	}
	return t, nil
}

// AssetToken reads the asset's token. ENOTFOUND if it has none, or is
// another business's.
func (q queries) AssetToken(ctx context.Context, businessID, assetID string) (*assetmint.Token, error) {
	t, err := scanToken(q.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE asset_id = ? AND business_id = ?`,
		assetID, businessID))
	if err != nil {
		return nil, storeError(err, "token")
	}
	return t, nil
}

// Tokens lists the business's tokens, newest first.
func (q queries) Tokens(ctx context.Context, businessID string, p assetmint.ListParams) (assetmint.Page[*assetmint.Token], error) {
	return list[*assetmint.Token]{table: "tokens", cols: tokenCols, scope: cond{"business_id = ?", []any{businessID}},
		scan: scanToken, thing: "token"}.page(ctx, q.r, p)
}

// UpdateToken writes t's owner, status, metadata hash, token URI and update
// time, scoped by t.BusinessID; its asset, chain, contract, token number,
// mint transaction and block, and creation time never change. ENOTFOUND if
// absent or another business's.
func (q queries) UpdateToken(ctx context.Context, t *assetmint.Token) error {
	res, err := q.w.ExecContext(ctx, `UPDATE tokens SET owner_address = ?, status = ?, metadata_hash = ?, token_uri = ?,
		updated_at = ?
		WHERE id = ? AND business_id = ?`,
		t.OwnerAddress, string(t.Status), t.MetadataHash, t.TokenURI, timeArg(t.UpdatedAt), t.ID, t.BusinessID)
	return oneRow(res, err, "token")
}

// AllTokens lists every business's tokens, newest first.
func (q queries) AllTokens(ctx context.Context, p assetmint.ListParams) (assetmint.Page[*assetmint.Token], error) {
	return list[*assetmint.Token]{table: "tokens", cols: tokenCols, scan: scanToken, thing: "token"}.page(ctx, q.r, p)
}

// MoveToken writes a re-minted token's contract, mint transaction, block and
// update time, scoped by t.BusinessID. ENOTFOUND if absent; ECONFLICT if
// another token has that contract and number.
func (q queries) MoveToken(ctx context.Context, t *assetmint.Token) error {
	res, err := q.w.ExecContext(ctx, `UPDATE tokens SET contract = ?, tx_hash = ?, block_number = ?, updated_at = ?
		WHERE id = ? AND business_id = ?`,
		t.Contract, t.TxHash, uint64Arg(t.BlockNumber), timeArg(t.UpdatedAt), t.ID, t.BusinessID)
	return oneRow(res, err, "token")
}

// Setting reads a platform setting. ENOTFOUND ("setting not found") if
// unset.
func (q queries) Setting(ctx context.Context, key string) (string, error) {
	var value string
	if err := q.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value); err != nil {
		return "", storeError(err, "setting")
	}
	return value, nil
}

// SetSetting writes a platform setting, replacing any value. The row's
// updated_at, for operators reading the database, is the current UTC time
// of this process's clock (time.Now); no method reads it back.
func (q queries) SetSetting(ctx context.Context, key, value string) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, timeArg(time.Now()))
	return storeError(err, "setting")
}
