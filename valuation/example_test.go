package valuation_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/valuation"
)

// cncInput is the reference's CNC machine with its 2021 invoice.
func cncInput() valuation.Input {
	return valuation.Input{
		AssetID:       "ast_cnc",
		Type:          valuation.Equipment,
		Name:          "CNC Milling Machine — Model X200",
		Description:   "Industrial CNC machine, 2021, excellent condition",
		DeclaredValue: decimal.NewFromInt(85000),
		Currency:      "USD",
		Documents: []valuation.Document{{
			ID: "doc_invoice", Kind: valuation.KindInvoice, SHA256: "9f2c…",
			Amount: decimal.NewFromInt(150000), Currency: "USD",
			Date: time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC), Issuer: "Machine Tools Co.",
		}},
		AsOf: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
	}
}

func ExampleDeterministic() {
	model, err := valuation.NewDeterministic(valuation.DefaultParameters())
	if err != nil {
		panic(err)
	}
	r, err := model.Value(context.Background(), cncInput())
	if err != nil {
		panic(err)
	}
	fmt.Println("anchor:", r.Anchor.Source, r.Anchor.Amount)
	for _, f := range r.Factors {
		fmt.Printf("  %-10s ×%.4f %s\n", f.ID, f.Multiplier, f.Contribution)
	}
	fmt.Println("value:", r.Value, "range:", r.Low, "-", r.High)
	fmt.Println("FMV/OLV/FLV/NOLV:", r.Premises.FMV, r.Premises.OLV, r.Premises.FLV, r.Premises.NOLV)
	fmt.Printf("FSD %.2f confidence %d %s grade %s\n", r.FSD, r.Confidence, r.ConfidenceTier, r.RiskGrade)
	fmt.Println("lending:", r.LendingPremise, r.LendingValue, "×", r.AdvanceRate, "=", r.MaxLoan)
	fmt.Println("flags:", len(r.Flags), "blocking:", r.Blocking())
	// Output:
	// anchor: invoice 150000
	//   age_curve  ×0.6014 -59786.25
	//   condition  ×1.1250 11276.72
	// value: 101490.47 range: 81192.38 - 121788.56
	// FMV/OLV/FLV/NOLV: 101490.47 71043.33 45670.71 63939
	// FSD 0.20 confidence 80 MEDIUM_HIGH grade B
	// lending: NOLV 51151.2 × 0.8 = 40920.96
	// flags: 0 blocking: false
}
