package valuation

import (
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Report is a valuation: the value, its uncertainty, what a lender may
// advance against it, and why. Money is rounded to cents.
type Report struct {
	AssetID        string
	AssetType      AssetType
	Currency       string
	Value          decimal.Decimal // the point value (FMV premise)
	Low, High      decimal.Decimal // Value × (1 ∓ FSD)
	FSD            float64         // forecast standard deviation, a fraction (0.20)
	FSDTerms       []FSDTerm       // how FSD was built: base, penalties, credits
	Confidence     int             // round(100 × (1 − FSD)), 0..100
	ConfidenceTier string          // HIGH, MEDIUM_HIGH, MEDIUM, MEDIUM_LOW, LOW (MISMO CCS)
	Premises       Premises
	LendingPremise string          // FMV, OLV, FLV, NOLV or ELIGIBLE: what LendingValue starts from
	Eligible       decimal.Decimal // eligible collateral at the lending premise before the haircut (receivables, inventory); zero otherwise
	LendingValue   decimal.Decimal // the premise lent against, after the uncertainty haircut
	AdvanceRate    decimal.Decimal // fraction of LendingValue that may be lent
	MaxLoan        decimal.Decimal // <= AdvanceRate × LendingValue, after caps (declared-only, referral, liens, cost)
	RiskGrade      string          // A (best) .. E
	Method         string          // cost_depreciation, retention_curve, comparables, income, ...
	Anchor         Anchor
	Factors        []Factor
	Flags          []Flag
	Model          ModelInfo
	AsOf           time.Time
}

// FSDTerm is one term of the FSD: the base for the asset type and anchor
// source, a penalty (positive) or a credit (negative). The terms add up to
// the FSD before it is clamped to the table's [min, max].
type FSDTerm struct {
	ID       string  // base, missing_document, condition_from_text, stale_appraisal, photo_credit, ...
	Amount   float64 // fraction
	Evidence string
}

// Premises are the premises of value (ASA definitions).
type Premises struct {
	FMV, OLV, FLV, NOLV decimal.Decimal
}

// AnchorSource is the evidence a value starts from, best first.
type AnchorSource string

const (
	AnchorAppraisal   AnchorSource = "appraisal"
	AnchorInvoice     AnchorSource = "invoice"
	AnchorComparables AnchorSource = "comparables"
	AnchorDeclared    AnchorSource = "declared"

	// Sources of the asset classes valued from structured evidence rather
	// than a price (added with the deterministic model):
	AnchorIncome      AnchorSource = "income"       // NOI (real estate) or annual royalty relief (IP)
	AnchorAgingReport AnchorSource = "aging_report" // receivables' face value
	AnchorStockReport AnchorSource = "stock_report" // inventory at cost
	AnchorMarketPrice AnchorSource = "market_price" // metal content at the price snapshot
)

// Anchor is the evidence the value starts from.
type Anchor struct {
	Source     AnchorSource
	Amount     decimal.Decimal
	Date       time.Time // zero when unknown
	DocumentID string    // empty for declared
}

// Factor is one step from the anchor to the value. Contributions add up:
// the anchor plus every factor's Contribution is the Value, and the sum of
// LogContribution is ln(Value/Anchor).
type Factor struct {
	ID              string            // age_curve, condition, usage, mileage, ...
	Label           string            // for people
	Inputs          map[string]string // what it used (age: "4.00", d1: "0.175", ...)
	Evidence        string            // where the input came from (document id, text span, metadata key)
	Multiplier      float64
	LogContribution float64
	Contribution    decimal.Decimal // money, in the report's currency
}

// Severity of a flag.
type Severity string

const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityHigh    Severity = "high"
)

// Flag is a risk or fraud signal with its evidence. A blocking flag keeps
// the asset from automatic verification.
type Flag struct {
	Code     string // DECLARED_VALUE_DIVERGENCE, MISSING_DOCUMENTS, DUPLICATE_SERIAL, DUPLICATE_VIN, DOCUMENT_REUSED, INVALID_VIN, ...
	Severity Severity
	Blocking bool
	Message  string
	Evidence map[string]string
}

// ModelInfo says which model produced the report and with which
// parameters.
type ModelInfo struct {
	Name         string
	Version      string
	ParamsSHA256 string
	FallbackUsed bool   // an external model failed and the deterministic result stands
	External     string // the external model consulted, if any ("name@version")
	Note         string // what happened with the external model
}

// Clone returns a deep copy of r: changing one changes nothing in the
// other (its slices and maps are copied; decimals are values).
func (r *Report) Clone() *Report {
	if r == nil {
		return nil
	}
	c := *r
	c.FSDTerms = slices.Clone(r.FSDTerms)
	c.Factors = slices.Clone(r.Factors)
	for i := range c.Factors {
		c.Factors[i].Inputs = maps.Clone(r.Factors[i].Inputs)
	}
	c.Flags = slices.Clone(r.Flags)
	for i := range c.Flags {
		c.Flags[i].Evidence = maps.Clone(r.Flags[i].Evidence)
	}
	return &c
}
