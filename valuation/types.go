package valuation

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// AssetType is the class of asset; the strings are the API's.
type AssetType string

const (
	Equipment            AssetType = "equipment"
	Vehicle              AssetType = "vehicle"
	RealEstate           AssetType = "real_estate"
	Inventory            AssetType = "inventory"
	Receivables          AssetType = "receivables"
	IntellectualProperty AssetType = "intellectual_property"
	Commodity            AssetType = "commodity"
	Art                  AssetType = "art"
)

// DocumentKind is what a supporting document is; the strings are the API's.
type DocumentKind string

const (
	KindInvoice      DocumentKind = "invoice"
	KindAppraisal    DocumentKind = "appraisal"
	KindTitle        DocumentKind = "title"
	KindDeed         DocumentKind = "deed"
	KindPhoto        DocumentKind = "photo"
	KindInspection   DocumentKind = "inspection"
	KindInsurance    DocumentKind = "insurance"
	KindAgingReport  DocumentKind = "aging_report"
	KindStockReport  DocumentKind = "stock_report"
	KindRegistration DocumentKind = "registration"
	KindAssay        DocumentKind = "assay"
	KindProvenance   DocumentKind = "provenance"
	KindOther        DocumentKind = "other"
)

// Valid reports whether k is one of the kinds above.
func (k DocumentKind) Valid() bool {
	switch k {
	case KindInvoice, KindAppraisal, KindTitle, KindDeed, KindPhoto, KindInspection, KindInsurance,
		KindAgingReport, KindStockReport, KindRegistration, KindAssay, KindProvenance, KindOther:
		return true
	}
	return false
}

// Document is one piece of evidence, with the facts the business declared
// when uploading it and what was parsed from it.
type Document struct {
	ID       string
	Kind     DocumentKind
	SHA256   string          // hex of the file's bytes
	Amount   decimal.Decimal // declared amount; zero when none
	Currency string          // of Amount
	Date     time.Time       // declared date (invoice date, appraisal date); zero when none
	Serial   string          // declared serial number
	VIN      string          // declared vehicle identification number
	Issuer   string          // who issued it (seller, appraiser, registry)
	// Text is the document's plain text when it is text (text/plain, CSV),
	// for condition and year extraction; empty for PDFs and images.
	Text  string
	Aging *AgingReport // parsed, for aging_report CSVs
	Stock *StockReport // parsed, for stock_report CSVs
}

// AgingReport is an accounts-receivable aging report: what each debtor
// owes, by how long past the invoice date.
type AgingReport struct {
	Lines []AgingLine
}

// AgingLine is one debtor's balances by bucket.
type AgingLine struct {
	Debtor  string
	Current decimal.Decimal // not yet due
	Days30  decimal.Decimal // 1-30 days past due
	Days60  decimal.Decimal // 31-60
	Days90  decimal.Decimal // 61-90
	Over90  decimal.Decimal // more than 90
	// Flags from the report, when it has such columns.
	Foreign, Disputed, RelatedParty bool
}

// StockReport is an inventory stock report.
type StockReport struct {
	Lines []StockLine
}

// StockLine is one stock-keeping unit.
type StockLine struct {
	SKU         string
	Description string
	Quantity    decimal.Decimal
	UnitCost    decimal.Decimal
	// Category: finished, raw, wip, packaging, consigned, obsolete.
	Category string
	// Turn: fast, average, slow, dead.
	Turn string
}

// Conflict is evidence found elsewhere on the platform that the engine
// looked up for the model: the same serial, VIN or document bytes on
// another asset (possible double pledging or document reuse).
type Conflict struct {
	Kind         string // "serial", "vin" or "document_hash"
	Value        string // the normalized serial or VIN, or the hash
	DocumentID   string // this asset's document, for document_hash
	OtherAssetID string
}

// Input is everything a valuation depends on. AsOf is the valuation date:
// nothing reads the wall clock.
type Input struct {
	AssetID       string
	Type          AssetType
	Name          string
	Description   string
	DeclaredValue decimal.Decimal // the business's estimated_value
	Currency      string
	// Attributes are the asset's metadata, as strings (numbers in decimal
	// notation): the documented keys (year, hours, mileage, condition,
	// usage, subtype, weight_oz, purity, metal, noi, cap_rate, ...) feed the
	// model, others are ignored.
	Attributes map[string]string
	Documents  []Document
	Conflicts  []Conflict
	AsOf       time.Time
}

// Model values an asset. The deterministic model is the default; a host
// may plug in an external or AI valuator, whose influence the Bounded
// model limits.
type Model interface {
	Name() string
	Version() string
	Value(ctx context.Context, in Input) (*Report, error)
}
