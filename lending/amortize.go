package lending

import (
	"math/big"
	"math/bits"
	"time"

	"github.com/shopspring/decimal"
)

// Method is an amortization method.
type Method string

// The amortization methods.
const (
	// Annuity pays equal installments (the last one absorbs rounding).
	Annuity Method = "annuity"
	// EqualPrincipal repays round(P/n) of principal every month plus the
	// month's interest; the last installment repays what is left.
	EqualPrincipal Method = "equal_principal"
	// InterestOnly pays the interest every month and the whole principal
	// with the last installment (a bullet loan).
	InterestOnly Method = "interest_only"
	// Balloon pays a level installment that amortizes Principal − Balloon
	// and pays interest on Balloon; the remaining balance (about Balloon)
	// is paid with the last installment.
	Balloon Method = "balloon"
)

// DayCount is a day-count convention for the interest of each period.
type DayCount string

// The day-count conventions.
const (
	// Thirty360: every monthly period's rate is exactly AnnualRate/12,
	// whatever the calendar dates (end-of-month starts included).
	Thirty360 DayCount = "30/360"
	// Act365F: balance × AnnualRate × actual days / 365.
	Act365F DayCount = "ACT/365F"
	// Act360: balance × AnnualRate × actual days / 360.
	Act360 DayCount = "ACT/360"
	// ActAct: balance × AnnualRate × Σ days in year Y / days of year Y,
	// splitting a period that crosses a year end.
	ActAct DayCount = "ACT/ACT"
)

// MaxMonths is the longest term Amortize accepts.
const MaxMonths = 480

// Terms are the inputs of Amortize.
type Terms struct {
	// Principal is the loan amount, > 0, in whole cents.
	Principal decimal.Decimal `json:"principal"`
	// AnnualRate is a fraction (0.12 for 12 %), >= 0.
	AnnualRate decimal.Decimal `json:"annual_rate"`
	// Months is the number of monthly installments, 1..MaxMonths.
	Months int `json:"months"`
	// Method defaults to Annuity when empty.
	Method Method `json:"method"`
	// DayCount defaults to Thirty360 when empty.
	DayCount DayCount `json:"day_count"`
	// Start is the disbursement date; installment k falls due k months
	// after it. Its location and clock are kept on the due dates.
	Start time.Time `json:"start"`
	// Balloon is the final lump for Method Balloon, in whole cents,
	// 0 <= Balloon < Principal; it must be zero for the other methods.
	Balloon decimal.Decimal `json:"balloon"`
}

// Installment is one row of a Schedule. Payment = Principal + Interest, and
// Balance is what remains owed after the row.
type Installment struct {
	Number    int             `json:"number"`
	DueDate   time.Time       `json:"due_date"`
	Payment   decimal.Decimal `json:"payment"`
	Principal decimal.Decimal `json:"principal"`
	Interest  decimal.Decimal `json:"interest"`
	Balance   decimal.Decimal `json:"balance"`
}

// Schedule is the result of Amortize.
type Schedule struct {
	// Terms are the validated terms, with defaults filled in.
	Terms Terms `json:"terms"`
	// Level is the scheduled level amount: the installment for Annuity and
	// Balloon, the monthly principal for EqualPrincipal, zero for
	// InterestOnly.
	Level decimal.Decimal `json:"level"`
	// Prepaid is the principal prepaid outside the installments (see
	// Prepay); the principal of the rows plus Prepaid is Terms.Principal.
	Prepaid      decimal.Decimal `json:"prepaid"`
	Installments []Installment   `json:"installments"`
}

// TotalInterest is the sum of the interest of every row.
func (s Schedule) TotalInterest() decimal.Decimal {
	sum := decimal.Zero
	for _, in := range s.Installments {
		sum = sum.Add(in.Interest)
	}
	return sum
}

// TotalPayment is the sum of the payments of every row.
func (s Schedule) TotalPayment() decimal.Decimal {
	sum := decimal.Zero
	for _, in := range s.Installments {
		sum = sum.Add(in.Payment)
	}
	return sum
}

// Validate checks the terms and returns them with defaults filled in, or a
// *FieldError naming the first offending field.
func (t Terms) Validate() (Terms, error) {
	if t.Method == "" {
		t.Method = Annuity
	}
	if t.DayCount == "" {
		t.DayCount = Thirty360
	}
	switch {
	case !t.Principal.IsPositive():
		return t, fieldErr("principal", "must be positive, got %s", t.Principal)
	case !isCents(t.Principal):
		return t, fieldErr("principal", "must be in whole cents, got %s", t.Principal)
	case t.AnnualRate.IsNegative():
		return t, fieldErr("annual_rate", "must not be negative, got %s", t.AnnualRate)
	case t.Months < 1 || t.Months > MaxMonths:
		return t, fieldErr("months", "must be between 1 and %d, got %d", MaxMonths, t.Months)
	case !validMethod(t.Method):
		return t, fieldErr("method", "unknown method %q", t.Method)
	case !validDayCount(t.DayCount):
		return t, fieldErr("day_count", "unknown day count %q", t.DayCount)
	case t.Balloon.IsNegative():
		return t, fieldErr("balloon", "must not be negative, got %s", t.Balloon)
	case !isCents(t.Balloon):
		return t, fieldErr("balloon", "must be in whole cents, got %s", t.Balloon)
	case t.Balloon.GreaterThanOrEqual(t.Principal):
		return t, fieldErr("balloon", "must be less than the principal %s, got %s", t.Principal, t.Balloon)
	case t.Method != Balloon && !t.Balloon.IsZero():
		return t, fieldErr("balloon", "only the %q method takes a balloon", Balloon)
	case t.Start.IsZero():
		return t, fieldErr("start", "is required")
	}
	return t, nil
}

func validMethod(m Method) bool {
	switch m {
	case Annuity, EqualPrincipal, InterestOnly, Balloon:
		return true
	}
	return false
}

func validDayCount(d DayCount) bool {
	switch d {
	case Thirty360, Act365F, Act360, ActAct:
		return true
	}
	return false
}

func isCents(d decimal.Decimal) bool { return d.Equal(d.Truncate(2)) }

// Amortize builds the repayment schedule of the terms. See the package
// documentation for the exact rounding rules. Invalid terms return a
// *FieldError naming the field.
func Amortize(t Terms) (Schedule, error) {
	t, err := t.Validate()
	if err != nil {
		return Schedule{}, err
	}
	var level decimal.Decimal
	switch t.Method {
	case Annuity:
		level = LevelInstallment(t.Principal, decimal.Zero, t.AnnualRate, t.Months)
	case Balloon:
		level = LevelInstallment(t.Principal, t.Balloon, t.AnnualRate, t.Months)
	case EqualPrincipal:
		level = t.Principal.DivRound(decimal.NewFromInt(int64(t.Months)), 2)
	}
	rows := build(t, 0, t.Principal, t.Months, level, false)
	return Schedule{Terms: t, Level: level, Prepaid: decimal.Zero, Installments: rows}, nil
}

// build computes rows first+1 .. first+count of a schedule of the terms t
// starting from balance. With stopAtZero it stops at the row that repays
// the balance (prepayment with a shorter term).
//
// The rows are computed in int64 cents when the amounts and the rate fit
// (the usual case, several times faster) and in decimal otherwise; both
// paths compute the same exact values.
func build(t Terms, first int, balance decimal.Decimal, count int, level decimal.Decimal, stopAtZero bool) []Installment {
	return buildRows(t, first, balance, count, level, stopAtZero, true)
}

func buildRows(t Terms, first int, balance decimal.Decimal, count int, level decimal.Decimal, stopAtZero, allowFast bool) []Installment {
	rows := make([]Installment, 0, count)
	origin, at := civilOf(t.Start), clockOf(t.Start)
	prev := addMonths(origin, first)
	fast, fastOK := newCentsCalc(t.DayCount, t.AnnualRate, balance, level)
	fastOK = fastOK && allowFast
	var bal, lvl int64
	var slab *centSlab
	if fastOK {
		bal, lvl = balance.Shift(2).IntPart(), level.Shift(2).IntPart()
		slab = newCentSlab(3 * count)
	}
	for j := 1; j <= count; j++ {
		k := first + j
		due := addMonths(origin, k)
		var principal, interest, payment decimal.Decimal
		var ic int64
		if fastOK {
			var ok bool
			if ic, ok = fast.interest(bal, prev, due); !ok {
				// too large for int64 cents: finish in decimal
				fastOK, balance = false, decimal.New(bal, -2)
			}
		}
		if fastOK {
			var pc int64
			switch t.Method {
			case Annuity, Balloon:
				pc = max(lvl-ic, 0)
			case EqualPrincipal:
				pc = lvl
			}
			if j == count || pc > bal {
				pc = bal
			}
			bal -= pc
			principal, interest = slab.dec(pc), slab.dec(ic)
			balance = slab.dec(bal)
			// Decimals are values that are never changed in place, so the
			// rows whose payment is the level payment (all but the last
			// of an annuity) share it.
			if payment = level; pc+ic != lvl {
				payment = slab.dec(pc + ic)
			}
		} else {
			interest = periodInterest(t.DayCount, balance, t.AnnualRate, prev, due)
			switch t.Method {
			case Annuity, Balloon:
				principal = level.Sub(interest)
				if principal.IsNegative() {
					principal = decimal.Zero
				}
			case EqualPrincipal:
				principal = level
			case InterestOnly:
				principal = decimal.Zero
			}
			if j == count || principal.GreaterThan(balance) {
				principal = balance
			}
			balance = balance.Sub(principal)
			payment = principal.Add(interest)
		}
		rows = append(rows, Installment{
			Number:    k,
			DueDate:   due.at(at),
			Payment:   payment,
			Principal: principal,
			Interest:  interest,
			Balance:   balance,
		})
		prev = due
		if stopAtZero && balance.IsZero() {
			break
		}
	}
	return rows
}

// centsCalc computes round_half_up(balance × period rate) in integer cents:
// interest = round(balanceCents × c × f / (base × 10^k)) where the rate is
// c × 10^-k and f/base is the period's year fraction times 1 (30/360: 1/12;
// ACT/365F: days/365; ACT/360: days/360; ACT/ACT: units/(365×366)).
type centsCalc struct {
	dc   DayCount
	c    uint64
	den  uint64
	zero bool
}

func newCentsCalc(dc DayCount, rate, balance, level decimal.Decimal) (centsCalc, bool) {
	const maxCents = 1 << 60
	if !fitsCents(balance, maxCents) || !fitsCents(level, maxCents) {
		return centsCalc{}, false
	}
	if rate.IsZero() {
		return centsCalc{dc: dc, zero: true}, true
	}
	exp := rate.Exponent()
	coef := rate.Coefficient()
	if exp > 0 || exp < -13 || coef.BitLen() > 40 {
		return centsCalc{}, false
	}
	base := uint64(12)
	switch dc {
	case Act365F:
		base = 365
	case Act360:
		base = 360
	case ActAct:
		base = 365 * 366
	}
	den := base
	for range -exp {
		den *= 10
	}
	return centsCalc{dc: dc, c: coef.Uint64(), den: den}, true
}

func fitsCents(d decimal.Decimal, limit int64) bool {
	c := d.Shift(2)
	return c.IsInteger() && c.Abs().LessThan(decimal.NewFromInt(limit))
}

func (cc centsCalc) interest(balCents int64, from, to civil) (int64, bool) {
	if cc.zero || balCents == 0 {
		return 0, true
	}
	f := uint64(1)
	switch cc.dc {
	case Act365F, Act360:
		f = uint64(to.days() - from.days())
	case ActAct:
		f = uint64(actActUnits(from, to))
	}
	hi, lo := bits.Mul64(uint64(balCents), cc.c*f)
	if hi >= cc.den {
		return 0, false
	}
	q, rem := bits.Div64(hi, lo, cc.den)
	if rem >= cc.den-rem {
		q++
	}
	if q >= 1<<61 { // keep principal + interest within int64
		return 0, false
	}
	return int64(q), true
}

// periodInterest is round_half_up(balance × period rate) to cents.
func periodInterest(dc DayCount, balance, annual decimal.Decimal, from, to civil) decimal.Decimal {
	if annual.IsZero() || balance.IsZero() {
		return decimal.Zero
	}
	br := balance.Mul(annual)
	switch dc {
	case Thirty360:
		return br.DivRound(decimal.NewFromInt(12), 2)
	case Act365F:
		return br.Mul(decimal.NewFromInt(int64(to.days()-from.days()))).DivRound(decimal.NewFromInt(365), 2)
	case Act360:
		return br.Mul(decimal.NewFromInt(int64(to.days()-from.days()))).DivRound(decimal.NewFromInt(360), 2)
	default: // ActAct
		return br.Mul(decimal.NewFromInt(actActUnits(from, to))).DivRound(decimal.NewFromInt(365*366), 2) // 365×366: the ACT/ACT common denominator
	}
}

// actActUnits is the ACT/ACT year fraction from..to times 365×366: days in a
// leap year count 365 units, days in a common year 366.
func actActUnits(from, to civil) int64 {
	var units int64
	for from.y < to.y {
		next := civil{from.y + 1, time.January, 1}
		units += int64(next.days()-from.days()) * yearUnits(from.y)
		from = next
	}
	return units + int64(to.days()-from.days())*yearUnits(from.y)
}

func yearUnits(y int) int64 {
	if isLeap(y) {
		return 365
	}
	return 366
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// LevelInstallment is the level installment of a loan of principal repaid
// over months at annualRate/12 a month, leaving balloon unpaid at the end:
//
//	round_half_up((P − B·(1+r)^−n) · r / (1 − (1+r)^−n), 2)
//
// which equals the annuity on P − B plus the interest B·r. It is computed
// exactly (integer powers of rationals) and rounded once; with a zero rate
// it is round_half_up((P − B)/n, 2).
func LevelInstallment(principal, balloon, annualRate decimal.Decimal, months int) decimal.Decimal {
	n := big.NewInt(int64(months))
	if annualRate.IsZero() {
		num := principal.Sub(balloon).Rat()
		return roundRat(num.Num(), new(big.Int).Mul(num.Denom(), n))
	}
	// r = c / D with D = 12·10^k, so 1 + r = N / D with N = D + c.
	c, exp := annualRate.Coefficient(), annualRate.Exponent()
	D := big.NewInt(12)
	if exp < 0 {
		D.Mul(D, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil))
	} else {
		c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
	}
	// r in lowest terms: a 6 % rate is 1/200 a month, not 6/1200, and the
	// powers below have a quarter fewer bits.
	if g := new(big.Int).GCD(nil, nil, c, D); g.Cmp(big.NewInt(1)) > 0 {
		c.Quo(c, g)
		D.Quo(D, g)
	}
	N := new(big.Int).Add(D, c)
	Nn := new(big.Int).Exp(N, n, nil)
	Dn := new(big.Int).Exp(D, n, nil)
	// payment = (P·N^n − B·D^n)·c / (D·(N^n − D^n))
	P, B := principal.Rat(), balloon.Rat()
	// Bring P and B to a common denominator q: P = p/q, B = b/q.
	q := new(big.Int).Mul(P.Denom(), B.Denom())
	p := new(big.Int).Mul(P.Num(), B.Denom())
	b := new(big.Int).Mul(B.Num(), P.Denom())
	num := new(big.Int).Sub(p.Mul(p, Nn), b.Mul(b, Dn))
	num.Mul(num, c)
	den := new(big.Int).Sub(Nn, Dn)
	den.Mul(den, D)
	den.Mul(den, q)
	return roundRat(num, den)
}

// roundRat is num/den (den > 0, num >= 0) rounded half-up to cents.
func roundRat(num, den *big.Int) decimal.Decimal {
	// cents = floor((200·num + den) / (2·den))
	x := new(big.Int).Mul(num, big.NewInt(200))
	x.Add(x, den)
	d := new(big.Int).Lsh(den, 1)
	x.Div(x, d)
	return decimal.NewFromBigInt(x, -2)
}
