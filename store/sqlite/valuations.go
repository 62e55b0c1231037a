package sqlite

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

const valuationCols = `id, business_id, asset_id, report, created_at`

func scanValuation(s rowScanner) (*assetmint.Valuation, error) {
	var v assetmint.Valuation
	var report string
	if err := s.Scan(&v.ID, &v.BusinessID, &v.AssetID, &report, timeCol{&v.CreatedAt}); err != nil {
		return nil, err
	}
	var err error
	if v.Report, err = reports.decode(report); err != nil {
		return nil, err
	}
	return &v, nil
}

// reports remembers decoded valuation reports by their stored JSON: a
// report is decoded once, not on every read (GET /v1/assets/{id} reads the
// latest valuation each time, and decoding its decimals was the largest
// part of the request). Keyed by the JSON itself, so it returns what
// decoding that JSON returns whatever row it came from; each caller gets
// its own copy (Report.Clone). At most maxReports are kept; past that the
// memo starts again empty.
var reports = reportMemo{m: map[string]*valuation.Report{}}

const maxReports = 1024

type reportMemo struct {
	mu sync.Mutex
	m  map[string]*valuation.Report
}

func (r *reportMemo) decode(raw string) (*valuation.Report, error) {
	r.mu.Lock()
	rep, ok := r.m[raw]
	r.mu.Unlock()
	if ok {
		return rep.Clone(), nil
	}
	if err := (jsonCol{&rep}).Scan(raw); err != nil {
		return nil, err
	}
	if rep == nil {
		return nil, nil // a JSON null: nothing to remember
	}
	r.mu.Lock()
	if len(r.m) >= maxReports {
		clear(r.m)
	}
	r.m[raw] = rep.Clone()
	r.mu.Unlock()
	return rep, nil
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
