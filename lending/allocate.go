package lending

import (
	"slices"

	"github.com/shopspring/decimal"
)

// Component is a part of what a borrower owes.
type Component string

// The components a repayment is allocated to.
const (
	Fees      Component = "fees"
	Interest  Component = "interest"
	Principal Component = "principal"
)

// DefaultOrder is the default allocation order: fees (late fees and
// penalty interest included), then interest, then principal.
func DefaultOrder() []Component { return slices.Clone(defaultOrder[:]) }

// defaultOrder is DefaultOrder without an allocation for every payment
// Service replays; Allocate never changes order.
var defaultOrder = [3]Component{Fees, Interest, Principal}

// Due is what is owed, by component.
type Due struct {
	Fees      decimal.Decimal `json:"fees"`
	Interest  decimal.Decimal `json:"interest"`
	Principal decimal.Decimal `json:"principal"`
}

// Allocation is how a repayment was split. Excess is what is left once
// everything due is paid (an overpayment the caller may apply as a
// prepayment or refund).
type Allocation struct {
	Fees      decimal.Decimal `json:"fees"`
	Interest  decimal.Decimal `json:"interest"`
	Principal decimal.Decimal `json:"principal"`
	Excess    decimal.Decimal `json:"excess"`
}

// Allocate splits payment over due in order (nil means DefaultOrder): each
// component in turn takes as much as it is owed. order must name each of
// fees, interest and principal exactly once. No rounding happens: the parts
// sum exactly to payment. Negative amounts or a bad order return a
// *FieldError (payment, due.fees, due.interest, due.principal, order).
func Allocate(payment decimal.Decimal, due Due, order []Component) (Allocation, error) {
	if order == nil {
		order = defaultOrder[:]
	}
	if payment.IsNegative() {
		return Allocation{}, fieldErr("payment", "must not be negative, got %s", payment)
	}
	// Arrays, not maps: Service allocates every payment it replays.
	comps := [3]Component{Fees, Interest, Principal}
	owed := [3]decimal.Decimal{due.Fees, due.Interest, due.Principal}
	for i, v := range owed {
		if v.IsNegative() {
			return Allocation{}, fieldErr("due."+string(comps[i]), "must not be negative, got %s", v)
		}
	}
	if len(order) != 3 {
		return Allocation{}, fieldErr("order", "must list fees, interest and principal once each, got %v", order)
	}
	var seen [3]bool
	var idx [3]int // idx[k] is the index in comps of order[k]
	for k, c := range order {
		i := slices.Index(comps[:], c)
		if i < 0 || seen[i] {
			return Allocation{}, fieldErr("order", "must list fees, interest and principal once each, got %v", order)
		}
		seen[i], idx[k] = true, i
	}
	left := payment
	var paid [3]decimal.Decimal
	for _, i := range idx {
		take := decimal.Min(left, owed[i])
		paid[i] = take
		left = minus(left, take)
	}
	return Allocation{Fees: paid[0], Interest: paid[1], Principal: paid[2], Excess: left}, nil
}
