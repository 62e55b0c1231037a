package lending

import (
	"time"

	"github.com/shopspring/decimal"
)

// AccruedInterest is the interest on balance at annualRate for the part
// period from..to under day count dc, rounded half-up to cents once:
//
//	round(balance × annualRate × units / base)
//
// where units/base is the year fraction from..to:
//
//   - [Thirty360]: the US (bond basis) 30/360 day count over 360:
//     D1 = min(D1, 30); D2 = min(D2, 30) when D1 = 30;
//     days = 360(Y2−Y1) + 30(M2−M1) + (D2−D1). Unlike a schedule period,
//     whose rate is always AnnualRate/12, a span is counted by its dates
//     (Jan 31 to Feb 28 is 28 days).
//   - [Act365F]: actual days / 365; [Act360]: actual days / 360.
//   - [ActAct]: Σ days in year Y / days of year Y, split at Jan 1 as for a
//     schedule period.
//
// The dates are read as calendar dates in their own locations. The result
// is zero when to is not after from, and for a day count other than these
// four (empty means Thirty360, as in Terms).
func AccruedInterest(dc DayCount, balance, annualRate decimal.Decimal, from, to time.Time) decimal.Decimal {
	return accrualFraction(dc, civilOf(from), civilOf(to)).interest(balance, annualRate)
}

// yearFraction is units/base of a year; base > 0.
type yearFraction struct{ units, base int64 }

// accrualFraction is the year fraction from..to under dc (see
// AccruedInterest); zero when to is not after from.
func accrualFraction(dc DayCount, from, to civil) yearFraction {
	if to.days() <= from.days() {
		return yearFraction{0, 1}
	}
	switch dc {
	case Thirty360, "":
		return yearFraction{days360(from, to), 360}
	case Act365F:
		return yearFraction{int64(to.days() - from.days()), 365}
	case Act360:
		return yearFraction{int64(to.days() - from.days()), 360}
	case ActAct:
		return yearFraction{actActUnits(from, to), 365 * 366}
	}
	return yearFraction{0, 1}
}

// days360 is the US 30/360 (bond basis) day count from a to b.
func days360(a, b civil) int64 {
	d1, d2 := min(a.d, 30), b.d
	if d1 == 30 {
		d2 = min(d2, 30)
	}
	return int64(360*(b.y-a.y) + 30*int(b.m-a.m) + d2 - d1)
}

// factor is annualRate × f, exact: the interest on a balance B is
// B × factor / f.base.
func (f yearFraction) factor(annualRate decimal.Decimal) decimal.Decimal {
	return annualRate.Mul(decimal.NewFromInt(f.units))
}

// interest is round_half_up(balance × annualRate × f) to cents.
func (f yearFraction) interest(balance, annualRate decimal.Decimal) decimal.Decimal {
	if f.units == 0 || balance.IsZero() || annualRate.IsZero() {
		return decimal.Zero
	}
	return balance.Mul(f.factor(annualRate)).DivRound(decimal.NewFromInt(f.base), 2)
}
