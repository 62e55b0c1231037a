package postgres

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

// CreateValuation inserts v, its report as JSON, if its asset exists in
// v.BusinessID. ECONFLICT if the id exists; ENOTFOUND ("asset not found")
// if the asset is absent or another business's.
func (q queries) CreateValuation(ctx context.Context, v *assetmint.Valuation) error {
	report, err := json.Marshal(v.Report)
	if err != nil {
		return internal(err)
	}
	tag, err := q.q.Exec(ctx, `INSERT INTO valuations (`+valuationCols+`)
		SELECT `+placeholders(5)+`
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = $3 AND business_id = $2)
		ON CONFLICT DO NOTHING`,
		v.ID, v.BusinessID, v.AssetID, string(report), timeArg(v.CreatedAt))
	return q.inserted(ctx, "valuation", tag, err, exists("valuation"), assetInBusiness(v.AssetID, v.BusinessID))
}

// Valuation reads one of the business's valuations. ENOTFOUND if absent or
// another business's.
func (q queries) Valuation(ctx context.Context, businessID, id string) (*assetmint.Valuation, error) {
	v, err := scanValuation(q.q.QueryRow(ctx, `SELECT `+valuationCols+` FROM valuations WHERE id = $1 AND business_id = $2`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "valuation")
	}
	return v, nil
}

// LatestValuation reads the asset's newest valuation (the highest id).
// ENOTFOUND if it has none, or is another business's.
func (q queries) LatestValuation(ctx context.Context, businessID, assetID string) (*assetmint.Valuation, error) {
	v, err := scanValuation(q.q.QueryRow(ctx, `SELECT `+valuationCols+` FROM valuations
		WHERE business_id = $1 AND asset_id = $2 ORDER BY id DESC LIMIT 1`, businessID, assetID))
	if err != nil {
		return nil, storeError(err, "valuation")
	}
	return v, nil
}

// Valuations lists the asset's valuations, newest first.
func (q queries) Valuations(ctx context.Context, businessID, assetID string, p assetmint.ListParams) (assetmint.Page[*assetmint.Valuation], error) {
	return list[*assetmint.Valuation]{table: "valuations", cols: valuationCols,
		scope: []cond{eq("business_id", businessID), eq("asset_id", assetID)},
		scan:  scanValuation, thing: "valuation"}.page(ctx, q.q, p)
}
