package httpapi

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// cacheValuation is a valuation whose strings carry what encoding/json
// escapes by default (<, >, &), which the API sends unescaped.
func cacheValuation(id string) *assetmint.Valuation {
	at := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	return &assetmint.Valuation{ID: id, AssetID: "asset_0001", CreatedAt: at, Report: &valuation.Report{
		Value: decimal.RequireFromString("85000.50"), Low: decimal.RequireFromString("80000"), High: decimal.RequireFromString("90000"),
		Currency: "USD", Confidence: 72, ConfidenceTier: "medium", FSD: 0.1234567, AsOf: at, Method: "cost <depreciated> & adjusted",
		Factors: []valuation.Factor{{ID: "age_curve", Label: "Age <4 years> & wear", Inputs: map[string]string{"age": "4.00"},
			Multiplier: 0.8, LogContribution: -0.2231435, Contribution: decimal.RequireFromString("-12345.67")}},
		Flags: []valuation.Flag{{Code: "B_FLAG", Severity: "warning", Message: "b > a"}, {Code: "A_FLAG", Severity: "info", Message: "a & b"}},
	}}
}

// The detail a GET answers from the cache is byte for byte what encoding
// the valuation afresh answers, first and on every later read; another
// valuation (a new row, a new id) is encoded for itself.
func TestValuationCacheAnswersWhatEncodingDoes(t *testing.T) {
	asset := &assetmint.Asset{ID: "asset_0001", Name: "Press", Type: assetmint.AssetEquipment, Currency: "USD",
		EstimatedValue: decimal.NewFromInt(85000), Status: assetmint.AssetValued}
	detail := func(v *assetmint.Valuation, vc *valuationCache) string {
		b, err := encode(envelope{Data: toAssetDetail(&assetmint.AssetDetails{Asset: asset, Valuation: v}, vc)})
		require.NoError(t, err)
		return string(b)
	}
	vc := newValuationCache()
	first := cacheValuation("val_0001")
	want := detail(first, nil)
	require.Contains(t, want, `"label":"Age <4 years> & wear"`, "HTML left unescaped")
	require.Equal(t, want, detail(first, vc), "first read")
	require.Equal(t, want, detail(first, vc), "from the cache")
	require.Len(t, vc.m, 1)

	second := cacheValuation("val_0002")
	second.Report.Value = decimal.RequireFromString("91000")
	require.Equal(t, detail(second, nil), detail(second, vc))
	require.Contains(t, detail(second, vc), `"value":91000`)
	require.Equal(t, want, detail(first, vc))

	require.Equal(t, detail(nil, nil), detail(nil, vc), "no valuation: null")
	require.Contains(t, detail(nil, vc), `"valuation":null`)
}

// The cache holds at most maxCachedValuations, emptying itself when full.
func TestValuationCacheIsBounded(t *testing.T) {
	vc := newValuationCache()
	for i := range maxCachedValuations + 10 {
		vc.encode(cacheValuation(fmt.Sprintf("val_%04d", i)))
		require.LessOrEqual(t, len(vc.m), maxCachedValuations)
	}
	require.Equal(t, 10, len(vc.m), "emptied once, then filled with the last ten")
}
