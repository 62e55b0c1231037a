package lending_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint/lending"
)

// requireDec fails unless got equals want (a decimal string).
func requireDec(t require.TestingT, want string, got decimal.Decimal, msgAndArgs ...any) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	require.Equal(t, want, got.StringFixed(2), msgAndArgs...)
	require.True(t, d(want).Equal(got), msgAndArgs...)
}

func pay(id, amount string, at time.Time) lending.Payment {
	return lending.Payment{ID: id, Amount: d(amount), ReceivedAt: at}
}

func amortize(t require.TestingT, terms lending.Terms) lending.Schedule {
	s, err := lending.Amortize(terms)
	require.NoError(t, err)
	return s
}

func TestServiceOnTime(t *testing.T) {
	for _, m := range methods {
		for _, dc := range dayCounts {
			t.Run(fmt.Sprintf("%s/%s", m, dc), func(t *testing.T) {
				s := amortize(t, goldenTerms(m, dc))
				var payments []lending.Payment
				for _, in := range s.Installments {
					payments = append(payments, lending.Payment{ID: fmt.Sprint("p", in.Number), Amount: in.Payment, ReceivedAt: in.DueDate})
				}
				policy := lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}

				// halfway, on the 6th due date
				half := s.Installments[5]
				pos, err := lending.Service(s, payments[:6], policy, half.DueDate)
				require.NoError(t, err)
				require.False(t, pos.Closed)
				require.True(t, half.Balance.Equal(pos.OutstandingPrincipal), "outstanding %s", pos.OutstandingPrincipal)
				require.True(t, half.Balance.Equal(pos.Payoff), "payoff %s: nothing accrued on a due date", pos.Payoff)
				require.Equal(t, 7, pos.NextDue.Number)
				require.Equal(t, lending.InstallmentUpcoming, pos.NextDue.Status)
				require.Equal(t, lending.InstallmentPaid, pos.Installments[5].Status)

				last := s.Installments[len(s.Installments)-1]
				pos, err = lending.Service(s, payments, policy, last.DueDate.AddDate(0, 1, 0))
				require.NoError(t, err)
				require.True(t, pos.Closed)
				require.Equal(t, last.DueDate, pos.ClosedAt)
				require.Nil(t, pos.NextDue)
				require.Equal(t, s.Installments, pos.Schedule.Installments)
				for i, app := range pos.Payments {
					in := s.Installments[i]
					require.Equal(t, payments[i].ID, app.ID)
					require.True(t, app.Interest.Equal(in.Interest), "row %d interest %s, want %s", in.Number, app.Interest, in.Interest)
					require.True(t, app.Principal.Equal(in.Principal), "row %d principal %s, want %s", in.Number, app.Principal, in.Principal)
					require.True(t, app.Fees.IsZero() && app.Prepaid.IsZero() && app.Excess.IsZero(), "row %d: %+v", in.Number, app)
				}
				for _, st := range pos.Installments {
					require.Equal(t, lending.InstallmentPaid, st.Status, "row %d", st.Number)
					require.True(t, st.Paid.Equal(st.Payment), "row %d", st.Number)
				}
				for _, v := range []decimal.Decimal{pos.OutstandingPrincipal, pos.PrincipalDue, pos.InterestDue, pos.AccruedInterest, pos.FeesDue, pos.FeesAssessed, pos.Payoff} {
					require.True(t, v.IsZero(), "%+v", pos)
				}
				require.Equal(t, lending.BucketCurrent, pos.Delinquency.Bucket)
			})
		}
	}
}

// TestServiceLateCharges checks DefaultLatePolicy (5 days of grace, 5 % fee
// capped at 100, 2 % penalty interest) against hand computations.
func TestServiceLateCharges(t *testing.T) {
	// 12,000 at 0 % over 12 months: 1,000 due on the 15th from Feb 15 2025.
	s := amortize(t, lending.Terms{Principal: d("12000"), AnnualRate: decimal.Zero, Months: 12, Start: day(2025, 1, 15)})
	policy := lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}

	t.Run("paid 7 days late", func(t *testing.T) {
		// Assessed Feb 21 (day 6) on 1,000: fee 50.00. On Feb 22 the penalty
		// is 1000 × 2 % × 7/365 = 0.3836. Fees come first, so 50.38 of the
		// 1,000 pays charges and 50.38 of the row stays unpaid.
		pos, err := lending.Service(s, []lending.Payment{pay("a", "1000", day(2025, 2, 22))}, policy, day(2025, 2, 22))
		require.NoError(t, err)
		app := pos.Payments[0]
		requireDec(t, "50.38", app.Fees)
		requireDec(t, "949.62", app.Principal)
		requireDec(t, "50.38", pos.FeesAssessed)
		requireDec(t, "0.00", pos.FeesDue)
		requireDec(t, "50.38", pos.Delinquency.PastDue)
		require.Equal(t, 7, pos.Delinquency.DaysPastDue)
		require.Equal(t, lending.InstallmentPastDue, pos.Installments[0].Status)
	})

	t.Run("partial payments: the penalty is the rounded running sum", func(t *testing.T) {
		payments := []lending.Payment{
			pay("a", "400", day(2025, 2, 18)), // within grace: no charges yet
			pay("b", "100", day(2025, 2, 19)),
		}
		// Penalty: 1000 for 3 days (0.1644), 600 for 1 day (0.0329), 500
		// for 2 days (0.0548): 92 × 0.02/365 = 0.2521 (rounding each piece
		// would give 0.24). Fee on Feb 21: 5 % of 500 = 25.00.
		pos, err := lending.Service(s, payments, policy, day(2025, 2, 21))
		require.NoError(t, err)
		requireDec(t, "25.25", pos.FeesDue)
		requireDec(t, "25.25", pos.FeesAssessed)

		// Feb 20 is within grace: the penalty is not chargeable yet.
		pos, err = lending.Service(s, payments, policy, day(2025, 2, 20))
		require.NoError(t, err)
		requireDec(t, "0.00", pos.FeesAssessed)

		// Mar 1: 8 more days on 500: 172 × 0.02/365 = 0.4712.
		payments = append(payments, pay("c", "525.47", day(2025, 3, 1)))
		pos, err = lending.Service(s, payments, policy, day(2025, 3, 1))
		require.NoError(t, err)
		app := pos.Payments[2]
		requireDec(t, "25.47", app.Fees)
		requireDec(t, "500.00", app.Principal)
		requireDec(t, "0.00", app.Excess)
		requireDec(t, "25.47", pos.FeesAssessed)
		requireDec(t, "0.00", pos.FeesDue)
		require.Equal(t, lending.InstallmentPaid, pos.Installments[0].Status)

		// Paid row 1 accrues nothing more; row 2 paid within its grace.
		payments = append(payments, pay("d", "1000", day(2025, 3, 20)))
		pos, err = lending.Service(s, payments, policy, day(2025, 3, 31))
		require.NoError(t, err)
		requireDec(t, "25.47", pos.FeesAssessed)
		requireDec(t, "0.00", pos.FeesDue)
		requireDec(t, "0.00", pos.Payments[3].Fees)
	})

	t.Run("paid within grace", func(t *testing.T) {
		pos, err := lending.Service(s, []lending.Payment{pay("a", "1000", day(2025, 2, 20))}, policy, day(2025, 3, 14))
		require.NoError(t, err)
		requireDec(t, "0.00", pos.FeesAssessed)
		requireDec(t, "0.00", pos.Payments[0].Fees)
	})

	t.Run("the fee is capped", func(t *testing.T) {
		big := amortize(t, lending.Terms{Principal: d("120000"), AnnualRate: decimal.Zero, Months: 12, Start: day(2025, 1, 15)})
		// 10,000 unpaid on Feb 21: 5 % is 500, capped at 100; penalty
		// 10000 × 2 % × 6/365 = 3.2877.
		pos, err := lending.Service(big, nil, policy, day(2025, 2, 21))
		require.NoError(t, err)
		requireDec(t, "103.29", pos.FeesDue)
		requireDec(t, "120103.29", pos.Payoff)
	})
}

func TestServiceDelinquency(t *testing.T) {
	s := amortize(t, lending.Terms{Principal: d("12000"), AnnualRate: d("0.06"), Months: 12, Start: day(2025, 1, 15)})
	first := s.Installments[0].DueDate // Feb 15
	var past decimal.Decimal
	for _, in := range s.Installments[:4] { // due Feb 15 .. May 15
		past = past.Add(in.Payment)
	}
	for _, tc := range []struct {
		days   int
		bucket lending.Bucket
		def    bool
	}{
		{90, lending.Bucket61To90, false},
		{91, lending.Bucket90Plus, true},
	} {
		t.Run(fmt.Sprint(tc.days), func(t *testing.T) {
			pos, err := lending.Service(s, nil, lending.ServicingPolicy{}, first.AddDate(0, 0, tc.days))
			require.NoError(t, err)
			got := pos.Delinquency
			require.Equal(t, tc.days, got.DaysPastDue)
			require.Equal(t, tc.bucket, got.Bucket)
			require.Equal(t, tc.def, got.Default)
			require.Equal(t, 1, got.OldestUnpaid)
			require.True(t, past.Equal(got.PastDue), "past due %s, want %s", got.PastDue, past)
			for i, st := range pos.Installments {
				want := lending.InstallmentUpcoming
				if i < 4 {
					want = lending.InstallmentPastDue
				}
				require.Equal(t, want, st.Status, "row %d", st.Number)
			}
		})
	}
	t.Run("due today", func(t *testing.T) {
		pos, err := lending.Service(s, nil, lending.ServicingPolicy{}, first)
		require.NoError(t, err)
		require.Equal(t, lending.InstallmentDue, pos.Installments[0].Status)
		require.Equal(t, lending.BucketCurrent, pos.Delinquency.Bucket)
		require.True(t, pos.InterestDue.Equal(s.Installments[0].Interest))
		require.True(t, pos.PrincipalDue.Equal(s.Installments[0].Principal))
	})
	t.Run("a stricter default rule", func(t *testing.T) {
		pos, err := lending.Service(s, nil, lending.ServicingPolicy{Delinquency: lending.DelinquencyPolicy{DefaultAfterDays: 30}}, first.AddDate(0, 0, 31))
		require.NoError(t, err)
		require.True(t, pos.Delinquency.Default)
	})
}

func TestServicePrepayment(t *testing.T) {
	t.Run("annuity between due dates", func(t *testing.T) {
		// 10,000 at 6 %, 30/360, 24 months: 443.21 a month; row 1 (Feb 15)
		// is 50.00 interest + 393.21 principal.
		s := amortize(t, lending.Terms{Principal: d("10000"), AnnualRate: d("0.06"), Months: 24, Start: day(2025, 1, 15)})
		row1 := s.Installments[0]
		requireDec(t, "443.21", row1.Payment)
		payments := []lending.Payment{
			{ID: "1", Amount: row1.Payment, ReceivedAt: row1.DueDate},
			pay("extra", "3000", day(2025, 3, 1)),
		}
		pos, err := lending.Service(s, payments, lending.ServicingPolicy{}, day(2025, 3, 1))
		require.NoError(t, err)
		// Feb 15 -> Mar 1 is 16 days in 30/360: ρ = 0.06 × 16/360.
		// x = ceil(3000 / (1 + ρ)) = ceil(2992.0213) = 2992.03, and the
		// interest 7.97 is just under 2992.03 × ρ = 7.9787.
		app := pos.Payments[1]
		requireDec(t, "2992.03", app.Principal)
		requireDec(t, "2992.03", app.Prepaid)
		requireDec(t, "7.97", app.Interest)
		requireDec(t, "0.00", app.Excess)
		require.Less(t, len(pos.Schedule.Installments), 24, "the term is reduced")
		require.True(t, pos.Schedule.Level.Equal(s.Level), "the installment is kept")
		requireDec(t, "6614.76", pos.OutstandingPrincipal) // 9606.79 − 2992.03
		require.Equal(t, lending.InstallmentUpcoming, pos.Installments[1].Status)

		// A second prepayment in the same period starts from the balance
		// the first one left: Feb 15 -> Mar 5 is 20 days.
		payments = append(payments, pay("extra2", "1000", day(2025, 3, 5)))
		funded := slices.Clone(s.Installments)
		pos, err = lending.Service(s, payments, lending.ServicingPolicy{}, day(2025, 3, 5))
		require.NoError(t, err)
		require.Equal(t, funded, s.Installments, "Service changed the schedule it was given")
		app = pos.Payments[2]
		requireDec(t, "996.68", app.Principal) // ceil(1000 / (1 + 0.06 × 20/360)) = ceil(996.6777)
		requireDec(t, "3.32", app.Interest)
		requireDec(t, "5618.08", pos.OutstandingPrincipal)
		row2 := pos.Schedule.Installments[1]
		require.True(t, row2.Balance.Equal(d("5618.08").Sub(row2.Principal)), "row 2 balance %s", row2.Balance)
		require.Equal(t, row1, pos.Schedule.Installments[0], "the paid row is kept as it was")
	})

	t.Run("30/360 accrual is capped at the period's rate", func(t *testing.T) {
		// Due dates Feb 28, Mar 31, ... From Feb 28 to Mar 30 the bond-basis
		// count is 32 days; the accrual stops at the 30 days of the period,
		// so paying off on Mar 30 costs what paying on Mar 31 does.
		s := amortize(t, lending.Terms{Principal: d("10000"), AnnualRate: d("0.12"), Months: 12, Start: day(2025, 1, 31)})
		paid := []lending.Payment{{ID: "1", Amount: s.Installments[0].Payment, ReceivedAt: s.Installments[0].DueDate}}
		early, err := lending.Service(s, paid, lending.ServicingPolicy{}, day(2025, 3, 30))
		require.NoError(t, err)
		onTime, err := lending.Service(s, paid, lending.ServicingPolicy{}, day(2025, 3, 31))
		require.NoError(t, err)
		require.True(t, early.AccruedInterest.Equal(s.Installments[1].Interest), "accrued %s", early.AccruedInterest)
		require.True(t, early.Payoff.Equal(onTime.Payoff), "payoff %s on Mar 30, %s on Mar 31", early.Payoff, onTime.Payoff)
		// AccruedInterest itself counts the 32 days: 9211.51 × 0.12 × 32/360
		// = 98.2561, where row 2 charges 9211.51 × 0.01 = 92.12.
		requireDec(t, "92.12", early.AccruedInterest)
		requireDec(t, "98.26", lending.AccruedInterest(lending.Thirty360, s.Installments[0].Balance, d("0.12"), day(2025, 2, 28), day(2025, 3, 30)))
	})

	t.Run("balloon below the balloon", func(t *testing.T) {
		s := amortize(t, lending.Terms{
			Principal: d("10000"), AnnualRate: d("0.06"), Months: 12, Start: day(2025, 1, 15),
			Method: lending.Balloon, Balloon: d("8000"),
		})
		_, err := lending.Service(s, []lending.Payment{pay("x", "2500", day(2025, 1, 20))}, lending.ServicingPolicy{}, day(2025, 1, 20))
		requireField(t, err, "payments[0].amount")
		// the payoff on Jan 20: 10,000 + 10000 × 0.06 × 5/360 = 10,008.33
		require.Contains(t, err.Error(), "10008.33")
		require.Contains(t, err.Error(), "balloon")

		pos, err := lending.Service(s, []lending.Payment{pay("x", "10008.33", day(2025, 1, 20))}, lending.ServicingPolicy{}, day(2025, 1, 20))
		require.NoError(t, err)
		require.True(t, pos.Closed)
		require.Empty(t, pos.Schedule.Installments)

		pos, err = lending.Service(s, []lending.Payment{pay("x", "1000", day(2025, 1, 20))}, lending.ServicingPolicy{}, day(2025, 1, 20))
		require.NoError(t, err)
		require.Len(t, pos.Schedule.Installments, 12, "the installment is reduced")
		require.True(t, pos.Schedule.Level.LessThan(s.Level))
	})

	t.Run("after the loan closed everything is excess", func(t *testing.T) {
		s := amortize(t, lending.Terms{Principal: d("1000"), AnnualRate: d("0.12"), Months: 12, Start: day(2025, 1, 15)})
		pos, err := lending.Service(s, []lending.Payment{
			pay("payoff", "1000", day(2025, 1, 15)), // nothing accrued on the funding date
			pay("late", "50", day(2025, 3, 1)),
		}, lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}, day(2025, 6, 1))
		require.NoError(t, err)
		require.True(t, pos.Closed)
		require.Equal(t, day(2025, 1, 15), pos.ClosedAt)
		requireDec(t, "1000.00", pos.Payments[0].Prepaid)
		requireDec(t, "50.00", pos.Payments[1].Excess)
		requireDec(t, "0.00", pos.Payoff)
	})
}

func TestServiceValidation(t *testing.T) {
	s := amortize(t, lending.Terms{Principal: d("1200"), AnnualRate: d("0.1"), Months: 12, Start: day(2025, 1, 15)})
	type input struct {
		s        lending.Schedule
		payments []lending.Payment
		policy   lending.ServicingPolicy
		asOf     time.Time
	}
	for _, tc := range []struct {
		name   string
		mutate func(*input)
		field  string
	}{
		{"zero amount", func(in *input) { in.payments[1].Amount = decimal.Zero }, "payments[1].amount"},
		{"negative amount", func(in *input) { in.payments[0].Amount = d("-1") }, "payments[0].amount"},
		{"fractional cents", func(in *input) { in.payments[1].Amount = d("1.005") }, "payments[1].amount"},
		{"before the start", func(in *input) { in.payments[0].ReceivedAt = day(2025, 1, 14) }, "payments[0].received_at"},
		{"after as of", func(in *input) { in.payments[1].ReceivedAt = day(2025, 6, 2) }, "payments[1].received_at"},
		{"out of order", func(in *input) { in.payments[1].ReceivedAt = day(2025, 2, 1) }, "payments[1].received_at"},
		{"as of before the start", func(in *input) { in.asOf = day(2025, 1, 1) }, "as_of"},
		{"bad order", func(in *input) { in.policy.Order = []lending.Component{lending.Fees} }, "order"},
		{"negative grace", func(in *input) { in.policy.Late.GraceDays = -1 }, "late.grace_days"},
		{"negative penalty", func(in *input) { in.policy.Late.PenaltyRate = d("-0.01") }, "late.penalty_rate"},
		{"no rows", func(in *input) { in.s.Installments = nil }, "schedule"},
		{"bad terms", func(in *input) { in.s.Terms.Months = 0 }, "months"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input{
				s:        s,
				payments: []lending.Payment{pay("a", "100", day(2025, 2, 15)), pay("b", "100", day(2025, 3, 15))},
				asOf:     day(2025, 6, 1),
			}
			_, err := lending.Service(in.s, in.payments, in.policy, in.asOf)
			require.NoError(t, err, "the unmutated input is valid")
			tc.mutate(&in)
			_, err = lending.Service(in.s, in.payments, in.policy, in.asOf)
			requireField(t, err, tc.field)
			require.Contains(t, err.Error(), tc.field)
		})
	}
}

func TestAccruedInterest(t *testing.T) {
	for _, tc := range []struct {
		name     string
		dc       lending.DayCount
		balance  string
		rate     string
		from, to time.Time
		want     string
	}{
		{"30/360 a plain month", lending.Thirty360, "1000", "0.12", day(2025, 1, 15), day(2025, 2, 15), "10.00"},
		// D1 = 31 -> 30, so D2 = 1 stays: 60 − 29 = 31 days
		{"30/360 from the 31st", lending.Thirty360, "1000", "0.12", day(2025, 1, 31), day(2025, 3, 1), "10.33"},
		// D1 = 28 is not 30, so D2 = 31 stays: 30 + 3 = 33 days
		{"30/360 across Feb to the 31st", lending.Thirty360, "1000", "0.12", day(2025, 2, 28), day(2025, 3, 31), "11.00"},
		// D1 = 31 -> 30 and D2 = 30: 30 days
		{"30/360 31st to 30th", lending.Thirty360, "1000", "0.12", day(2025, 3, 31), day(2025, 4, 30), "10.00"},
		// Jan 31 -> Feb 28: 30 + (28 − 30) = 28 days
		{"30/360 Jan 31 to Feb 28", lending.Thirty360, "1000", "0.12", day(2025, 1, 31), day(2025, 2, 28), "9.33"},
		// 1.5 × 0.01 × 120/360 = 0.005 exactly: half-up
		{"30/360 half up", lending.Thirty360, "1.5", "0.01", day(2025, 1, 1), day(2025, 5, 1), "0.01"},
		// 1000 × 0.1 × 10/365 = 2.7397
		{"ACT/365F", lending.Act365F, "1000", "0.1", day(2025, 2, 20), day(2025, 3, 2), "2.74"},
		// 1000 × 0.1 × 10/360 = 2.7778
		{"ACT/360", lending.Act360, "1000", "0.1", day(2025, 2, 20), day(2025, 3, 2), "2.78"},
		// 1,000,000 × 0.1 × (17/365 + 14/366) = 8482.67
		{"ACT/ACT across a year end", lending.ActAct, "1000000", "0.10", day(2023, 12, 15), day(2024, 1, 15), "8482.67"},
		// 10,000 × 0.05 × 60/366 = 81.967
		{"ACT/ACT in a leap year", lending.ActAct, "10000", "0.05", day(2024, 1, 1), day(2024, 3, 1), "81.97"},
		{"same day", lending.Act365F, "1000", "0.1", day(2025, 3, 2), day(2025, 3, 2).Add(20 * time.Hour), "0.00"},
		{"backwards", lending.Act365F, "1000", "0.1", day(2025, 3, 2), day(2025, 3, 1), "0.00"},
		{"zero rate", lending.Act360, "1000", "0", day(2025, 1, 1), day(2025, 3, 1), "0.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireDec(t, tc.want, lending.AccruedInterest(tc.dc, d(tc.balance), d(tc.rate), tc.from, tc.to))
		})
	}
}

// genServiceTerms draws terms for servicing: every method and day count,
// 1..120 months, rates 0..30 %, principal 1,000.00..1,000,000.00.
func genServiceTerms() *rapid.Generator[lending.Terms] {
	return rapid.Custom(func(t *rapid.T) lending.Terms {
		cents := rapid.Int64Range(1_000_00, 1_000_000_00).Draw(t, "cents")
		var rate decimal.Decimal
		switch rapid.IntRange(0, 3).Draw(t, "rate_kind") {
		case 0:
			rate = decimal.Zero
		case 1:
			rate = decimal.New(rapid.Int64Range(1, 3000).Draw(t, "bp"), -4)
		default:
			rate = decimal.New(rapid.Int64Range(1, 300_000_000).Draw(t, "rate_e9"), -9)
		}
		year, month := rapid.IntRange(2000, 2040).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
		dd := min(rapid.OneOf(rapid.IntRange(1, 31), rapid.IntRange(28, 31)).Draw(t, "day"), last)
		terms := lending.Terms{
			Principal:  decimal.New(cents, -2),
			AnnualRate: rate,
			Months:     rapid.OneOf(rapid.IntRange(1, 24), rapid.IntRange(1, 120)).Draw(t, "months"),
			Method:     rapid.SampledFrom(methods).Draw(t, "method"),
			DayCount:   rapid.SampledFrom(dayCounts).Draw(t, "day_count"),
			Start:      time.Date(year, month, dd, rapid.IntRange(0, 23).Draw(t, "hour"), 0, 0, 0, time.UTC),
		}
		if terms.Method == lending.Balloon {
			terms.Balloon = decimal.New(rapid.Int64Range(0, cents-1).Draw(t, "balloon_cents"), -2)
		}
		return terms
	})
}

// genPlan draws payments on s: for each row in turn, on time, late,
// partial, skipped, or with an extra payment before it.
func genPlan(t *rapid.T, s lending.Schedule) []lending.Payment {
	var plan []lending.Payment
	cents := func(name string, lo, hi int64) decimal.Decimal {
		return decimal.New(rapid.Int64Range(lo, max(lo, hi)).Draw(t, name), -2)
	}
	rows := rapid.IntRange(0, len(s.Installments)+1).Draw(t, "rows")
	for i, in := range s.Installments[:min(rows, len(s.Installments))] {
		name := fmt.Sprint("row", i)
		switch rapid.SampledFrom([]string{"on_time", "on_time", "late", "partial", "skip", "extra"}).Draw(t, name) {
		case "on_time":
			plan = append(plan, lending.Payment{Amount: in.Payment, ReceivedAt: in.DueDate})
		case "late":
			plan = append(plan, lending.Payment{Amount: in.Payment, ReceivedAt: in.DueDate.AddDate(0, 0, rapid.IntRange(1, 45).Draw(t, name+"_days"))})
		case "partial":
			plan = append(plan, lending.Payment{
				Amount:     cents(name+"_amount", 1, in.Payment.Shift(2).IntPart()),
				ReceivedAt: in.DueDate.AddDate(0, 0, rapid.IntRange(-5, 20).Draw(t, name+"_days")),
			})
		case "extra":
			plan = append(plan,
				lending.Payment{
					Amount:     cents(name+"_extra", 1, s.Terms.Principal.Shift(2).IntPart()/3),
					ReceivedAt: in.DueDate.AddDate(0, 0, -rapid.IntRange(1, 27).Draw(t, name+"_before")),
				},
				lending.Payment{Amount: in.Payment, ReceivedAt: in.DueDate})
		}
	}
	plan = slices.DeleteFunc(plan, func(p lending.Payment) bool { return p.Amount.IsZero() }) // rows of a zero payment
	for i := range plan {
		plan[i].ID = fmt.Sprint("p", i)
		if plan[i].ReceivedAt.Before(s.Terms.Start) {
			plan[i].ReceivedAt = s.Terms.Start
		}
	}
	slices.SortStableFunc(plan, func(a, b lending.Payment) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	return plan
}

func genPolicy(t *rapid.T) lending.ServicingPolicy {
	var p lending.ServicingPolicy
	if rapid.Bool().Draw(t, "late") {
		p.Late = lending.DefaultLatePolicy()
		p.Late.FlatFee = decimal.New(rapid.Int64Range(0, 2500).Draw(t, "flat_fee"), -2)
	}
	if rapid.Bool().Draw(t, "custom_order") {
		p.Order = rapid.Permutation(lending.DefaultOrder()).Draw(t, "order")
	}
	return p
}

// serviceDroppingBalloonErrors is Service, except that a Balloon payment
// rejected for prepaying below the balloon is dropped from the plan.
func serviceDroppingBalloonErrors(t *rapid.T, s lending.Schedule, plan []lending.Payment, p lending.ServicingPolicy, asOf time.Time) (lending.Position, []lending.Payment) {
	for {
		pos, err := lending.Service(s, plan, p, asOf)
		var fe *lending.FieldError
		if s.Terms.Method != lending.Balloon || !errors.As(err, &fe) {
			require.NoError(t, err)
			return pos, plan
		}
		var i int
		_, scanErr := fmt.Sscanf(fe.Field, "payments[%d].amount", &i)
		require.NoError(t, scanErr, "err = %v", err)
		require.Contains(t, fe.Message, "balloon")
		plan = slices.Delete(slices.Clone(plan), i, i+1)
	}
}

func sum(apps []lending.PaymentApplication, part func(lending.PaymentApplication) decimal.Decimal) decimal.Decimal {
	total := decimal.Zero
	for _, a := range apps {
		total = total.Add(part(a))
	}
	return total
}

func TestServiceProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := amortize(t, genServiceTerms().Draw(t, "terms"))
		funded := slices.Clone(s.Installments)
		defer func() { require.Equal(t, funded, s.Installments, "Service changed the schedule it was given") }()
		policy := genPolicy(t)
		plan := genPlan(t, s)
		asOf := s.Terms.Start
		if len(plan) > 0 {
			asOf = plan[len(plan)-1].ReceivedAt
		}
		asOf = asOf.AddDate(0, 0, rapid.IntRange(0, 60).Draw(t, "as_of_days"))
		pos, plan := serviceDroppingBalloonErrors(t, s, plan, policy, asOf)
		principal := s.Terms.Principal

		require.Len(t, pos.Payments, len(plan))
		for i, a := range pos.Payments {
			require.Equal(t, plan[i].ID, a.ID)
			require.True(t, a.Fees.Add(a.Interest).Add(a.Principal).Add(a.Excess).Equal(a.Amount), "payment %d: %+v", i, a)
			for _, v := range []decimal.Decimal{a.Fees, a.Interest, a.Principal, a.Prepaid, a.Excess} {
				require.False(t, v.IsNegative(), "payment %d: %+v", i, a)
			}
			require.True(t, a.Prepaid.LessThanOrEqual(a.Principal), "payment %d: %+v", i, a)
			if policy.Late == (lending.LatePolicy{}) {
				require.True(t, a.Fees.IsZero(), "payment %d: %+v", i, a)
			}
		}
		if policy.Late == (lending.LatePolicy{}) {
			require.True(t, pos.FeesAssessed.IsZero(), "fees %s with no late policy", pos.FeesAssessed)
		}
		applied := sum(pos.Payments, func(a lending.PaymentApplication) decimal.Decimal { return a.Principal })
		require.True(t, applied.LessThanOrEqual(principal), "principal applied %s", applied)
		require.True(t, pos.OutstandingPrincipal.Add(applied).Equal(principal), "outstanding %s + applied %s", pos.OutstandingPrincipal, applied)

		// the current schedule: rows + prepaid = principal, balances never increase
		rows := pos.Schedule.Prepaid
		prev := principal
		for _, in := range pos.Schedule.Installments {
			rows = rows.Add(in.Principal)
			require.True(t, in.Balance.LessThanOrEqual(prev), "row %d balance %s after %s", in.Number, in.Balance, prev)
			prev = in.Balance
		}
		require.True(t, rows.Equal(principal), "rows + prepaid = %s", rows)
		require.Len(t, pos.Installments, len(pos.Schedule.Installments))
		for _, st := range pos.Installments {
			require.True(t, st.Paid.LessThanOrEqual(st.Payment), "row %d", st.Number)
			require.Equal(t, st.Status == lending.InstallmentPaid, st.Paid.Equal(st.Payment), "row %d", st.Number)
		}
		require.Equal(t, pos.Closed, pos.Payoff.IsZero(), "closed %v, payoff %s", pos.Closed, pos.Payoff)
		require.Equal(t, pos.Closed, pos.NextDue == nil && pos.FeesDue.IsZero())

		if pos.Closed {
			return
		}
		// Paying the payoff on asOf closes the loan with no excess.
		at := asOf
		if n := len(plan); n > 0 && plan[n-1].ReceivedAt.After(at) {
			at = plan[n-1].ReceivedAt // same date
		}
		payoff := lending.Payment{ID: "payoff", Amount: pos.Payoff, ReceivedAt: at}
		closed, err := lending.Service(s, append(slices.Clone(plan), payoff), policy, asOf)
		require.NoError(t, err)
		require.True(t, closed.Closed, "payoff %s does not close: %+v", pos.Payoff, closed)
		require.Equal(t, at, closed.ClosedAt)
		last := closed.Payments[len(closed.Payments)-1]
		require.True(t, last.Excess.IsZero(), "excess %s", last.Excess)
		require.True(t, closed.Payoff.IsZero())
		require.True(t, closed.OutstandingPrincipal.IsZero())

		// One cent less does not.
		if pos.Payoff.GreaterThan(decimal.New(1, -2)) && s.Terms.Method != lending.Balloon {
			payoff.Amount = pos.Payoff.Sub(decimal.New(1, -2))
			short, err := lending.Service(s, append(slices.Clone(plan), payoff), policy, asOf)
			require.NoError(t, err)
			require.False(t, short.Closed)
		}
	})
}

// totalInterest is the interest of the loan: that of every row of the
// current schedule, paid or not, plus the interest paid with prepayments
// (the interest applied beyond what the rows received).
func totalInterest(pos lending.Position) decimal.Decimal {
	part := func(f func(lending.PaymentApplication) decimal.Decimal) decimal.Decimal { return sum(pos.Payments, f) }
	interest := part(func(a lending.PaymentApplication) decimal.Decimal { return a.Interest })
	principal := part(func(a lending.PaymentApplication) decimal.Decimal { return a.Principal.Sub(a.Prepaid) })
	total := interest.Add(principal) // what the rows received, plus prepayment interest
	for _, st := range pos.Installments {
		total = total.Add(st.Interest).Sub(st.Paid)
	}
	return total
}

// TestServicePrepaymentSavesInterest: an extra payment never makes the
// loan cost more interest (paid, plus still scheduled).
//
// Balloon is left out: its prepayments re-level the installment (Prepay,
// ReduceInstallment), and the new level, rounded to the cent (and under the
// ACT day counts computed with AnnualRate/12), can cost more than a small
// prepayment saves. Prepay(s, 0, 0.01, ReduceInstallment) on 1,000.07 at
// 13.9289626 %, 30/360, 120 months, no balloon, takes the level from 15.49
// to 15.48 and the total interest from 857.46 to 858.68.
func TestServicePrepaymentSavesInterest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		terms := genServiceTerms().Draw(t, "terms")
		if terms.Method == lending.Balloon {
			terms.Method, terms.Balloon = lending.Annuity, decimal.Zero
		}
		s := amortize(t, terms)
		policy := genPolicy(t)
		plan := genPlan(t, s)
		at := s.Terms.Start
		if len(plan) > 0 {
			at = plan[len(plan)-1].ReceivedAt
		}
		at = at.AddDate(0, 0, rapid.IntRange(0, 40).Draw(t, "days"))
		extra := lending.Payment{ID: "extra", Amount: decimal.New(rapid.Int64Range(1, s.Terms.Principal.Shift(2).IntPart()).Draw(t, "extra_cents"), -2), ReceivedAt: at}
		without, err := lending.Service(s, plan, policy, at)
		require.NoError(t, err)
		with, err := lending.Service(s, append(slices.Clone(plan), extra), policy, at)
		require.NoError(t, err)
		a, b := totalInterest(without), totalInterest(with)
		require.True(t, b.LessThanOrEqual(a), "with the extra payment %s, without %s", b, a)
	})
}

func TestServiceGolden(t *testing.T) {
	s := amortize(t, lending.Terms{
		Principal: d("5000"), AnnualRate: d("0.09"), Months: 6, DayCount: lending.Act365F, Start: day(2025, 1, 31),
	})
	// on time, late and short, an extra payment, then paid off
	payments := []lending.Payment{
		{ID: "1", Amount: s.Installments[0].Payment, ReceivedAt: s.Installments[0].DueDate},
		pay("2", "500", day(2025, 4, 10)),
		pay("3", "1200", day(2025, 4, 20)),
		pay("4", "900", day(2025, 5, 12)),
	}
	pos, err := lending.Service(s, payments, lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}, day(2025, 6, 15))
	require.NoError(t, err)
	got, err := json.MarshalIndent(pos, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("testdata", "service", "mixed.golden.json")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	require.Equal(t, string(want), string(got))
}

func BenchmarkService360(b *testing.B) {
	s, err := lending.Amortize(benchTerms)
	if err != nil {
		b.Fatal(err)
	}
	payments := make([]lending.Payment, 120)
	for i, in := range s.Installments[:120] {
		payments[i] = lending.Payment{ID: fmt.Sprint(in.Number), Amount: in.Payment, ReceivedAt: in.DueDate}
	}
	policy := lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}
	asOf := s.Installments[119].DueDate
	b.ReportAllocs()
	for b.Loop() {
		pos, err := lending.Service(s, payments, policy, asOf)
		if err != nil || !pos.OutstandingPrincipal.Equal(s.Installments[119].Balance) {
			b.Fatal(err, pos.OutstandingPrincipal)
		}
	}
}

func ExampleService() {
	s, err := lending.Amortize(lending.Terms{
		Principal:  decimal.RequireFromString("1200"),
		AnnualRate: decimal.RequireFromString("0.12"),
		Months:     12,
		Start:      time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	payments := []lending.Payment{
		{ID: "feb", Amount: s.Level, ReceivedAt: time.Date(2025, 2, 15, 0, 0, 0, 0, time.UTC)},
		{ID: "mar", Amount: s.Level, ReceivedAt: time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC)}, // 10 days late
	}
	pos, err := lending.Service(s, payments, lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	mar := pos.Payments[1]
	fmt.Println("level", s.Level)
	fmt.Println("march: fees", mar.Fees, "interest", mar.Interest, "principal", mar.Principal)
	fmt.Println("past due", pos.Delinquency.PastDue, "days", pos.Delinquency.DaysPastDue)
	fmt.Println("payoff", pos.Payoff)
	// Output:
	// level 106.62
	// march: fees 5.39 interest 11.05 principal 90.18
	// past due 5.39 days 17
	// payoff 1020.59
}
