package valuation

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

const (
	// ModelName is the deterministic model's name in reports.
	ModelName = "assetmint-deterministic"
	// ModelVersion is the deterministic model's semantic version.
	ModelVersion = "1.0.0"
)

// Deterministic is the default model: rule-based, explainable and
// offline. Its output is a function of the Input and the Parameters only.
// It is safe for concurrent use.
type Deterministic struct {
	params Parameters
	hash   string
}

var _ Model = (*Deterministic)(nil)

// NewDeterministic returns the model with the parameter table p, which it
// validates and copies. It returns a *ParamError for an invalid table.
func NewDeterministic(p Parameters) (*Deterministic, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	q := p.clone()
	return &Deterministic{params: q, hash: q.Hash()}, nil
}

// Name is "assetmint-deterministic".
func (d *Deterministic) Name() string { return ModelName }

// Version is the model's semantic version.
func (d *Deterministic) Version() string { return ModelVersion }

// Parameters returns a copy of the model's table.
func (d *Deterministic) Parameters() Parameters { return d.params.clone() }

// Value values the asset as of in.AsOf. It returns an *InputError when the
// input cannot be valued (unknown type, zero AsOf, no currency, negative
// money) and no other error. The context is not used: the model does no
// I/O.
func (d *Deterministic) Value(_ context.Context, in Input) (*Report, error) {
	if err := validateInput(in); err != nil {
		return nil, err
	}
	s := newState(&d.params, in)
	switch in.Type {
	case Equipment:
		s.valueEquipment()
	case Vehicle:
		s.valueVehicle()
	case RealEstate:
		s.valueRealEstate()
	case Inventory:
		s.valueInventory()
	case Receivables:
		s.valueReceivables()
	case IntellectualProperty:
		s.valueIP()
	case Commodity:
		s.valueCommodity()
	case Art:
		s.valueArt()
	}
	return s.report(ModelInfo{Name: ModelName, Version: ModelVersion, ParamsSHA256: d.hash}), nil
}

// moneyAttributes are the attribute keys holding money; they must be
// non-negative decimals.
func moneyAttributes() []string {
	return []string{"annual_revenue", "auction_high", "auction_low", "noi", "senior_liens"}
}

func validateInput(in Input) error {
	known := false
	for _, t := range AssetTypes() {
		known = known || t == in.Type
	}
	if !known {
		return &InputError{Field: "type", Message: fmt.Sprintf("unknown asset type %q", in.Type)}
	}
	if in.AsOf.IsZero() {
		return &InputError{Field: "as_of", Message: "the valuation date is required"}
	}
	if in.Currency == "" {
		return &InputError{Field: "currency", Message: "required"}
	}
	neg := func(field string, d decimal.Decimal) error {
		if d.Sign() < 0 {
			return &InputError{Field: field, Message: "must not be negative"}
		}
		return nil
	}
	if err := neg("declared_value", in.DeclaredValue); err != nil {
		return err
	}
	for _, k := range moneyAttributes() {
		if v, ok := in.Attributes[k]; ok {
			if d, err := decimal.NewFromString(v); err == nil && d.Sign() < 0 {
				return &InputError{Field: "attributes." + k, Message: "must not be negative"}
			}
		}
	}
	if v, ok := in.Attributes["comparables"]; ok {
		if _, err := parseComparables(v); err != nil {
			return &InputError{Field: "attributes.comparables", Message: err.Error()}
		}
	}
	for i, doc := range in.Documents {
		f := fmt.Sprintf("documents[%d]", i)
		if err := neg(f+".amount", doc.Amount); err != nil {
			return err
		}
		if doc.Aging != nil {
			for j, l := range doc.Aging.Lines {
				for _, b := range []decimal.Decimal{l.Current, l.Days30, l.Days60, l.Days90, l.Over90} {
					if err := neg(fmt.Sprintf("%s.aging.lines[%d]", f, j), b); err != nil {
						return err
					}
				}
			}
		}
		if doc.Stock != nil {
			for j, l := range doc.Stock.Lines {
				if err := neg(fmt.Sprintf("%s.stock.lines[%d].quantity", f, j), l.Quantity); err != nil {
					return err
				}
				if err := neg(fmt.Sprintf("%s.stock.lines[%d].unit_cost", f, j), l.UnitCost); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// yearsBetween is the time from a to b in years of 365.25 days.
func yearsBetween(a, b time.Time) float64 {
	return b.Sub(a).Hours() / 24 / 365.25
}

func parseDate(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }
