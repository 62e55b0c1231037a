package lending

import (
	"slices"

	"github.com/shopspring/decimal"
)

// Outcome is the result of underwriting.
type Outcome string

// The underwriting outcomes.
const (
	Approved Outcome = "approved"
	Rejected Outcome = "rejected"
	// Referred means an operator must decide.
	Referred Outcome = "referred"
)

// Reason codes of a Decision.
const (
	// rejections
	ReasonNoLendingValue   = "no_lending_value"
	ReasonGradeNotAccepted = "risk_grade_not_accepted"
	ReasonConfidenceTooLow = "confidence_too_low"
	ReasonAmountExceedsMax = "amount_exceeds_max"
	ReasonAmountTooSmall   = "amount_too_small"
	ReasonTermTooShort     = "term_too_short"
	ReasonTermTooLong      = "term_too_long"
	// referrals
	ReasonLowConfidence    = "low_confidence"
	ReasonLargeAmount      = "large_amount"
	ReasonUnknownAssetType = "unknown_asset_type"
)

// AssetPolicy is the policy for one asset type.
type AssetPolicy struct {
	// LTVCap is the largest fraction of the lending value that may be lent.
	LTVCap decimal.Decimal
	// MaxMonths is the longest term.
	MaxMonths int
}

// ConfidenceBand: valuations with Confidence >= MinConfidence get
// AdvanceRate (a fraction applied on top of the LTV cap).
type ConfidenceBand struct {
	MinConfidence int
	AdvanceRate   decimal.Decimal
}

// Policy is the underwriting policy. Every zero field means its default,
// listed on the field; DefaultPolicy returns them all filled in.
type Policy struct {
	// BaseRate is the annual base rate; default 0.06.
	BaseRate decimal.Decimal
	// Premiums by risk grade, added to BaseRate; a grade absent from the
	// map is rejected. Default A 0.01, B 0.02, C 0.035, D 0.055 (E and
	// anything else rejected).
	Premiums map[string]decimal.Decimal
	// Assets by asset type. Default real_estate 0.70/360 months,
	// vehicle 0.80/72, equipment 0.70/84, receivables 0.80/12,
	// inventory 0.50/24, commodity 0.60/12, art 0.40/36,
	// intellectual_property 0.30/60. Other types use OtherAssets and are
	// referred.
	Assets map[string]AssetPolicy
	// OtherAssets applies to types missing from Assets; default 0.50/60.
	OtherAssets AssetPolicy
	// Bands of advance rate by valuation confidence (0..100), any order;
	// below the lowest band the application is rejected. Default
	// >= 80: 1.00, >= 60: 0.90, >= 40: 0.75.
	Bands []ConfidenceBand
	// ReferBelowConfidence refers applications with a lower confidence;
	// default 60.
	ReferBelowConfidence int
	// ReferAbove refers amounts above it; default 1,000,000.
	ReferAbove decimal.Decimal
	// MinAmount is the smallest loan; default 1,000.
	MinAmount decimal.Decimal
	// MinMonths is the shortest term; default 3.
	MinMonths int
}

// DefaultPolicy is the policy with every default filled in.
func DefaultPolicy() Policy { return Policy{}.withDefaults() }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func (p Policy) withDefaults() Policy {
	if p.BaseRate.IsZero() {
		p.BaseRate = dec("0.06")
	}
	if p.Premiums == nil {
		p.Premiums = map[string]decimal.Decimal{"A": dec("0.01"), "B": dec("0.02"), "C": dec("0.035"), "D": dec("0.055")}
	}
	if p.Assets == nil {
		p.Assets = map[string]AssetPolicy{
			"real_estate":           {dec("0.70"), 360},
			"vehicle":               {dec("0.80"), 72},
			"equipment":             {dec("0.70"), 84},
			"receivables":           {dec("0.80"), 12},
			"inventory":             {dec("0.50"), 24},
			"commodity":             {dec("0.60"), 12},
			"art":                   {dec("0.40"), 36},
			"intellectual_property": {dec("0.30"), 60},
		}
	}
	if p.OtherAssets.LTVCap.IsZero() {
		p.OtherAssets.LTVCap = dec("0.50")
	}
	if p.OtherAssets.MaxMonths == 0 {
		p.OtherAssets.MaxMonths = 60
	}
	if p.Bands == nil {
		p.Bands = []ConfidenceBand{{80, dec("1")}, {60, dec("0.90")}, {40, dec("0.75")}}
	}
	if p.ReferBelowConfidence == 0 {
		p.ReferBelowConfidence = 60
	}
	if p.ReferAbove.IsZero() {
		p.ReferAbove = dec("1000000")
	}
	if p.MinAmount.IsZero() {
		p.MinAmount = dec("1000")
	}
	if p.MinMonths == 0 {
		p.MinMonths = 3
	}
	return p
}

// Application is what underwriting decides on: the figures of a valuation
// and the request.
type Application struct {
	AssetType string
	// LendingValue is the valuation's lending value (>= 0).
	LendingValue decimal.Decimal
	// MaxLoan is the valuation's own cap (>= 0); zero means none.
	MaxLoan decimal.Decimal
	// Confidence is the valuation's confidence, 0..100.
	Confidence int
	// RiskGrade is the valuation's grade, A (best) .. E.
	RiskGrade string
	// Amount and Months are the requested principal and term.
	Amount decimal.Decimal
	Months int
}

// Decision is the result of Decide.
type Decision struct {
	Outcome Outcome `json:"outcome"`
	// Reasons are reason codes (Reason...): why it was rejected or
	// referred; empty when approved.
	Reasons []string `json:"reasons"`
	// MaxAmount = min(LendingValue × LTVCap × AdvanceRate, MaxLoan),
	// truncated to cents (a cap is never rounded up); zero when no band
	// applies.
	MaxAmount decimal.Decimal `json:"max_amount"`
	// Amount, Months and AnnualRate are the terms offered: the request at
	// BaseRate + premium (filled in when the grade is accepted, also for
	// a referral).
	Amount     decimal.Decimal `json:"amount"`
	Months     int             `json:"months"`
	AnnualRate decimal.Decimal `json:"annual_rate"`
}

// Decide underwrites an application. All rejection reasons are collected;
// without any, the referral reasons are collected; without any, the
// application is approved. Invalid input returns a *FieldError
// (asset_type, lending_value, max_loan, confidence, risk_grade, amount,
// months).
func (p Policy) Decide(a Application) (Decision, error) {
	switch {
	case a.AssetType == "":
		return Decision{}, fieldErr("asset_type", "is required")
	case a.LendingValue.IsNegative():
		return Decision{}, fieldErr("lending_value", "must not be negative, got %s", a.LendingValue)
	case a.MaxLoan.IsNegative():
		return Decision{}, fieldErr("max_loan", "must not be negative, got %s", a.MaxLoan)
	case a.Confidence < 0 || a.Confidence > 100:
		return Decision{}, fieldErr("confidence", "must be between 0 and 100, got %d", a.Confidence)
	case a.RiskGrade == "":
		return Decision{}, fieldErr("risk_grade", "is required")
	case !a.Amount.IsPositive() || !isCents(a.Amount):
		return Decision{}, fieldErr("amount", "must be positive whole cents, got %s", a.Amount)
	case a.Months < 1 || a.Months > MaxMonths:
		return Decision{}, fieldErr("months", "must be between 1 and %d, got %d", MaxMonths, a.Months)
	}
	p = p.withDefaults()
	d := Decision{Amount: a.Amount, Months: a.Months, MaxAmount: decimal.Zero, AnnualRate: decimal.Zero}
	var reject, refer []string

	asset, known := p.Assets[a.AssetType]
	if !known {
		asset = p.OtherAssets
		refer = append(refer, ReasonUnknownAssetType)
	}
	premium, ok := p.Premiums[a.RiskGrade]
	if ok {
		d.AnnualRate = p.BaseRate.Add(premium)
	} else {
		reject = append(reject, ReasonGradeNotAccepted)
	}
	bands := slices.Clone(p.Bands)
	slices.SortFunc(bands, func(x, y ConfidenceBand) int { return y.MinConfidence - x.MinConfidence })
	i := slices.IndexFunc(bands, func(b ConfidenceBand) bool { return a.Confidence >= b.MinConfidence })
	if i < 0 {
		reject = append(reject, ReasonConfidenceTooLow)
	} else {
		d.MaxAmount = a.LendingValue.Mul(asset.LTVCap).Mul(bands[i].AdvanceRate)
		if a.MaxLoan.IsPositive() && a.MaxLoan.LessThan(d.MaxAmount) {
			d.MaxAmount = a.MaxLoan
		}
		d.MaxAmount = d.MaxAmount.Truncate(2)
	}
	if !a.LendingValue.IsPositive() {
		reject = append(reject, ReasonNoLendingValue)
	}
	if i >= 0 && a.Amount.GreaterThan(d.MaxAmount) {
		reject = append(reject, ReasonAmountExceedsMax)
	}
	if a.Amount.LessThan(p.MinAmount) {
		reject = append(reject, ReasonAmountTooSmall)
	}
	if a.Months < p.MinMonths {
		reject = append(reject, ReasonTermTooShort)
	}
	if a.Months > asset.MaxMonths {
		reject = append(reject, ReasonTermTooLong)
	}
	if a.Confidence < p.ReferBelowConfidence {
		refer = append(refer, ReasonLowConfidence)
	}
	if a.Amount.GreaterThan(p.ReferAbove) {
		refer = append(refer, ReasonLargeAmount)
	}
	switch {
	case len(reject) > 0:
		d.Outcome, d.Reasons = Rejected, reject
	case len(refer) > 0:
		d.Outcome, d.Reasons = Referred, refer
	default:
		d.Outcome, d.Reasons = Approved, []string{}
	}
	return d, nil
}
