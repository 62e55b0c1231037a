package assetmint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/assetmint/assetmint/documents"
	"github.com/assetmint/assetmint/valuation"
	"github.com/shopspring/decimal"
)

// DocumentKind is what a supporting document is.
type DocumentKind = valuation.DocumentKind

// DocumentKinds returns every valid kind, in the API's order. A kind is
// valid when its Valid method says so.
func DocumentKinds() []DocumentKind {
	return []DocumentKind{
		valuation.KindInvoice, valuation.KindAppraisal, valuation.KindTitle, valuation.KindDeed, valuation.KindPhoto,
		valuation.KindInspection, valuation.KindInsurance, valuation.KindAgingReport, valuation.KindStockReport,
		valuation.KindRegistration, valuation.KindAssay, valuation.KindProvenance, valuation.KindOther,
	}
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

// BlobStore keeps document bytes, content-addressed, so the same file
// uploaded twice is stored once.
type BlobStore interface {
	// PutBlob stores what r yields and returns its hex SHA-256 and size. The
	// blob appears whole or not at all (atomic write).
	PutBlob(ctx context.Context, r io.Reader) (sha256 string, size int64, err error)
	// OpenBlob reads a blob. ENOTFOUND if absent.
	OpenBlob(ctx context.Context, sha256 string) (io.ReadCloser, error)
}

// MaxDocumentSize bounds an uploaded file.
const MaxDocumentSize = 25 << 20

// NewDocument is the input of UploadDocument.
type NewDocument struct {
	AssetID  string
	Kind     DocumentKind
	Filename string
	Content  io.Reader // at most MaxDocumentSize bytes
	// Declared facts, all optional. An Amount without a Currency is in
	// the asset's currency, which the record then says.
	Amount   decimal.NullDecimal
	Currency string
	// Date is the document's calendar date, nil when not declared; its
	// calendar date in UTC is kept, and must lie within 1900-01-01 and
	// 2200-12-31 (ValidateDate).
	Date   *time.Time
	Serial string
	VIN    string
	Issuer string
}

// UploadDocument stores a supporting document for one of the business's
// assets and asks for a new valuation. The file's type is sniffed from its
// bytes (PDF, PNG, JPEG, CSV, plain text); an aging or stock report must be
// a CSV and is parsed now, so a malformed one is refused at once. An
// amount declared without a currency is taken in the asset's currency.
// Errors: EINVALID naming the field, ENOTFOUND for the asset, ECONFLICT
// once the asset is on chain or rejected.
func (e *Engine) UploadDocument(ctx context.Context, businessID string, in NewDocument) (*Document, error) {
	if e.cfg.Blobs == nil {
		return nil, Errorf(EINTERNAL, "document storage is not configured")
	}
	if in.AssetID == "" {
		return nil, FieldError("asset_id", "asset_id is required")
	}
	if in.Kind == "" {
		return nil, FieldError("kind", "kind is required")
	}
	if !in.Kind.Valid() {
		kinds := DocumentKinds()
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = string(k)
		}
		return nil, FieldError("kind", "kind must be one of %s", strings.Join(names, ", "))
	}
	date, err := in.validateFacts()
	if err != nil {
		return nil, err
	}
	asset, err := e.store.Asset(ctx, businessID, in.AssetID)
	if err != nil {
		return nil, internal(err, "read asset")
	}
	if in.Amount.Valid && in.Currency == "" {
		in.Currency = asset.Currency // an asset's currency never changes
	}
	if in.Content == nil {
		return nil, FieldError("file", "file is required")
	}
	content, err := io.ReadAll(io.LimitReader(in.Content, MaxDocumentSize+1))
	if err != nil {
		return nil, FieldError("file", "file could not be read")
	}
	if len(content) == 0 {
		return nil, FieldError("file", "file is empty")
	}
	if len(content) > MaxDocumentSize {
		return nil, FieldError("file", "file must be at most %d bytes", MaxDocumentSize)
	}
	structured := in.Kind == valuation.KindAgingReport || in.Kind == valuation.KindStockReport
	ctype, err := documents.Sniff(content[:min(len(content), 512)], in.Filename, structured)
	if err != nil {
		return nil, FieldError("file", "file type is not accepted: send a PDF, PNG, JPEG, CSV or plain text file")
	}
	var parsed json.RawMessage
	if structured {
		if ctype != documents.CSV {
			return nil, FieldError("file", "an %s must be a CSV file", in.Kind)
		}
		if parsed, err = parseStructured(in.Kind, content); err != nil {
			return nil, err
		}
	}
	sum, size, err := e.cfg.Blobs.PutBlob(ctx, bytes.NewReader(content))
	if err != nil {
		return nil, internal(err, "store document")
	}
	id, err := e.newID(PrefixDocument)
	if err != nil {
		return nil, err
	}
	d := &Document{
		ID: id, BusinessID: businessID, AssetID: in.AssetID, Kind: in.Kind, Filename: cleanFilename(in.Filename),
		ContentType: ctype, Size: size, SHA256: sum, Amount: in.Amount, Currency: in.Currency, Date: date,
		Serial: strings.TrimSpace(in.Serial), VIN: strings.ToUpper(strings.TrimSpace(in.VIN)),
		Issuer: strings.TrimSpace(in.Issuer), Parsed: parsed, CreatedAt: e.now(),
	}
	// The blob is written before the transaction: if the transaction fails,
	// an unreferenced blob remains, which is harmless (content-addressed).
	d, err = commit(e, ctx, func(tx Tx) (*Document, error) {
		a, err := tx.Asset(ctx, businessID, in.AssetID)
		if err != nil {
			return nil, err
		}
		if a.Status.frozen() {
			return nil, Errorf(ECONFLICT, "asset %s is %s: its evidence can no longer change", a.ID, a.Status)
		}
		if err := tx.CreateDocument(ctx, d); err != nil {
			return nil, err
		}
		if err := e.emit(ctx, tx, businessID, DocumentUploadedEventData{AssetID: a.ID, DocumentID: d.ID, Kind: d.Kind, SHA256: d.SHA256}); err != nil {
			return nil, err
		}
		return d, e.revalue(ctx, tx, a)
	})
	if err != nil {
		return nil, internal(err, "upload document")
	}
	return d, nil
}

// validateFacts checks the declared facts and returns the declared date
// as the record keeps it: midnight UTC, or the zero time when none.
func (in NewDocument) validateFacts() (time.Time, error) {
	var date time.Time
	if in.Amount.Valid {
		if err := ValidateMoney("amount", in.Amount.Decimal); err != nil {
			return date, err
		}
	}
	if in.Currency != "" {
		if _, err := validateCurrency(in.Currency); err != nil {
			return date, err
		}
	}
	if in.Date != nil {
		y, m, d := in.Date.UTC().Date()
		date = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if err := ValidateDate("date", date); err != nil {
			return time.Time{}, err
		}
	}
	for _, f := range []struct{ param, what, value string }{
		{"serial", "serial", in.Serial}, {"vin", "vin", in.VIN}, {"issuer", "issuer", in.Issuer}, {"file", "the file's name", in.Filename},
	} {
		if len(f.value) > 200 {
			return date, FieldError(f.param, "%s must be at most 200 bytes", f.what)
		}
		if err := validateText(f.param, f.what, f.value, false); err != nil {
			return date, err
		}
	}
	if in.VIN != "" && len(strings.TrimSpace(in.VIN)) != 17 {
		return date, FieldError("vin", "vin must be 17 characters")
	}
	return date, nil
}

// parseStructured parses an aging or stock report CSV into the valuation
// package's JSON.
func parseStructured(kind DocumentKind, content []byte) (json.RawMessage, error) {
	var v any
	var err error
	if kind == valuation.KindAgingReport {
		v, err = documents.ParseAgingReport(bytes.NewReader(content))
	} else {
		v, err = documents.ParseStockReport(bytes.NewReader(content))
	}
	var pe *documents.ParseError
	if errors.As(err, &pe) {
		return nil, FieldError("file", "the %s could not be read: %s", kind, pe.Error())
	}
	if err != nil {
		return nil, FieldError("file", "the %s could not be read: %v", kind, err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, internal(err, "encode parsed report")
	}
	return raw, nil
}

// cleanFilename keeps the base name only: a client's path is not ours to
// keep.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// AssetDocuments lists the documents attached to one of the business's
// assets, oldest first. Errors: ENOTFOUND.
func (e *Engine) AssetDocuments(ctx context.Context, businessID, assetID string) ([]*Document, error) {
	all, err := e.store.AssetDocuments(ctx, businessID, assetID)
	if err != nil {
		return nil, internal(err, "list documents")
	}
	return attached(all), nil
}

// attached keeps the documents that are attached.
func attached(docs []*Document) []*Document {
	out := docs[:0:0]
	for _, d := range docs {
		if d.Attached() {
			out = append(out, d)
		}
	}
	return out
}

// Document reads one of the business's documents, attached to its asset or
// detached from it (a detached document stays on record: an earlier
// valuation may rest on it). Errors: ENOTFOUND (also for another
// business's document).
func (e *Engine) Document(ctx context.Context, businessID, id string) (*Document, error) {
	d, err := e.store.Document(ctx, businessID, id)
	if err != nil {
		return nil, internal(err, "read document")
	}
	return d, nil
}

// OpenDocument returns one of the business's documents, attached or
// detached, with its bytes; the caller closes them. Errors: ENOTFOUND (also
// for another business's document).
func (e *Engine) OpenDocument(ctx context.Context, businessID, id string) (*Document, io.ReadCloser, error) {
	d, err := e.store.Document(ctx, businessID, id)
	if err != nil {
		return nil, nil, internal(err, "read document")
	}
	if e.cfg.Blobs == nil {
		return nil, nil, Errorf(EINTERNAL, "document storage is not configured")
	}
	rc, err := e.cfg.Blobs.OpenBlob(ctx, d.SHA256)
	if err != nil {
		return nil, nil, internal(err, "open document")
	}
	return d, rc, nil
}

// OpenDocument returns the record and bytes of a document of an asset of
// any business, attached or detached, for an operator reviewing the asset.
// Errors: ENOTFOUND (also for a document of another asset).
func (o *Operator) OpenDocument(ctx context.Context, assetID, documentID string) (*Document, io.ReadCloser, error) {
	e := o.e
	a, err := e.store.AssetByID(ctx, assetID)
	if err != nil {
		return nil, nil, internal(err, "read asset")
	}
	d, err := e.store.Document(ctx, a.BusinessID, documentID)
	if err == nil && d.AssetID != a.ID {
		err = Errorf(ENOTFOUND, "document %s is not a document of asset %s", documentID, a.ID)
	}
	if err != nil {
		return nil, nil, internal(err, "read document")
	}
	return e.OpenDocument(ctx, a.BusinessID, d.ID)
}
