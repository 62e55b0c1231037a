package sqlite

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
	_, err := q.w.ExecContext(ctx, `INSERT INTO businesses (`+businessCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		b.ID, b.Name, string(b.Plan), b.WalletAddress, timeArg(b.CreatedAt), timeArg(b.UpdatedAt))
	return storeError(err, "business")
}

// Business reads one. ENOTFOUND if absent.
func (q queries) Business(ctx context.Context, id string) (*assetmint.Business, error) {
	b, err := scanBusiness(q.r.QueryRowContext(ctx, `SELECT `+businessCols+` FROM businesses WHERE id = ?`, id))
	if err != nil {
		return nil, storeError(err, "business")
	}
	return b, nil
}

// Businesses lists all businesses, newest first.
func (q queries) Businesses(ctx context.Context, p assetmint.ListParams) (assetmint.Page[*assetmint.Business], error) {
	return list[*assetmint.Business]{table: "businesses", cols: businessCols, scan: scanBusiness, thing: "business"}.page(ctx, q.r, p)
}

// UpdateBusiness writes every field of b but its id and creation time.
// ENOTFOUND if absent.
func (q queries) UpdateBusiness(ctx context.Context, b *assetmint.Business) error {
	res, err := q.w.ExecContext(ctx, `UPDATE businesses SET name = ?, plan = ?, wallet_address = ?, updated_at = ? WHERE id = ?`,
		b.Name, string(b.Plan), b.WalletAddress, timeArg(b.UpdatedAt), b.ID)
	return q.movePrincipalEpoch(ctx, oneRow(res, err, "business"))
}
