package sqlite

import (
	"context"
	"encoding/json"

	"github.com/assetmint/assetmint"
)

const valuationCols = `id, business_id, asset_id, report, created_at`

func scanValuation(s rowScanner) (*assetmint.Valuation, error) {
	var v assetmint.Valuation
	if err := s.Scan(&v.ID, &v.BusinessID, &v.AssetID, jsonCol{&v.Report}, timeCol{&v.CreatedAt}); err != nil {
		return nil, err
	}
	return &v, nil
}

// CreateValuation inserts v, its report as JSON. ECONFLICT if the id
// exists; ENOTFOUND if its asset does not exist in its business.
func (q queries) CreateValuation(ctx context.Context, v *assetmint.Valuation) error {
	report, err := json.Marshal(v.Report)
	if err != nil {
		return internal(err)
	}
	res, err := q.w.ExecContext(ctx, `INSERT INTO valuations (`+valuationCols+`)
		SELECT ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = ? AND business_id = ?)`,
		v.ID, v.BusinessID, v.AssetID, string(report), timeArg(v.CreatedAt), v.AssetID, v.BusinessID)
	return insertOn(res, err, "valuation", "asset")
}

// Valuation reads one of the business's valuations. ENOTFOUND if absent or
// another business's.
func (q queries) Valuation(ctx context.Context, businessID, id string) (*assetmint.Valuation, error) {
	v, err := scanValuation(q.r.QueryRowContext(ctx, `SELECT `+valuationCols+` FROM valuations WHERE id = ? AND business_id = ?`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "valuation")
	}
	return v, nil
}

// LatestValuation reads the asset's newest valuation (the highest id).
// ENOTFOUND if it has none, or is another business's.
func (q queries) LatestValuation(ctx context.Context, businessID, assetID string) (*assetmint.Valuation, error) {
	v, err := scanValuation(q.r.QueryRowContext(ctx, `SELECT `+valuationCols+` FROM valuations
		WHERE business_id = ? AND asset_id = ? ORDER BY id DESC LIMIT 1`, businessID, assetID))
	if err != nil {
		return nil, storeError(err, "valuation")
	}
	return v, nil
}

// Valuations lists the asset's valuations, newest first.
func (q queries) Valuations(ctx context.Context, businessID, assetID string, p assetmint.ListParams) (assetmint.Page[*assetmint.Valuation], error) {
	return list[*assetmint.Valuation]{table: "valuations", cols: valuationCols,
		scope: cond{"business_id = ? AND asset_id = ?", []any{businessID, assetID}},
		scan:  scanValuation, thing: "valuation"}.page(ctx, q.r, p)
}
