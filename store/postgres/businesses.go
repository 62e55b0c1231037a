package postgres

import (
	"context"

	"github.com/assetmint/assetmint"
)

const businessCols = `id, name, plan, wallet_address, created_at, updated_at`

func scanBusiness(s rowScanner) (*assetmint.Business, error) {
	var b assetmint.Business
	err := s.Scan(&b.ID, &b.Name, &b.Plan, &b.WalletAddress, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// CreateBusiness inserts b. ECONFLICT if the id exists.
func (q queries) CreateBusiness(ctx context.Context, b *assetmint.Business) error {
	tag, err := q.q.Exec(ctx, `INSERT INTO businesses (`+businessCols+`) VALUES (`+placeholders(6)+`)
		ON CONFLICT DO NOTHING`,
		b.ID, b.Name, string(b.Plan), b.WalletAddress, timeArg(b.CreatedAt), timeArg(b.UpdatedAt))
	return q.inserted(ctx, "business", tag, err, exists("business"))
}

// Business reads one, locking its row in a transaction. ENOTFOUND if
// absent.
func (q queries) Business(ctx context.Context, id string) (*assetmint.Business, error) {
	b, err := scanBusiness(q.q.QueryRow(ctx, `SELECT `+businessCols+` FROM businesses WHERE id = $1`+q.forUpdate(), id))
	if err != nil {
		return nil, storeError(err, "business")
	}
	return b, nil
}

// Businesses lists all businesses, newest first.
func (q queries) Businesses(ctx context.Context, p assetmint.ListParams) (assetmint.Page[*assetmint.Business], error) {
	return list[*assetmint.Business]{table: "businesses", cols: businessCols, scan: scanBusiness, thing: "business"}.page(ctx, q.q, p)
}

// UpdateBusiness writes every field of b but its id and creation time.
// ENOTFOUND if absent.
func (q queries) UpdateBusiness(ctx context.Context, b *assetmint.Business) error {
	tag, err := q.q.Exec(ctx, `UPDATE businesses SET name = $1, plan = $2, wallet_address = $3, updated_at = $4 WHERE id = $5`,
		b.Name, string(b.Plan), b.WalletAddress, timeArg(b.UpdatedAt), b.ID)
	return q.notifyPrincipals(ctx, oneRow(tag, err, "business"))
}
