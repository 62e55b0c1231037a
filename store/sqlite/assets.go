package sqlite

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/assetmint/assetmint"
)

var _ assetmint.AssetDetailsReader = (*DB)(nil)

const assetCols = `id, business_id, name, type, description, estimated_value, currency, metadata, status, revision, created_at, updated_at`

// assetDest is where the columns of assetCols scan into a.
func assetDest(a *assetmint.Asset) []any {
	return []any{&a.ID, &a.BusinessID, &a.Name, &a.Type, &a.Description, &a.EstimatedValue, &a.Currency,
		metadataCol{&a.Metadata}, &a.Status, &a.Revision, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}}
}

func scanAsset(s rowScanner) (*assetmint.Asset, error) {
	var a assetmint.Asset
	if err := s.Scan(assetDest(&a)...); err != nil {
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
		currency = ?, metadata = ?, status = ?, revision = ?, updated_at = ?, detail_version = detail_version + 1
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

// assetDetailsQuery reads an asset, its newest valuation, by the ordering
// of LatestValuation, and its attached documents as one JSON array
// (json_group_array: an asset has few documents, and none is the common
// case, where the array is "[]"), in one statement. The valuation's columns
// are scalar subqueries, each a seek in its (business_id, asset_id, id)
// index: a LEFT JOIN on the newest row (ON v.id = the newest id) returns
// the same but took 3 to 4 times as long with SQLite 3.54, which made the
// one statement slower than the three reads it replaces
// (docs/performance.md, "Reads"; BenchmarkAssetDetails compares it with
// them).
var assetDetailsQuery = `SELECT ` + qualified("a", assetCols) + `, a.detail_version,
	` + newestValuation("id") + `, ` + newestValuation("report") + `, ` + newestValuation("created_at") + `,
	(SELECT json_group_array(json_object('id', d.id, 'kind', d.kind, 'filename', d.filename,
			'content_type', d.content_type, 'size', d.size, 'sha256', d.sha256, 'amount', d.amount,
			'currency', d.currency, 'date', d.date, 'serial', d.serial, 'vin', d.vin, 'issuer', d.issuer,
			'parsed', d.parsed, 'created_at', d.created_at) ORDER BY d.id)
		FROM documents d WHERE d.business_id = a.business_id AND d.asset_id = a.id AND d.detached_at IS NULL)
	FROM assets a WHERE a.id = ? AND a.business_id = ?`

// newestValuation is a scalar subquery of assetDetailsQuery: col of the
// asset's newest valuation, NULL if it has none.
func newestValuation(col string) string {
	return `(SELECT v.` + col + ` FROM valuations v WHERE v.business_id = a.business_id AND v.asset_id = a.id
		ORDER BY v.id DESC LIMIT 1)`
}

// AssetDetails reads one of the business's assets, its attached documents,
// oldest first, its newest valuation (nil if none) and its detail_version
// in one statement, so in one snapshot. ENOTFOUND if the asset is absent
// or another business's.
func (q queries) AssetDetails(ctx context.Context, businessID, id string) (*assetmint.AssetDetails, error) {
	var (
		a                       assetmint.Asset
		version                 int64
		valID, report, docsJSON string
		valCreated              time.Time
	)
	dest := append(assetDest(&a), &version, textCol{&valID}, textCol{&report}, timeCol{&valCreated}, textCol{&docsJSON})
	if err := q.r.QueryRowContext(ctx, assetDetailsQuery, id, businessID).Scan(dest...); err != nil {
		return nil, storeError(err, "asset")
	}
	docs, err := detailDocuments(docsJSON, a.BusinessID, a.ID)
	if err != nil {
		return nil, internal(err)
	}
	var v *assetmint.Valuation
	if valID != "" {
		v = &assetmint.Valuation{ID: valID, BusinessID: a.BusinessID, AssetID: a.ID, CreatedAt: valCreated}
		if v.Report, err = reports.decode(report); err != nil {
			return nil, internal(err)
		}
	}
	return &assetmint.AssetDetails{Asset: &a, Documents: docs, Valuation: v, Version: version}, nil
}

// AssetDetailVersion reads the detail_version of one of the business's
// assets (migration 0011: it moves in the statement of every change to the
// detail). ENOTFOUND if the asset is absent or another business's.
func (q queries) AssetDetailVersion(ctx context.Context, businessID, id string) (int64, error) {
	var v int64
	if err := q.r.QueryRowContext(ctx, `SELECT detail_version FROM assets WHERE id = ? AND business_id = ?`, id, businessID).Scan(&v); err != nil {
		return 0, storeError(err, "asset")
	}
	return v, nil
}

// detailDocument is one document as assetDetailsQuery writes it: its
// columns as JSON values (text, integers and NULLs), its business and
// asset left out (the asset's).
type detailDocument struct {
	ID          string  `json:"id"`
	Kind        string  `json:"kind"`
	Filename    string  `json:"filename"`
	ContentType string  `json:"content_type"`
	Size        int64   `json:"size"`
	SHA256      string  `json:"sha256"`
	Amount      *string `json:"amount"`
	Currency    string  `json:"currency"`
	Date        *string `json:"date"`
	Serial      string  `json:"serial"`
	VIN         string  `json:"vin"`
	Issuer      string  `json:"issuer"`
	Parsed      *string `json:"parsed"`
	CreatedAt   string  `json:"created_at"`
}

// detailDocuments decodes assetDetailsQuery's array of attached documents
// into what scanDocument makes of the same rows.
func detailDocuments(text, businessID, assetID string) ([]*assetmint.Document, error) {
	docs := []*assetmint.Document{}
	if text == "[]" {
		return docs, nil
	}
	var rows []detailDocument
	if err := json.Unmarshal([]byte(text), &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		d := &assetmint.Document{ID: r.ID, BusinessID: businessID, AssetID: assetID, Kind: assetmint.DocumentKind(r.Kind),
			Filename: r.Filename, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, Currency: r.Currency,
			Serial: r.Serial, VIN: r.VIN, Issuer: r.Issuer}
		if r.Amount != nil {
			if err := d.Amount.Scan(*r.Amount); err != nil {
				return nil, err
			}
		}
		if r.Date != nil {
			if err := scanTime(&d.Date, *r.Date, dateLayout, "date"); err != nil {
				return nil, err
			}
		}
		if r.Parsed != nil {
			d.Parsed = json.RawMessage(*r.Parsed)
		}
		if err := scanTime(&d.CreatedAt, r.CreatedAt, time.RFC3339Nano, "time"); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// qualified prefixes each column of cols, a comma-separated list, with
// table and a dot.
func qualified(table, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = table + "." + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
