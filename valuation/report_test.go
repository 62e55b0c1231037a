package valuation_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/valuation"
)

// Clone copies every slice and map, however deep: a reflective walk checks
// that no slice or map of the copy shares its storage with the original,
// so a field added to Report later that Clone forgets fails here (the
// fixture fills every slice and map).
func TestReportCloneSharesNothing(t *testing.T) {
	r := &valuation.Report{
		AssetID: "asset_1", AssetType: "equipment", Currency: "USD", Value: decimal.RequireFromString("85000.00"),
		FSDTerms: []valuation.FSDTerm{{ID: "base", Amount: 0.2, Evidence: "type"}},
		Premises: valuation.Premises{FMV: decimal.RequireFromString("85000")},
		Anchor:   valuation.Anchor{Source: valuation.AnchorInvoice, Amount: decimal.RequireFromString("90000"), Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		Factors: []valuation.Factor{{ID: "age_curve", Inputs: map[string]string{"age": "4.00"}, Multiplier: 0.8,
			Contribution: decimal.RequireFromString("-1000")}},
		Flags: []valuation.Flag{{Code: "MISSING_DOCUMENTS", Severity: valuation.SeverityWarning, Evidence: map[string]string{"k": "v"}}},
		Model: valuation.ModelInfo{Name: "m", Version: "1"},
	}
	requireAllFilled(t, reflect.ValueOf(*r), "Report")
	c := r.Clone()
	require.Equal(t, r, c)
	requireNoSharing(t, reflect.ValueOf(*r), reflect.ValueOf(*c), "Report")

	c.Factors[0].Inputs["age"] = "9"
	c.Flags[0].Evidence["k"] = "changed"
	c.FSDTerms[0].ID = "changed"
	require.Equal(t, "4.00", r.Factors[0].Inputs["age"])
	require.Equal(t, "v", r.Flags[0].Evidence["k"])
	require.Equal(t, "base", r.FSDTerms[0].ID)
	require.Nil(t, (*valuation.Report)(nil).Clone())
}

// requireAllFilled fails for an empty slice or map anywhere in v, so that
// the fixture exercises every one.
func requireAllFilled(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		require.NotZero(t, v.Len(), "fill %s in the fixture", path)
		if v.Kind() == reflect.Slice {
			for i := range v.Len() {
				requireAllFilled(t, v.Index(i), path+"[]")
			}
		}
	case reflect.Struct:
		if v.Type().PkgPath() != "github.com/assetmint/assetmint/valuation" {
			return // decimal.Decimal, time.Time: values
		}
		for i := range v.NumField() {
			requireAllFilled(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	}
}

func requireNoSharing(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Slice, reflect.Map:
		require.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared by the clone", path)
		if a.Kind() == reflect.Slice {
			for i := range a.Len() {
				requireNoSharing(t, a.Index(i), b.Index(i), path+"[]")
			}
		}
	case reflect.Struct:
		if a.Type().PkgPath() != "github.com/assetmint/assetmint/valuation" {
			return
		}
		for i := range a.NumField() {
			requireNoSharing(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	}
}
