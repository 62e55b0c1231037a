package lending_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/lending"
)

func ExampleAmortize() {
	s, err := lending.Amortize(lending.Terms{
		Principal:  decimal.RequireFromString("1000"),
		AnnualRate: decimal.RequireFromString("0.12"),
		Months:     4,
		Method:     lending.Annuity,
		DayCount:   lending.Thirty360,
		Start:      time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	for _, in := range s.Installments {
		fmt.Printf("%d %s %7s %7s %5s %7s\n", in.Number, in.DueDate.Format(time.DateOnly),
			in.Payment.StringFixed(2), in.Principal.StringFixed(2), in.Interest.StringFixed(2), in.Balance.StringFixed(2))
	}
	// Output:
	// 1 2025-02-28  256.28  246.28 10.00  753.72
	// 2 2025-03-31  256.28  248.74  7.54  504.98
	// 3 2025-04-30  256.28  251.23  5.05  253.75
	// 4 2025-05-31  256.29  253.75  2.54    0.00
}

func ExampleAllocate() {
	a, err := lending.Allocate(decimal.RequireFromString("100"), lending.Due{
		Fees:      decimal.RequireFromString("15"),
		Interest:  decimal.RequireFromString("40"),
		Principal: decimal.RequireFromString("200"),
	}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Fees, a.Interest, a.Principal, a.Excess)
	// Output: 15 40 45 0
}

func ExampleDelinquencyPolicy_Assess() {
	s, _ := lending.Amortize(lending.Terms{
		Principal: decimal.RequireFromString("1200"), Months: 12,
		Start: time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC),
	})
	// nothing paid; first installment due Feb 15
	st := lending.DelinquencyPolicy{}.Assess(s, decimal.Zero, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(st.DaysPastDue, st.Bucket, st.PastDue, st.Default)
	// Output: 45 31-60 200 false
}

func ExamplePolicy_Decide() {
	d, err := lending.Policy{}.Decide(lending.Application{
		AssetType: "equipment", LendingValue: decimal.RequireFromString("50000"),
		Confidence: 82, RiskGrade: "A",
		Amount: decimal.RequireFromString("30000"), Months: 36,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Outcome, d.MaxAmount, d.AnnualRate, d.Reasons)
	// Output: approved 35000 0.07 []
}
