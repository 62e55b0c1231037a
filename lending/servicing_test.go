package lending_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint/lending"
)

func day(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

func requireField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *lending.FieldError
	require.True(t, errors.As(err, &fe), "err = %v", err)
	require.Equal(t, field, fe.Field)
}

func TestBucketEdges(t *testing.T) {
	for dpd, want := range map[int]lending.Bucket{
		-3: lending.BucketCurrent, 0: lending.BucketCurrent,
		1: lending.Bucket1To30, 30: lending.Bucket1To30,
		31: lending.Bucket31To60, 60: lending.Bucket31To60,
		61: lending.Bucket61To90, 90: lending.Bucket61To90,
		91: lending.Bucket90Plus, 1000: lending.Bucket90Plus,
	} {
		require.Equal(t, want, lending.BucketFor(dpd), "dpd %d", dpd)
	}
}

func TestDaysPastDue(t *testing.T) {
	due := day(2025, 3, 31)
	require.Equal(t, 0, lending.DaysPastDue(due, day(2025, 3, 1)))
	require.Equal(t, 0, lending.DaysPastDue(due, due.Add(23*time.Hour)), "same day is not past due")
	require.Equal(t, 1, lending.DaysPastDue(due, day(2025, 4, 1)))
	require.Equal(t, 30, lending.DaysPastDue(due, day(2025, 4, 30)))
	require.Equal(t, 366, lending.DaysPastDue(day(2024, 1, 1), day(2025, 1, 1)))
}

func TestDefaultRule(t *testing.T) {
	var p lending.DelinquencyPolicy
	require.False(t, p.InDefault(90))
	require.True(t, p.InDefault(91))
	p.DefaultAfterDays = 60
	require.False(t, p.InDefault(60))
	require.True(t, p.InDefault(61))
}

func TestAssess(t *testing.T) {
	s, err := lending.Amortize(lending.Terms{Principal: d("1200"), AnnualRate: decimal.Zero, Months: 12, Start: day(2025, 1, 31)})
	require.NoError(t, err)
	// due dates: Feb 28, Mar 31, Apr 30, May 31, Jun 30, Jul 31, ...
	var p lending.DelinquencyPolicy
	for _, tc := range []struct {
		name   string
		paid   string
		asOf   time.Time
		dpd    int
		bucket lending.Bucket
		oldest int
		due    string
		def    bool
	}{
		{"before first due", "0", day(2025, 2, 28), 0, lending.BucketCurrent, 0, "0", false},
		{"day after due", "0", day(2025, 3, 1), 1, lending.Bucket1To30, 1, "100", false},
		{"paid up", "200", day(2025, 4, 15), 0, lending.BucketCurrent, 0, "0", false},
		{"partial payment keeps the oldest", "150", day(2025, 4, 15), 15, lending.Bucket1To30, 2, "50", false},
		{"day 30", "0", day(2025, 3, 30), 30, lending.Bucket1To30, 1, "100", false},
		{"day 31, second due today", "0", day(2025, 3, 31), 31, lending.Bucket31To60, 1, "100", false},
		{"day 90", "0", day(2025, 5, 29), 90, lending.Bucket61To90, 1, "300", false},
		{"day 91 is default", "0", day(2025, 5, 30), 91, lending.Bucket90Plus, 1, "300", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Assess(s, d(tc.paid), tc.asOf)
			require.Equal(t, tc.dpd, got.DaysPastDue)
			require.Equal(t, tc.bucket, got.Bucket)
			require.Equal(t, tc.oldest, got.OldestUnpaid)
			require.True(t, d(tc.due).Equal(got.PastDue), "past due %s", got.PastDue)
			require.Equal(t, tc.def, got.Default)
		})
	}
}

func TestLateCharges(t *testing.T) {
	p := lending.DefaultLatePolicy()
	due := day(2025, 1, 10)
	c, err := p.Charges(d("1000"), due, day(2025, 1, 15))
	require.NoError(t, err)
	require.True(t, c.Fee.IsZero() && c.Penalty.IsZero(), "within grace: %+v", c)

	c, err = p.Charges(d("1000"), due, day(2025, 1, 16))
	require.NoError(t, err)
	require.Equal(t, 6, c.DaysPastDue)
	require.Equal(t, "50.00", c.Fee.StringFixed(2))
	require.Equal(t, "0.33", c.Penalty.StringFixed(2)) // 1000 × 2 % × 6/365 = 0.3287

	c, err = p.Charges(d("5000"), due, day(2025, 2, 9))
	require.NoError(t, err)
	require.Equal(t, "100.00", c.Fee.StringFixed(2), "capped")
	require.Equal(t, "8.22", c.Penalty.StringFixed(2)) // 5000 × 2 % × 30/365 = 8.219

	c, err = lending.LatePolicy{FlatFee: d("25")}.Charges(d("10"), due, day(2025, 1, 11))
	require.NoError(t, err)
	require.Equal(t, "25.00", c.Fee.StringFixed(2))

	_, err = lending.LatePolicy{GraceDays: -1}.Charges(d("10"), due, day(2025, 1, 11))
	requireField(t, err, "grace_days")
}

func TestAllocate(t *testing.T) {
	due := lending.Due{Fees: d("10"), Interest: d("50"), Principal: d("100")}
	a, err := lending.Allocate(d("40"), due, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"10", "30", "0", "0"}, []string{a.Fees.String(), a.Interest.String(), a.Principal.String(), a.Excess.String()})

	a, err = lending.Allocate(d("200"), due, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"10", "50", "100", "40"}, []string{a.Fees.String(), a.Interest.String(), a.Principal.String(), a.Excess.String()})

	a, err = lending.Allocate(d("70"), due, []lending.Component{lending.Interest, lending.Principal, lending.Fees})
	require.NoError(t, err)
	require.Equal(t, []string{"0", "50", "20", "0"}, []string{a.Fees.String(), a.Interest.String(), a.Principal.String(), a.Excess.String()})

	_, err = lending.Allocate(d("1"), due, []lending.Component{lending.Interest, lending.Interest, lending.Fees})
	requireField(t, err, "order")
	_, err = lending.Allocate(d("1"), due, []lending.Component{lending.Interest})
	requireField(t, err, "order")
	_, err = lending.Allocate(d("-1"), due, nil)
	requireField(t, err, "payment")
	_, err = lending.Allocate(d("1"), lending.Due{Fees: d("-1")}, nil)
	requireField(t, err, "due.fees")

	rapid.Check(t, func(rt *rapid.T) {
		cents := func(name string) decimal.Decimal { return decimal.New(rapid.Int64Range(0, 1e7).Draw(rt, name), -2) }
		due := lending.Due{Fees: cents("fees"), Interest: cents("interest"), Principal: cents("principal")}
		pay := cents("pay")
		a, err := lending.Allocate(pay, due, nil)
		require.NoError(rt, err)
		require.True(rt, a.Fees.Add(a.Interest).Add(a.Principal).Add(a.Excess).Equal(pay))
	})
}

func TestPrepay(t *testing.T) {
	s, err := lending.Amortize(lending.Terms{
		Principal: d("10000"), AnnualRate: d("0.06"), Months: 24, Start: day(2025, 1, 31),
	})
	require.NoError(t, err)

	// check: the rows plus the prepaid principal repay the loan; the last
	// row ends at zero unless the prepayment paid the loan off.
	check := func(t require.TestingT, s lending.Schedule) {
		sum := s.Prepaid
		for _, in := range s.Installments {
			sum = sum.Add(in.Principal)
			require.True(t, in.Payment.Equal(in.Principal.Add(in.Interest)))
			require.True(t, in.DueDate.Equal(lending.DueDate(s.Terms.Start, in.Number)))
		}
		require.True(t, sum.Equal(s.Terms.Principal), "principal + prepaid = %s", sum)
		if n := len(s.Installments); n > 0 && n == s.Installments[n-1].Number && !s.Installments[n-1].Balance.IsZero() {
			last := s.Installments[n-1]
			require.True(t, s.Prepaid.GreaterThanOrEqual(last.Balance), "last balance %s not prepaid", last.Balance)
		}
	}

	short, err := lending.Prepay(s, 6, d("3000"), lending.ReduceTerm)
	require.NoError(t, err)
	check(t, short)
	require.Less(t, len(short.Installments), 24)
	require.True(t, short.Level.Equal(s.Level))
	require.Equal(t, s.Installments[:6], short.Installments[:6])

	lower, err := lending.Prepay(s, 6, d("3000"), lending.ReduceInstallment)
	require.NoError(t, err)
	check(t, lower)
	require.Len(t, lower.Installments, 24)
	require.True(t, lower.Level.LessThan(s.Level))
	// same as amortizing the reduced balance over the 18 remaining months
	require.True(t, lower.Level.Equal(lending.LevelInstallment(s.Installments[5].Balance.Sub(d("3000")), decimal.Zero, d("0.06"), 18)))

	payoff, err := lending.Prepay(s, 3, s.Installments[2].Balance, lending.ReduceTerm)
	require.NoError(t, err)
	check(t, payoff)
	require.Len(t, payoff.Installments, 3)

	_, err = lending.Prepay(s, 3, d("100000"), lending.ReduceTerm)
	requireField(t, err, "amount")
	_, err = lending.Prepay(s, 24, d("1"), lending.ReduceTerm)
	requireField(t, err, "paid_installments")
	_, err = lending.Prepay(s, 1, d("1"), "skip")
	requireField(t, err, "mode")

	rapid.Check(t, func(rt *rapid.T) {
		m := rapid.SampledFrom(methods).Draw(rt, "method")
		dc := rapid.SampledFrom(dayCounts).Draw(rt, "day_count")
		terms := genTerms(m, dc).Draw(rt, "terms")
		s, err := lending.Amortize(terms)
		require.NoError(rt, err)
		k := rapid.IntRange(0, len(s.Installments)-1).Draw(rt, "paid")
		bal := terms.Principal
		if k > 0 {
			bal = s.Installments[k-1].Balance
		}
		if bal.LessThanOrEqual(decimal.New(1, -2)) {
			return
		}
		amount := decimal.New(rapid.Int64Range(1, bal.Shift(2).IntPart()).Draw(rt, "amount_cents"), -2)
		mode := lending.ReduceInstallment
		if m == lending.Annuity || m == lending.EqualPrincipal {
			mode = rapid.SampledFrom([]lending.PrepayMode{lending.ReduceTerm, lending.ReduceInstallment}).Draw(rt, "mode")
		}
		p, err := lending.Prepay(s, k, amount, mode)
		if m == lending.Balloon && bal.Sub(amount).LessThanOrEqual(terms.Balloon) && !bal.Equal(amount) {
			var fe *lending.FieldError
			require.True(rt, errors.As(err, &fe) && fe.Field == "amount", "err = %v", err)
			return
		}
		require.NoError(rt, err)
		check(rt, p)
	})
}
