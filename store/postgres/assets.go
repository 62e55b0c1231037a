package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
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
		currency = $5, metadata = $6, status = $7, revision = $8, updated_at = $9, detail_version = detail_version + 1
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

// assetDetailsQuery reads an asset, its attached documents as one JSON
// array (json_agg: an asset has few documents), and its newest valuation,
// by the ordering of LatestValuation, in one statement. Each part reads
// through its (business_id, asset_id, id) index. The amount is written as
// its numeric text, as a scan of the column reads it.
var assetDetailsQuery = `SELECT ` + qualified("a", assetCols) + `, a.detail_version, v.id, v.report, v.created_at,
	coalesce((SELECT json_agg(json_build_object('id', d.id, 'kind', d.kind, 'filename', d.filename,
			'content_type', d.content_type, 'size', d.size, 'sha256', d.sha256, 'amount', d.amount::text,
			'currency', d.currency, 'date', d.date, 'serial', d.serial, 'vin', d.vin, 'issuer', d.issuer,
			'parsed', d.parsed, 'created_at', d.created_at) ORDER BY d.id)
		FROM documents d WHERE d.business_id = a.business_id AND d.asset_id = a.id AND d.detached_at IS NULL)::text, '[]')
	FROM assets a
	LEFT JOIN LATERAL (SELECT id, report, created_at FROM valuations
		WHERE business_id = a.business_id AND asset_id = a.id ORDER BY id DESC LIMIT 1) v ON true
	WHERE a.id = $1 AND a.business_id = $2`

// AssetDetails reads one of the business's assets, its attached documents,
// oldest first, and its newest valuation (nil if none) in one statement,
// so in one snapshot, with its detail_version; it locks nothing. ENOTFOUND
// if the asset is absent or another business's.
func (q queries) AssetDetails(ctx context.Context, businessID, id string) (*assetmint.AssetDetails, error) {
	var (
		a          assetmint.Asset
		version    int64
		valID      *string
		report     *valuation.Report
		valCreated time.Time
		docsJSON   string
	)
	dest := append(assetDest(&a), &version, &valID, jsonCol{&report}, timeCol{&valCreated}, &docsJSON)
	if err := q.q.QueryRow(ctx, assetDetailsQuery, id, businessID).Scan(dest...); err != nil {
		return nil, storeError(err, "asset")
	}
	docs, err := detailDocuments(docsJSON, a.BusinessID, a.ID)
	if err != nil {
		return nil, internal(err)
	}
	var v *assetmint.Valuation
	if valID != nil {
		v = &assetmint.Valuation{ID: *valID, BusinessID: a.BusinessID, AssetID: a.ID, Report: report, CreatedAt: valCreated}
	}
	return &assetmint.AssetDetails{Asset: &a, Documents: docs, Valuation: v, Version: version}, nil
}

// AssetDetailVersion reads the detail_version of one of the business's
// assets (migration 0007: it moves in the statement of every change to the
// detail). ENOTFOUND if the asset is absent or another business's.
func (q queries) AssetDetailVersion(ctx context.Context, businessID, id string) (int64, error) {
	var v int64
	if err := q.q.QueryRow(ctx, `SELECT detail_version FROM assets WHERE id = $1 AND business_id = $2`, id, businessID).Scan(&v); err != nil {
		return 0, storeError(err, "asset")
	}
	return v, nil
}

// detailDocument is one document as assetDetailsQuery writes it: its
// columns as JSON values (text, integers and nulls), its business and
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
	CreatedAt   int64   `json:"created_at"`
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
			Serial: r.Serial, VIN: r.VIN, Issuer: r.Issuer, CreatedAt: time.Unix(0, r.CreatedAt).UTC()}
		if r.Amount != nil {
			if err := d.Amount.Scan(*r.Amount); err != nil {
				return nil, err
			}
		}
		if r.Date != nil && *r.Date != "" {
			t, err := time.Parse(dateLayout, *r.Date)
			if err != nil {
				return nil, err
			}
			d.Date = t.UTC()
		}
		if r.Parsed != nil {
			d.Parsed = json.RawMessage(*r.Parsed)
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
