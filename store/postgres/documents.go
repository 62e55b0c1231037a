package postgres

import (
	"context"

	"github.com/assetmint/assetmint"
)

const documentCols = `id, business_id, asset_id, kind, filename, content_type, size, sha256, amount, currency, date,
	serial, vin, issuer, parsed, detached_at, created_at`

func scanDocument(s rowScanner) (*assetmint.Document, error) {
	var d assetmint.Document
	err := s.Scan(&d.ID, &d.BusinessID, &d.AssetID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256,
		&d.Amount, &d.Currency, dateCol{&d.Date}, &d.Serial, &d.VIN, &d.Issuer, rawJSONCol{&d.Parsed},
		timeCol{&d.DetachedAt}, timeCol{&d.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// assetInBusiness is the check that an asset exists in a business, for the
// inserts of the records on an asset.
func assetInBusiness(assetID, businessID string) check {
	return needs("asset", `SELECT EXISTS (SELECT 1 FROM assets WHERE id = $1 AND business_id = $2)`, assetID, businessID)
}

// CreateDocument inserts d, with its serial and VIN normalized for
// DocumentsMatching, if its asset exists in d.BusinessID. ECONFLICT if the
// id exists; ENOTFOUND ("asset not found") if the asset is absent or
// another business's.
func (q queries) CreateDocument(ctx context.Context, d *assetmint.Document) error {
	tag, err := q.q.Exec(ctx, `INSERT INTO documents (`+documentCols+`, serial_norm, vin_norm)
		SELECT `+placeholders(19)+`
		WHERE EXISTS (SELECT 1 FROM assets WHERE id = $3 AND business_id = $2)
		ON CONFLICT DO NOTHING`,
		d.ID, d.BusinessID, d.AssetID, string(d.Kind), d.Filename, d.ContentType, d.Size, d.SHA256,
		nullDecimalArg(d.Amount), d.Currency, dateArg(d.Date), d.Serial, d.VIN, d.Issuer, rawJSONArg(d.Parsed),
		timeArg(d.DetachedAt), timeArg(d.CreatedAt), normalizeCode(d.Serial), normalizeCode(d.VIN))
	return q.inserted(ctx, "document", tag, err, exists("document"), assetInBusiness(d.AssetID, d.BusinessID))
}

// Document reads one of the business's documents, locking its row in a
// transaction. ENOTFOUND if absent or another business's.
func (q queries) Document(ctx context.Context, businessID, id string) (*assetmint.Document, error) {
	d, err := scanDocument(q.q.QueryRow(ctx, `SELECT `+documentCols+` FROM documents WHERE id = $1 AND business_id = $2`+q.forUpdate(),
		id, businessID))
	if err != nil {
		return nil, storeError(err, "document")
	}
	return d, nil
}

// AssetDocuments lists an asset's documents, attached and detached, oldest
// first; none for another business's asset.
func (q queries) AssetDocuments(ctx context.Context, businessID, assetID string) ([]*assetmint.Document, error) {
	return queryAll(ctx, q.q, `SELECT `+documentCols+` FROM documents WHERE business_id = $1 AND asset_id = $2 ORDER BY id ASC`,
		[]any{businessID, assetID}, scanDocument, "document")
}

// UpdateDocument writes d's DetachedAt, scoped by d.BusinessID. ENOTFOUND
// if absent or another business's.
func (q queries) UpdateDocument(ctx context.Context, d *assetmint.Document) error {
	tag, err := q.q.Exec(ctx, `UPDATE documents SET detached_at = $1 WHERE id = $2 AND business_id = $3`,
		timeArg(d.DetachedAt), d.ID, d.BusinessID)
	return oneRow(tag, err, "document")
}

// DocumentsMatching finds the attached documents of every business whose
// bytes (field "sha256"), normalized serial ("serial") or normalized VIN
// ("vin") equal value, but for those on excludeAssetID, oldest first. An
// empty value (or one that normalizes to nothing) matches nothing. EINVALID
// for another field.
func (q queries) DocumentsMatching(ctx context.Context, field, value, excludeAssetID string) ([]*assetmint.Document, error) {
	var col string
	switch field {
	case "sha256":
		col = "sha256"
	case "serial":
		col, value = "serial_norm", normalizeCode(value)
	case "vin":
		col, value = "vin_norm", normalizeCode(value)
	default:
		return nil, assetmint.FieldError("field", "cannot match documents on %q: use sha256, serial or vin", field)
	}
	if value == "" {
		return []*assetmint.Document{}, nil
	}
	// "col <> ''" lets the planner use the partial indexes on the
	// normalized columns.
	return queryAll(ctx, q.q, `SELECT `+documentCols+` FROM documents
		WHERE `+col+` = $1 AND `+col+` <> '' AND detached_at IS NULL AND asset_id <> $2
		ORDER BY id ASC`,
		[]any{value, excludeAssetID}, scanDocument, "document")
}
