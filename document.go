package assetmint

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/valuation"
)

// DocumentKind is what a supporting document is.
type DocumentKind = valuation.DocumentKind

// DocumentKinds lists every valid kind, in the API's order.
var DocumentKinds = []DocumentKind{
	valuation.KindInvoice, valuation.KindAppraisal, valuation.KindTitle, valuation.KindDeed, valuation.KindPhoto,
	valuation.KindInspection, valuation.KindInsurance, valuation.KindAgingReport, valuation.KindStockReport,
	valuation.KindRegistration, valuation.KindAssay, valuation.KindProvenance, valuation.KindOther,
}

// Document is a file a business uploaded as evidence for an asset, with the
// facts it declared about it. The bytes live in a BlobStore under SHA256.
type Document struct {
	ID          string
	BusinessID  string
	AssetID     string
	Kind        DocumentKind
	Filename    string
	ContentType string // sniffed: application/pdf, image/png, image/jpeg, text/csv, text/plain
	Size        int64
	SHA256      string // hex
	// Declared facts; zero values mean not declared.
	Amount   decimal.NullDecimal
	Currency string
	Date     time.Time // a calendar date, at midnight UTC
	Serial   string
	VIN      string
	Issuer   string
	// Parsed is what was read from a structured document (an aging or stock
	// report in CSV), as the valuation package's JSON; nil otherwise.
	Parsed json.RawMessage
	// DetachedAt is when the business detached it from its asset; detached
	// documents no longer count for valuation but stay on record.
	DetachedAt time.Time
	CreatedAt  time.Time
}

// Attached reports whether the document counts for its asset.
func (d *Document) Attached() bool { return d.DetachedAt.IsZero() }

// Valuation is one valuation report of an asset.
type Valuation struct {
	ID         string
	BusinessID string
	AssetID    string
	Report     *valuation.Report
	CreatedAt  time.Time
}

// DocumentStore keeps document records (not their bytes).
type DocumentStore interface {
	// CreateDocument inserts d. ECONFLICT if the id exists; ENOTFOUND if its
	// asset does not exist in its business.
	CreateDocument(ctx context.Context, d *Document) error
	// Document reads one of the business's documents. ENOTFOUND if absent or
	// another business's.
	Document(ctx context.Context, businessID, id string) (*Document, error)
	// AssetDocuments lists an asset's documents, attached and detached,
	// oldest first.
	AssetDocuments(ctx context.Context, businessID, assetID string) ([]*Document, error)
	// UpdateDocument writes d's DetachedAt (scoped by d.BusinessID).
	// ENOTFOUND if absent.
	UpdateDocument(ctx context.Context, d *Document) error
	// DocumentsMatching finds attached documents on any business's assets
	// with the same bytes (field "sha256"), normalized serial ("serial") or
	// VIN ("vin") as value, excluding excludeAssetID. It crosses businesses
	// on purpose, to detect double pledging; its results feed risk flags
	// and are never shown to the caller.
	DocumentsMatching(ctx context.Context, field, value, excludeAssetID string) ([]*Document, error)
}

// ValuationStore keeps valuation reports.
type ValuationStore interface {
	// CreateValuation inserts v. ECONFLICT if the id exists (a valuation
	// job that runs twice finds its report there).
	CreateValuation(ctx context.Context, v *Valuation) error
	// Valuation reads one by id, scoped. ENOTFOUND if absent.
	Valuation(ctx context.Context, businessID, id string) (*Valuation, error)
	// LatestValuation reads an asset's newest valuation. ENOTFOUND if none.
	LatestValuation(ctx context.Context, businessID, assetID string) (*Valuation, error)
	// Valuations lists an asset's valuations, newest first.
	Valuations(ctx context.Context, businessID, assetID string, p ListParams) (Page[*Valuation], error)
}

// BlobStore keeps document bytes, content-addressed, so the same file
// uploaded twice is stored once.
type BlobStore interface {
	// PutBlob stores what r yields and returns its hex SHA-256 and size. The
	// blob appears whole or not at all (atomic write).
	PutBlob(ctx context.Context, r io.Reader) (sha256 string, size int64, err error)
	// OpenBlob reads a blob. ENOTFOUND if absent.
	OpenBlob(ctx context.Context, sha256 string) (io.ReadCloser, error)
}
