package sqlite

import (
	"context"

	"github.com/assetmint/assetmint"
)

const assetCols = `id, business_id, name, type, description, estimated_value, currency, metadata, status, revision, created_at, updated_at`

func scanAsset(s rowScanner) (*assetmint.Asset, error) {
	var a assetmint.Asset
	err := s.Scan(&a.ID, &a.BusinessID, &a.Name, &a.Type, &a.Description, &a.EstimatedValue, &a.Currency,
		metadataCol{&a.Metadata}, &a.Status, &a.Revision, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateAsset inserts a. ECONFLICT if the id exists; ENOTFOUND if its
// business does not.
func (q queries) CreateAsset(ctx context.Context, a *assetmint.Asset) error {
	meta, err := metadataArg(a.Metadata)
	if err != nil {
		return internal(err)
	}
	_, err = q.w.ExecContext(ctx, `INSERT INTO assets (`+assetCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.BusinessID, a.Name, string(a.Type), a.Description, a.EstimatedValue.String(), a.Currency,
		meta, string(a.Status), a.Revision, timeArg(a.CreatedAt), timeArg(a.UpdatedAt))
	return storeError(err, "asset")
}

// Asset reads one of the business's assets. ENOTFOUND if absent or another
// business's.
func (q queries) Asset(ctx context.Context, businessID, id string) (*assetmint.Asset, error) {
	a, err := scanAsset(q.r.QueryRowContext(ctx, `SELECT `+assetCols+` FROM assets WHERE id = ? AND business_id = ?`,
		id, businessID))
	if err != nil {
		return nil, storeError(err, "asset")
	}
	return a, nil
}

// Assets lists the business's assets, newest first, only those in f.Status
// when it is set.
func (q queries) Assets(ctx context.Context, businessID string, f assetmint.AssetFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Asset], error) {
	var filter cond
	if f.Status != "" {
		filter = cond{"status = ?", []any{string(f.Status)}}
	}
	return list[*assetmint.Asset]{table: "assets", cols: assetCols, scope: cond{"business_id = ?", []any{businessID}},
		filter: filter, scan: scanAsset, thing: "asset"}.page(ctx, q.r, p)
}

// UpdateAsset writes every field of a but its id, business and creation
// time, scoped by a.BusinessID. ENOTFOUND if absent or another business's.
func (q queries) UpdateAsset(ctx context.Context, a *assetmint.Asset) error {
	meta, err := metadataArg(a.Metadata)
	if err != nil {
		return internal(err)
	}
	res, err := q.w.ExecContext(ctx, `UPDATE assets SET name = ?, type = ?, description = ?, estimated_value = ?,
		currency = ?, metadata = ?, status = ?, revision = ?, updated_at = ?
		WHERE id = ? AND business_id = ?`,
		a.Name, string(a.Type), a.Description, a.EstimatedValue.String(), a.Currency, meta, string(a.Status), a.Revision,
		timeArg(a.UpdatedAt), a.ID, a.BusinessID)
	return oneRow(res, err, "asset")
}

// AssetByID reads an asset whatever its business (operator use).
// ENOTFOUND if absent.
func (q queries) AssetByID(ctx context.Context, id string) (*assetmint.Asset, error) {
	a, err := scanAsset(q.r.QueryRowContext(ctx, `SELECT `+assetCols+` FROM assets WHERE id = ?`, id))
	if err != nil {
		return nil, storeError(err, "asset")
	}
	return a, nil
}

// AllAssets lists every business's assets, newest first, only those in
// f.Status when it is set.
func (q queries) AllAssets(ctx context.Context, f assetmint.AssetFilter, p assetmint.ListParams) (assetmint.Page[*assetmint.Asset], error) {
	var filter cond
	if f.Status != "" {
		filter = cond{"status = ?", []any{string(f.Status)}}
	}
	return list[*assetmint.Asset]{table: "assets", cols: assetCols, filter: filter, scan: scanAsset, thing: "asset"}.page(ctx, q.r, p)
}

// CountAssets counts every business's assets by status (from the index
// assets_status_id alone).
func (q queries) CountAssets(ctx context.Context) (map[assetmint.AssetStatus]int, error) {
	type row struct {
		status assetmint.AssetStatus
		n      int
	}
	rows, err := queryAll(ctx, q.r, `SELECT status, count(*) FROM assets GROUP BY status`, nil,
		func(s rowScanner) (row, error) {
			var r row
			return r, s.Scan(&r.status, &r.n)
		}, "asset")
	if err != nil {
		return nil, err
	}
	out := make(map[assetmint.AssetStatus]int, len(rows))
	for _, r := range rows {
		out[r.status] = r.n
	}
	return out, nil
}
