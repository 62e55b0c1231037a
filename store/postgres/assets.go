package postgres

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
	tag, err := q.q.Exec(ctx, `INSERT INTO assets (`+assetCols+`)
		SELECT `+placeholders(12)+`
		WHERE EXISTS (SELECT 1 FROM businesses WHERE id = $2)
		ON CONFLICT DO NOTHING`,
		a.ID, a.BusinessID, a.Name, string(a.Type), a.Description, decimalArg(a.EstimatedValue), a.Currency,
		meta, string(a.Status), a.Revision, timeArg(a.CreatedAt), timeArg(a.UpdatedAt))
	return q.inserted(ctx, "asset", tag, err, exists("asset"),
		needs("business", `SELECT EXISTS (SELECT 1 FROM businesses WHERE id = $1)`, a.BusinessID))
}

// Asset reads one of the business's assets, locking its row in a
// transaction. ENOTFOUND if absent or another business's.
func (q queries) Asset(ctx context.Context, businessID, id string) (*assetmint.Asset, error) {
	a, err := scanAsset(q.q.QueryRow(ctx, `SELECT `+assetCols+` FROM assets WHERE id = $1 AND business_id = $2`+q.forUpdate(),
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
		filter = eq("status", string(f.Status))
	}
	return list[*assetmint.Asset]{table: "assets", cols: assetCols, scope: []cond{eq("business_id", businessID)},
		filter: filter, scan: scanAsset, thing: "asset"}.page(ctx, q.q, p)
}

// UpdateAsset writes every field of a but its id, business and creation
// time, scoped by a.BusinessID. ENOTFOUND if absent or another business's.
func (q queries) UpdateAsset(ctx context.Context, a *assetmint.Asset) error {
	meta, err := metadataArg(a.Metadata)
	if err != nil {
		return internal(err)
	}
	tag, err := q.q.Exec(ctx, `UPDATE assets SET name = $1, type = $2, description = $3, estimated_value = $4,
		currency = $5, metadata = $6, status = $7, revision = $8, updated_at = $9
		WHERE id = $10 AND business_id = $11`,
		a.Name, string(a.Type), a.Description, decimalArg(a.EstimatedValue), a.Currency, meta, string(a.Status), a.Revision,
		timeArg(a.UpdatedAt), a.ID, a.BusinessID)
	return oneRow(tag, err, "asset")
}

// AssetByID reads an asset whatever its business (operator use), locking
// its row in a transaction. ENOTFOUND if absent.
func (q queries) AssetByID(ctx context.Context, id string) (*assetmint.Asset, error) {
	a, err := scanAsset(q.q.QueryRow(ctx, `SELECT `+assetCols+` FROM assets WHERE id = $1`+q.forUpdate(), id))
	if err != nil {
		return nil, storeError(err, "asset")
	}
	return a, nil
}
