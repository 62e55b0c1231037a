package lending_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/lending"
)

func TestDecide(t *testing.T) {
	base := func() lending.Application {
		return lending.Application{
			AssetType: "vehicle", LendingValue: d("30000"), Confidence: 85,
			RiskGrade: "B", Amount: d("20000"), Months: 48,
		}
	}
	var p lending.Policy
	for _, tc := range []struct {
		name    string
		mutate  func(*lending.Application)
		outcome lending.Outcome
		reasons []string
		max     string
	}{
		{"approved", func(*lending.Application) {}, lending.Approved, []string{}, "24000"},
		{"at the cap", func(a *lending.Application) { a.Amount = d("24000") }, lending.Approved, []string{}, "24000"},
		{"over the cap", func(a *lending.Application) { a.Amount = d("24000.01") }, lending.Rejected, []string{lending.ReasonAmountExceedsMax}, "24000"},
		{"valuation max loan caps", func(a *lending.Application) { a.MaxLoan = d("15000.555") }, lending.Rejected, []string{lending.ReasonAmountExceedsMax}, "15000.55"},
		{"medium confidence lowers the advance", func(a *lending.Application) { a.Confidence = 70 }, lending.Approved, []string{}, "21600"},
		{"low confidence refers", func(a *lending.Application) { a.Confidence = 45; a.Amount = d("18000") }, lending.Referred, []string{lending.ReasonLowConfidence}, "18000"},
		{"too little confidence", func(a *lending.Application) { a.Confidence = 39 }, lending.Rejected, []string{lending.ReasonConfidenceTooLow}, "0"},
		{"grade E", func(a *lending.Application) { a.RiskGrade = "E" }, lending.Rejected, []string{lending.ReasonGradeNotAccepted}, "24000"},
		{"term too long", func(a *lending.Application) { a.Months = 73 }, lending.Rejected, []string{lending.ReasonTermTooLong}, "24000"},
		{"term too short", func(a *lending.Application) { a.Months = 2 }, lending.Rejected, []string{lending.ReasonTermTooShort}, "24000"},
		{"too small", func(a *lending.Application) { a.Amount = d("999.99") }, lending.Rejected, []string{lending.ReasonAmountTooSmall}, "24000"},
		{"unknown asset", func(a *lending.Application) { a.AssetType = "boat"; a.Amount = d("15000") }, lending.Referred, []string{lending.ReasonUnknownAssetType}, "15000"},
		{"large", func(a *lending.Application) {
			a.AssetType, a.LendingValue, a.Amount, a.Months = "real_estate", d("3000000"), d("1500000"), 300
		}, lending.Referred, []string{lending.ReasonLargeAmount}, "2100000"},
		{"several reasons", func(a *lending.Application) { a.RiskGrade = "X"; a.Months = 100; a.Amount = d("50000") },
			lending.Rejected, []string{lending.ReasonGradeNotAccepted, lending.ReasonAmountExceedsMax, lending.ReasonTermTooLong}, "24000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := base()
			tc.mutate(&a)
			got, err := p.Decide(a)
			require.NoError(t, err)
			require.Equal(t, tc.outcome, got.Outcome)
			require.Equal(t, tc.reasons, got.Reasons)
			require.True(t, d(tc.max).Equal(got.MaxAmount), "max %s", got.MaxAmount)
		})
	}
	t.Run("rate is base plus premium", func(t *testing.T) {
		got, err := p.Decide(base())
		require.NoError(t, err)
		require.Equal(t, "0.08", got.AnnualRate.String())
		custom := lending.Policy{BaseRate: d("0.05")}
		got, err = custom.Decide(base())
		require.NoError(t, err)
		require.Equal(t, "0.07", got.AnnualRate.String())
	})
	t.Run("invalid input names the field", func(t *testing.T) {
		for field, mutate := range map[string]func(*lending.Application){
			"asset_type":    func(a *lending.Application) { a.AssetType = "" },
			"lending_value": func(a *lending.Application) { a.LendingValue = d("-1") },
			"max_loan":      func(a *lending.Application) { a.MaxLoan = d("-1") },
			"confidence":    func(a *lending.Application) { a.Confidence = 101 },
			"risk_grade":    func(a *lending.Application) { a.RiskGrade = "" },
			"amount":        func(a *lending.Application) { a.Amount = d("0") },
			"months":        func(a *lending.Application) { a.Months = 0 },
		} {
			a := base()
			mutate(&a)
			_, err := p.Decide(a)
			requireField(t, err, field)
		}
	})
	t.Run("defaults are documented values", func(t *testing.T) {
		dp := lending.DefaultPolicy()
		require.Equal(t, "0.06", dp.BaseRate.String())
		require.Equal(t, 360, dp.Assets["real_estate"].MaxMonths)
		require.Equal(t, 90, lending.DefaultAfterDays)
	})
}
