package lending

import (
	"time"

	"github.com/shopspring/decimal"
)

// LatePolicy sets the late fee and the penalty interest on an overdue
// installment. The zero value charges nothing; DefaultLatePolicy has the
// documented defaults.
type LatePolicy struct {
	// GraceDays: nothing is charged while days past due <= GraceDays.
	GraceDays int
	// FlatFee is a one-time fee once the grace period has passed.
	FlatFee decimal.Decimal
	// FeeRate is a one-time fee as a fraction of the overdue amount.
	FeeRate decimal.Decimal
	// MaxFee caps FlatFee + FeeRate × overdue; zero means no cap.
	MaxFee decimal.Decimal
	// PenaltyRate is an annual rate on the overdue amount, ACT/365F,
	// accrued from the due date once the grace period has passed.
	PenaltyRate decimal.Decimal
}

// DefaultLatePolicy is 5 days of grace, a fee of 5 % of the overdue amount
// capped at 100.00, and penalty interest at 2 % a year.
func DefaultLatePolicy() LatePolicy {
	return LatePolicy{
		GraceDays:   5,
		FeeRate:     decimal.New(5, -2),
		MaxFee:      decimal.New(100, 0),
		PenaltyRate: decimal.New(2, -2),
	}
}

// LateCharges are the charges on one overdue installment.
type LateCharges struct {
	DaysPastDue int             `json:"days_past_due"`
	Fee         decimal.Decimal `json:"fee"`
	Penalty     decimal.Decimal `json:"penalty"`
}

// Charges computes the charges on overdue (the unpaid part of an
// installment due on due) as of asOf:
//
//	fee     = min(round(FlatFee + overdue × FeeRate), MaxFee)
//	penalty = round(overdue × PenaltyRate × days past due / 365)
//
// both rounded half-up to cents, and both zero while days past due <=
// GraceDays or overdue <= 0. Negative settings return a *FieldError.
func (p LatePolicy) Charges(overdue decimal.Decimal, due, asOf time.Time) (LateCharges, error) {
	switch {
	case p.GraceDays < 0:
		return LateCharges{}, fieldErr("grace_days", "must not be negative, got %d", p.GraceDays)
	case p.FlatFee.IsNegative():
		return LateCharges{}, fieldErr("flat_fee", "must not be negative, got %s", p.FlatFee)
	case p.FeeRate.IsNegative():
		return LateCharges{}, fieldErr("fee_rate", "must not be negative, got %s", p.FeeRate)
	case p.MaxFee.IsNegative():
		return LateCharges{}, fieldErr("max_fee", "must not be negative, got %s", p.MaxFee)
	case p.PenaltyRate.IsNegative():
		return LateCharges{}, fieldErr("penalty_rate", "must not be negative, got %s", p.PenaltyRate)
	}
	dpd := DaysPastDue(due, asOf)
	out := LateCharges{DaysPastDue: dpd, Fee: decimal.Zero, Penalty: decimal.Zero}
	if dpd <= p.GraceDays || !overdue.IsPositive() {
		return out, nil
	}
	out.Fee = p.FlatFee.Add(overdue.Mul(p.FeeRate)).Round(2)
	if p.MaxFee.IsPositive() && out.Fee.GreaterThan(p.MaxFee) {
		out.Fee = p.MaxFee
	}
	out.Penalty = overdue.Mul(p.PenaltyRate).Mul(decimal.NewFromInt(int64(dpd))).DivRound(decimal.NewFromInt(365), 2)
	return out, nil
}
