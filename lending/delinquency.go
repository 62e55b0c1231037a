package lending

import (
	"time"

	"github.com/shopspring/decimal"
)

// Bucket is a delinquency bucket by days past due.
type Bucket string

// The delinquency buckets. A loan is current at 0 days past due; 90+ means
// 91 days or more (61-90 includes day 90).
const (
	BucketCurrent Bucket = "current"
	Bucket1To30   Bucket = "1-30"
	Bucket31To60  Bucket = "31-60"
	Bucket61To90  Bucket = "61-90"
	Bucket90Plus  Bucket = "90+"
)

// DefaultAfterDays is the default of DelinquencyPolicy.DefaultAfterDays.
const DefaultAfterDays = 90

// DaysPastDue is the number of calendar days from due to asOf, each read
// as a date in its own location; 0 when asOf is on or before the due date
// (an installment is past due the day after its due date).
func DaysPastDue(due, asOf time.Time) int {
	return max(daysBetween(due, asOf), 0)
}

// BucketFor is the delinquency bucket of dpd days past due.
func BucketFor(dpd int) Bucket {
	switch {
	case dpd <= 0:
		return BucketCurrent
	case dpd <= 30:
		return Bucket1To30
	case dpd <= 60:
		return Bucket31To60
	case dpd <= 90:
		return Bucket61To90
	}
	return Bucket90Plus
}

// DelinquencyPolicy holds the default rule. Its zero value is the default
// policy.
type DelinquencyPolicy struct {
	// DefaultAfterDays: a loan is in default when its days past due
	// exceed this number. Zero or negative means DefaultAfterDays (90).
	DefaultAfterDays int
}

func (p DelinquencyPolicy) defaultAfter() int {
	if p.DefaultAfterDays <= 0 {
		return DefaultAfterDays
	}
	return p.DefaultAfterDays
}

// InDefault reports whether dpd days past due is a default: dpd >
// DefaultAfterDays.
func (p DelinquencyPolicy) InDefault(dpd int) bool { return dpd > p.defaultAfter() }

// Delinquency is the state of a loan as of a date.
type Delinquency struct {
	// DaysPastDue counts from the due date of the oldest installment not
	// fully paid, 0 when none is past due.
	DaysPastDue int    `json:"days_past_due"`
	Bucket      Bucket `json:"bucket"`
	Default     bool   `json:"default"`
	// OldestUnpaid is the number of the oldest past-due installment not
	// fully paid, 0 when none.
	OldestUnpaid int `json:"oldest_unpaid"`
	// PastDue is the amount of the installments due before asOf that
	// remains unpaid.
	PastDue decimal.Decimal `json:"past_due"`
}

// Assess computes the delinquency of schedule s as of asOf, given the total
// amount paid on its installments so far. Payments are applied to the
// installments in order, oldest first; an installment is past due from the
// day after its due date until it is fully paid.
func (p DelinquencyPolicy) Assess(s Schedule, paid decimal.Decimal, asOf time.Time) Delinquency {
	remaining := paid
	out := Delinquency{Bucket: BucketCurrent, PastDue: decimal.Zero}
	for _, in := range s.Installments {
		if daysBetween(in.DueDate, asOf) <= 0 {
			break // not yet past due, nor any later one
		}
		if remaining.GreaterThanOrEqual(in.Payment) {
			remaining = remaining.Sub(in.Payment)
			continue
		}
		unpaid := in.Payment.Sub(remaining)
		remaining = decimal.Zero
		out.PastDue = out.PastDue.Add(unpaid)
		if out.OldestUnpaid == 0 {
			out.OldestUnpaid = in.Number
			out.DaysPastDue = DaysPastDue(in.DueDate, asOf)
		}
	}
	out.Bucket = BucketFor(out.DaysPastDue)
	out.Default = p.InDefault(out.DaysPastDue)
	return out
}
