package lending

import "github.com/shopspring/decimal"

// PrepayMode says what a prepayment shortens.
type PrepayMode string

// The prepayment modes.
const (
	// ReduceTerm keeps the level amount (installment, or monthly principal
	// for EqualPrincipal) and ends the loan earlier.
	ReduceTerm PrepayMode = "reduce_term"
	// ReduceInstallment keeps the end date and recomputes the level amount
	// on the reduced balance over the remaining months.
	ReduceInstallment PrepayMode = "reduce_installment"
)

// Prepay applies a prepayment of amount made together with installment
// number paid (0: before the first installment) and returns the new
// schedule: rows 1..paid unchanged, then the remaining rows recomputed from
// the reduced balance with the same rules as Amortize, their due dates still
// counted from Terms.Start. The result's Prepaid grows by amount, so the
// principal of the rows plus Prepaid equals Terms.Principal.
//
// ReduceTerm works for Annuity and EqualPrincipal; ReduceInstallment for
// every method (for Balloon the reduced balance must stay above the
// balloon). Prepaying the whole balance leaves no remaining rows. Errors
// are *FieldError on paid_installments, amount or mode.
func Prepay(s Schedule, paid int, amount decimal.Decimal, mode PrepayMode) (Schedule, error) {
	t := s.Terms
	n := len(s.Installments)
	if paid < 0 || paid >= n {
		return Schedule{}, fieldErr("paid_installments", "must be between 0 and %d, got %d", n-1, paid)
	}
	balance := t.Principal.Sub(s.Prepaid)
	if paid > 0 {
		balance = s.Installments[paid-1].Balance
	}
	return prepayFrom(s, paid, balance, amount, mode)
}

// prepayFrom is Prepay from balance, the balance after row paid, which
// Service knows better than the row does after a prepayment earlier in
// the same period. It does not change s.
func prepayFrom(s Schedule, paid int, balance, amount decimal.Decimal, mode PrepayMode) (Schedule, error) {
	t := s.Terms
	n := len(s.Installments)
	switch {
	case !amount.IsPositive() || !isCents(amount):
		return Schedule{}, fieldErr("amount", "must be positive whole cents, got %s", amount)
	case amount.GreaterThan(balance):
		return Schedule{}, fieldErr("amount", "exceeds the outstanding balance %s", balance)
	}
	remaining := balance.Sub(amount)
	months := n - paid
	out := Schedule{Terms: t, Level: s.Level, Prepaid: s.Prepaid.Add(amount)}
	out.Installments = append([]Installment(nil), s.Installments[:paid]...)
	if remaining.IsZero() {
		return out, nil
	}
	stop := false
	switch mode {
	case ReduceTerm:
		if t.Method != Annuity && t.Method != EqualPrincipal {
			return Schedule{}, fieldErr("mode", "%s is not available for the %s method", mode, t.Method)
		}
		stop = true
	case ReduceInstallment:
		switch t.Method {
		case Annuity:
			out.Level = LevelInstallment(remaining, decimal.Zero, t.AnnualRate, months)
		case Balloon:
			if t.Balloon.GreaterThanOrEqual(remaining) {
				return Schedule{}, fieldErr("amount", "leaves %s, not more than the balloon %s", remaining, t.Balloon)
			}
			out.Level = LevelInstallment(remaining, t.Balloon, t.AnnualRate, months)
		case EqualPrincipal:
			out.Level = remaining.DivRound(decimal.NewFromInt(int64(months)), 2)
		}
	default:
		return Schedule{}, fieldErr("mode", "unknown prepayment mode %q", mode)
	}
	out.Installments = append(out.Installments, build(t, paid, remaining, months, out.Level, stop)...)
	return out, nil
}
