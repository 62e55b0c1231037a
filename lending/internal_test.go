package lending

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestCentsPathMatchesDecimalPath checks the int64-cents fast path of
// buildRows against the decimal path on random terms (the oracle tests in
// oracle_test.go go through the fast path for typical inputs).
func TestCentsPathMatchesDecimalPath(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		terms := Terms{
			Principal:  decimal.New(rapid.Int64Range(1, 1<<50).Draw(rt, "cents"), -2),
			AnnualRate: decimal.New(rapid.Int64Range(0, 1<<39).Draw(rt, "rate"), -int32(rapid.IntRange(0, 13).Draw(rt, "exp"))),
			Months:     rapid.IntRange(1, MaxMonths).Draw(rt, "months"),
			Method:     rapid.SampledFrom([]Method{Annuity, EqualPrincipal, InterestOnly, Balloon}).Draw(rt, "method"),
			DayCount:   rapid.SampledFrom([]DayCount{Thirty360, Act365F, Act360, ActAct}).Draw(rt, "day_count"),
			Start:      time.Date(2020, time.Month(rapid.IntRange(1, 12).Draw(rt, "m")), rapid.IntRange(1, 31).Draw(rt, "d"), 0, 0, 0, 0, time.UTC),
		}
		s, err := Amortize(terms)
		require.NoError(rt, err)
		slow := buildRows(s.Terms, 0, s.Terms.Principal, s.Terms.Months, s.Level, false, false)
		require.Len(rt, slow, len(s.Installments))
		for i := range slow {
			a, b := s.Installments[i], slow[i]
			require.True(rt, a.Payment.Equal(b.Payment) && a.Principal.Equal(b.Principal) &&
				a.Interest.Equal(b.Interest) && a.Balance.Equal(b.Balance), "row %d: %+v vs %+v", i+1, a, b)
		}
	})
}

// TestTotalMatchesAdd checks total (the int64 fast path of a Position's
// sums) against decimal's Add on random terms: mixed exponents, values
// near and past the int64 limit, and sums that cancel.
func TestTotalMatchesAdd(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var tot total
		want := decimal.Zero
		for i := range rapid.IntRange(0, 40).Draw(rt, "n") {
			coef := rapid.Int64Range(-(1<<62), 1<<62).Draw(rt, "coef")
			if rapid.Bool().Draw(rt, "small") {
				coef %= 100_000_00
			}
			d := decimal.New(coef, -int32(rapid.IntRange(0, 3).Draw(rt, "exp")))
			if i%7 == 6 {
				d = want.Neg() // cancel everything so far
			}
			tot.add(d)
			want = want.Add(d)
		}
		got := tot.value()
		require.True(t, got.Equal(want), "total %s, Add %s", got, want)
	})
}

// TestCivilDaysAgreesWithTime checks civil.days against the time package's
// count for every day of years 1600 to 2600 and for random dates far out.
func TestCivilDaysAgreesWithTime(t *testing.T) {
	want := func(c civil) int {
		return int(time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	for d := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2600; d = d.AddDate(0, 0, 1) {
		c := civilOf(d)
		require.Equal(t, want(c), c.days(), "%v", c)
	}
	rapid.Check(t, func(rt *rapid.T) {
		c := civilOf(time.Unix(rapid.Int64Range(-1<<40, 1<<40).Draw(rt, "unix"), 0).UTC())
		require.Equal(rt, want(c), c.days(), "%v", c)
	})
}
