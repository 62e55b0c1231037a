package postgres

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
	tag, err := q.q.Exec(ctx, `INSERT INTO tokens (`+tokenCols+`)
		SELECT `+placeholders(14)+`
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = $3 AND business_id = $2)
		ON CONFLICT DO NOTHING`,
		t.ID, t.BusinessID, t.AssetID, t.ChainID, t.Contract, t.TokenNumber, t.OwnerAddress, t.TxHash,
		uint64Arg(t.BlockNumber), string(t.Status), t.MetadataHash, t.TokenURI, timeArg(t.CreatedAt), timeArg(t.UpdatedAt))
	return q.inserted(ctx, "token", tag, err, exists("token"), assetInBusiness(t.AssetID, t.BusinessID))
}

// Token reads one of the business's tokens, locking its row in a
// transaction. ENOTFOUND if absent or another business's.
func (q queries) Token(ctx context.Context, businessID, id string) (*assetmint.Token, error) {
	t, err := scanToken(q.q.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE id = $1 AND business_id = $2`+q.forUpdate(),
		id, businessID))
	if err != nil {
		return nil, storeError(err, "token")
	}
	return t, nil
}

// AssetToken reads the asset's token, locking its row in a transaction.
// ENOTFOUND if it has none, or is another business's.
func (q queries) AssetToken(ctx context.Context, businessID, assetID string) (*assetmint.Token, error) {
	t, err := scanToken(q.q.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE asset_id = $1 AND business_id = $2`+q.forUpdate(),
		assetID, businessID))
	if err != nil {
		return nil, storeError(err, "token")
	}
	return t, nil
}

// Tokens lists the business's tokens, newest first.
func (q queries) Tokens(ctx context.Context, businessID string, p assetmint.ListParams) (assetmint.Page[*assetmint.Token], error) {
	return list[*assetmint.Token]{table: "tokens", cols: tokenCols, scope: []cond{eq("business_id", businessID)},
		scan: scanToken, thing: "token"}.page(ctx, q.q, p)
}

// UpdateToken writes t's owner, status, metadata hash, token URI and update
// time, scoped by t.BusinessID; its asset, chain, contract, token number,
// mint transaction and block, and creation time never change. ENOTFOUND if
// absent or another business's.
func (q queries) UpdateToken(ctx context.Context, t *assetmint.Token) error {
	tag, err := q.q.Exec(ctx, `UPDATE tokens SET owner_address = $1, status = $2, metadata_hash = $3, token_uri = $4,
		updated_at = $5
		WHERE id = $6 AND business_id = $7`,
		t.OwnerAddress, string(t.Status), t.MetadataHash, t.TokenURI, timeArg(t.UpdatedAt), t.ID, t.BusinessID)
	return oneRow(tag, err, "token")
}

// AllTokens lists every business's tokens, newest first.
func (q queries) AllTokens(ctx context.Context, p assetmint.ListParams) (assetmint.Page[*assetmint.Token], error) {
	return list[*assetmint.Token]{table: "tokens", cols: tokenCols, scan: scanToken, thing: "token"}.page(ctx, q.q, p)
}

// MoveToken writes a re-minted token's contract, mint transaction, block and
// update time, scoped by t.BusinessID. ENOTFOUND if absent; ECONFLICT if
// another token has that contract and number (the unique constraint fails
// the statement, and so the transaction it runs in).
func (q queries) MoveToken(ctx context.Context, t *assetmint.Token) error {
	tag, err := q.q.Exec(ctx, `UPDATE tokens SET contract = $1, tx_hash = $2, block_number = $3, updated_at = $4
		WHERE id = $5 AND business_id = $6`,
		t.Contract, t.TxHash, uint64Arg(t.BlockNumber), timeArg(t.UpdatedAt), t.ID, t.BusinessID)
	return oneRow(tag, err, "token")
}

// Setting reads a platform setting. ENOTFOUND ("setting not found") if
// unset.
func (q queries) Setting(ctx context.Context, key string) (string, error) {
	var value string
	if err := q.q.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&value); err != nil {
		return "", storeError(err, "setting")
	}
	return value, nil
}

// SetSetting writes a platform setting, replacing any value. The row's
// updated_at, for operators reading the database, is the current time of
// this process's clock (time.Now); no method reads it back.
func (q queries) SetSetting(ctx context.Context, key, value string) error {
	_, err := q.q.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, timeArg(time.Now()))
	return storeError(err, "setting")
}
