package lending

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Payment is money received on a loan.
type Payment struct {
	// ID is the caller's id, copied to the PaymentApplication.
	ID string `json:"id"`
	// Amount is positive, in whole cents.
	Amount     decimal.Decimal `json:"amount"`
	ReceivedAt time.Time       `json:"received_at"`
}

// ServicingPolicy says how payments are applied and charges assessed. The
// zero value charges nothing when late, allocates in DefaultOrder and
// applies the default rule of DelinquencyPolicy.
type ServicingPolicy struct {
	Late LatePolicy `json:"late"`
	// Order is the allocation order of Allocate; nil means DefaultOrder.
	Order       []Component       `json:"order"`
	Delinquency DelinquencyPolicy `json:"delinquency"`
}

// InstallmentStatus is the state of one row as of a date.
type InstallmentStatus string

// The installment statuses.
const (
	// InstallmentPaid: interest and principal fully paid.
	InstallmentPaid InstallmentStatus = "paid"
	// InstallmentPastDue: not fully paid, due date before the as-of date.
	InstallmentPastDue InstallmentStatus = "past_due"
	// InstallmentDue: not fully paid, due on the as-of date.
	InstallmentDue InstallmentStatus = "due"
	// InstallmentUpcoming: not fully paid, due later.
	InstallmentUpcoming InstallmentStatus = "upcoming"
)

// InstallmentState is a row of the current schedule with what was paid on
// it.
type InstallmentState struct {
	Installment
	// Paid is the interest plus principal paid on the row.
	Paid   decimal.Decimal   `json:"paid"`
	Status InstallmentStatus `json:"status"`
}

// PaymentApplication is how one payment was applied:
// Fees + Interest + Principal + Excess = Amount.
type PaymentApplication struct {
	ID         string          `json:"id"`
	Amount     decimal.Decimal `json:"amount"`
	ReceivedAt time.Time       `json:"received_at"`
	// Fees paid late fees and penalty interest.
	Fees decimal.Decimal `json:"fees"`
	// Interest includes the interest paid with a prepayment.
	Interest decimal.Decimal `json:"interest"`
	// Principal includes Prepaid.
	Principal decimal.Decimal `json:"principal"`
	// Prepaid is the part of Principal paid ahead of the schedule.
	Prepaid decimal.Decimal `json:"prepaid"`
	// Excess is what was left over once the loan was paid off: to refund.
	Excess decimal.Decimal `json:"excess"`
}

// Position is the state of a loan as of a date, the result of Service.
type Position struct {
	AsOf time.Time `json:"as_of"`
	// Schedule is the current schedule: the funded one after the
	// prepayments. Until a payment prepays, its rows are the funded
	// schedule's, shared rather than copied (Service never changes them).
	Schedule Schedule `json:"schedule"`
	// Installments has one state per row of Schedule.
	Installments []InstallmentState   `json:"installments"`
	Payments     []PaymentApplication `json:"payments"`
	// OutstandingPrincipal is the principal not yet paid, due or not.
	OutstandingPrincipal decimal.Decimal `json:"outstanding_principal"`
	// PrincipalDue is the unpaid principal of the rows due on or before
	// AsOf.
	PrincipalDue decimal.Decimal `json:"principal_due"`
	// InterestDue is the unpaid interest of the rows due on or before AsOf.
	InterestDue decimal.Decimal `json:"interest_due"`
	// AccruedInterest is the interest accrued on the principal not yet due
	// since the last due date (Start if none), rounded half-up to cents
	// (AccruedInterest, capped at a month under 30/360: see Service); zero
	// when closed.
	AccruedInterest decimal.Decimal `json:"accrued_interest"`
	// FeesDue is the late fees and penalty interest charged and unpaid.
	FeesDue decimal.Decimal `json:"fees_due"`
	// FeesAssessed is the late fees and penalty interest ever charged.
	FeesAssessed decimal.Decimal `json:"fees_assessed"`
	// Payoff is OutstandingPrincipal + InterestDue + AccruedInterest +
	// FeesDue: a payment of Payoff on AsOf's date closes the loan with no
	// excess.
	Payoff decimal.Decimal `json:"payoff"`
	// NextDue is the first row not fully paid; nil when there is none.
	NextDue *InstallmentState `json:"next_due"`
	// Delinquency is computed from the replay: the oldest row not fully
	// paid whose due date is before AsOf's date gives OldestUnpaid and
	// DaysPastDue; PastDue is the unpaid interest and principal of the
	// rows due before AsOf's date.
	Delinquency Delinquency `json:"delinquency"`
	// Closed: nothing is owed any more.
	Closed bool `json:"closed"`
	// ClosedAt is the ReceivedAt of the payment that closed the loan.
	ClosedAt time.Time `json:"closed_at,omitzero"`
}

// Service replays payments over the schedule s, as fixed at funding
// (s.Terms.Start is the funding date), and returns the loan's Position as
// of asOf. Dates are compared as calendar dates, each in its own location;
// a row is due at a date D when its due date is on or before D.
//
// # Validation
//
// Invalid input returns a *FieldError: payments[i].amount must be positive
// whole cents; payments[i].received_at must be neither before the date of
// s.Terms.Start nor after the date of asOf, and payments must come in
// non-decreasing ReceivedAt order; as_of must not be before the date of
// Start; s.Terms as in [Terms.Validate]; late.* as in [LatePolicy.Charges];
// order as in [Allocate]; schedule when s has no rows.
//
// # Late charges
//
// Row i is assessed on its due date + GraceDays + 1 day (the first day its
// days past due exceed the grace), before any payment of that day. If its
// unpaid amount u = Payment − paid is positive then, it is charged the
// one-time fee LatePolicy.Charges(u, due date, assessment date).Fee and its
// penalty becomes chargeable. Penalty interest accrues from the due date at
// PenaltyRate, ACT/365F: u × PenaltyRate × days / 365 for each stretch of
// days during which u is constant, summed exactly until the row is fully
// paid. The chargeable penalty is that running sum rounded half-up to
// cents (never the pieces). A row fully paid before its assessment date is
// charged nothing; nothing is charged once the loan is closed.
//
// # Payments
//
// A payment received on date D first brings the charges up to D. Then
// Allocate splits it in p.Order over the fees charged and unpaid, the
// unpaid interest and the unpaid principal of the rows due at D; the
// interest part pays those rows' interest oldest first, the principal part
// their principal oldest first.
//
// What is left, E > 0, prepays (everything due is then paid). With k the
// number of rows due at D, R the principal of the later rows and ρ the
// interest factor from due date k (Start when k = 0) to D:
//
//   - R = 0: E is Excess.
//   - E >= R + round(R×ρ): the payment also pays the interest round(R×ρ)
//     and the principal R, the later rows are dropped, the rest is Excess
//     and the loan is closed.
//   - Otherwise x = min(ceil_to_cents(E/(1+ρ)), R − 0.01) is prepaid with
//     [Prepay] after row k (ReduceTerm for Annuity and EqualPrincipal,
//     ReduceInstallment for InterestOnly and Balloon) and E − x, never more
//     than x×ρ, is the interest on it; the recomputed rows start unpaid.
//     A Balloon prepayment that would leave the balance at or below the
//     balloon returns a *FieldError on payments[i].amount that states the
//     payoff on D.
//
// ρ is AnnualRate × the year fraction of [AccruedInterest], exact, except
// that under 30/360 it never exceeds AnnualRate/12, the rate of every
// schedule period: from a Feb 28 due date to Mar 30 the bond-basis count is
// 32 days, and paying early must not cost more than paying on the due date.
// A payment after the loan closed is all Excess.
//
// # Position
//
// After the last payment the charges are brought up to asOf. The figures
// are as documented on Position, with AccruedInterest = round(R×ρ) for the
// rows not yet due at asOf, from the last due date (Start if none) to
// asOf. The loan is closed once every row is fully paid and no fees are
// due; ClosedAt is the ReceivedAt of the payment that did it.
func Service(s Schedule, payments []Payment, p ServicingPolicy, asOf time.Time) (Position, error) {
	r, err := newReplay(s, p)
	if err != nil {
		return Position{}, err
	}
	if err := validatePayments(r.s.Terms.Start, payments, asOf); err != nil {
		return Position{}, err
	}
	// One allocation for the states of the rows due by asOf (a prepayment
	// never brings a due date closer).
	last := civilOf(asOf).days()
	r.rows = make([]rowState, 0, sort.Search(len(r.dueDay), func(i int) bool { return r.dueDay[i] > last }))
	apps := make([]PaymentApplication, 0, len(payments))
	for i, pay := range payments {
		app, err := r.apply(i, pay)
		if err != nil {
			return Position{}, err
		}
		apps = append(apps, app)
	}
	r.advance(civilOf(asOf))
	return r.position(asOf, apps), nil
}

func validatePayments(start time.Time, payments []Payment, asOf time.Time) error {
	// Each date's day is counted once (civilOf is most of the cost of
	// checking a long payment history).
	first, last := civilOf(start).days(), civilOf(asOf).days()
	if last < first {
		return fieldErr("as_of", "must not be before the start %s, got %s", start.Format(time.DateOnly), asOf.Format(time.DateOnly))
	}
	prev := first
	for i, p := range payments {
		day := civilOf(p.ReceivedAt).days()
		switch {
		case !p.Amount.IsPositive() || !isCents(p.Amount):
			return fieldErr(fmt.Sprintf("payments[%d].amount", i), "must be positive whole cents, got %s", p.Amount)
		case day < first:
			return fieldErr(fmt.Sprintf("payments[%d].received_at", i), "is before the start %s", start.Format(time.DateOnly))
		case day > last:
			return fieldErr(fmt.Sprintf("payments[%d].received_at", i), "is after as_of %s", asOf.Format(time.DateOnly))
		case i > 0 && (p.ReceivedAt.Before(payments[i-1].ReceivedAt) || day < prev):
			return fieldErr(fmt.Sprintf("payments[%d].received_at", i), "is before the previous payment's")
		}
		prev = day
	}
	return nil
}

// replay is the state of Service between two dates.
type replay struct {
	s           Schedule // the current schedule; never changed in place, it may share the caller's rows
	late        LatePolicy
	order       []Component
	delinquency DelinquencyPolicy

	dueDay []int      // day number (civil.days) of each row's due date
	rows   []rowState // one per row due so far (len(rows) == due); a later row is unpaidRow
	first  int        // rows before first are fully paid
	due    int        // rows before due are due today
	today  civil      // the date the charges are brought up to

	charged  decimal.Decimal // fees and penalties charged
	feesPaid decimal.Decimal // fees and penalties paid

	closed   bool
	closedAt time.Time
}

// rowState is what happened to one row.
type rowState struct {
	interest, principal decimal.Decimal // paid
	// penalty is Σ unpaid × PenaltyRate × days (over 365: the penalty),
	// accrued up to the day accrued.
	penalty  decimal.Decimal
	accrued  int
	assessed bool
	fee      decimal.Decimal
	charged  decimal.Decimal // fee + chargeable penalty
}

// unpaidRow is the state of a row before anything happened to it.
var unpaidRow = rowState{interest: decimal.Zero, principal: decimal.Zero, penalty: decimal.Zero, fee: decimal.Zero, charged: decimal.Zero}

func newReplay(s Schedule, p ServicingPolicy) (*replay, error) {
	t, err := s.Terms.Validate()
	if err != nil {
		return nil, err
	}
	if len(s.Installments) == 0 {
		return nil, fieldErr("schedule", "has no installments")
	}
	if _, err := p.Late.Charges(decimal.Zero, t.Start, t.Start); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return nil, fieldErr("late."+fe.Field, "%s", fe.Message)
		}
		return nil, err
	}
	if _, err := Allocate(decimal.Zero, Due{}, p.Order); err != nil {
		return nil, err
	}
	s.Terms = t
	r := &replay{
		s: s, late: p.Late, order: p.Order, delinquency: p.Delinquency,
		today: civilOf(t.Start), charged: decimal.Zero, feesPaid: decimal.Zero,
	}
	r.setRows(0)
	return r, nil
}

// setRows resets the state of rows from.. after the schedule changed.
//
// Only the rows due so far have a state of their own: the rows to come are
// unpaid by definition, and a 360-row loan serviced ten years in would
// otherwise copy 240 empty states, then a position read them back
// (BenchmarkService360 spent a fifth of its bytes on them).
func (r *replay) setRows(from int) {
	n := len(r.s.Installments)
	r.dueDay = r.dueDay[:min(from, len(r.dueDay))]
	r.rows = r.rows[:min(from, len(r.rows))]
	r.dueDay = slices.Grow(r.dueDay, n-from)
	for _, in := range r.s.Installments[from:] {
		r.dueDay = append(r.dueDay, civilOf(in.DueDate).days())
	}
	r.first = min(r.first, from)
}

// row is the state of row i.
func (r *replay) row(i int) rowState {
	if i < len(r.rows) {
		return r.rows[i]
	}
	return unpaidRow
}

func (r *replay) unpaid(i int) (interest, principal decimal.Decimal) {
	in := &r.s.Installments[i]
	if i >= len(r.rows) {
		return in.Interest, in.Principal
	}
	st := &r.rows[i]
	return minus(in.Interest, st.interest), minus(in.Principal, st.principal)
}

// minus is a − b without the allocations of Sub in the two cases a replay
// meets most (nothing paid yet, all paid): a row's unpaid part is read for
// every row on every payment and in every Position.
func minus(a, b decimal.Decimal) decimal.Decimal {
	switch {
	case b.IsZero():
		return a
	case a.Equal(b):
		return decimal.Zero
	}
	return a.Sub(b)
}

// plus is a + b without Add's allocations when either is zero (the unpaid
// parts of most rows, the paid parts of the rows to come).
func plus(a, b decimal.Decimal) decimal.Decimal {
	switch {
	case b.IsZero():
		return a
	case a.IsZero():
		return b
	}
	return a.Add(b)
}

func (r *replay) fullyPaid(i int) bool {
	ui, up := r.unpaid(i)
	return ui.IsZero() && up.IsZero()
}

// advance brings the due rows and the charges up to date c.
func (r *replay) advance(c civil) {
	r.today = c
	day := c.days()
	for r.due < len(r.dueDay) && r.dueDay[r.due] <= day {
		st := unpaidRow
		st.accrued = r.dueDay[r.due]
		r.rows = append(r.rows, st)
		r.due++
	}
	if r.closed {
		return
	}
	for i := r.first; i < r.due; i++ {
		ui, up := r.unpaid(i)
		if ui.IsZero() && up.IsZero() { // the unpaid parts are never negative
			continue
		}
		st := &r.rows[i]
		// The unpaid amount ui + up is summed only when a charge needs it:
		// a row paid on its due date needs none, and the sum was an
		// allocation for every such row.
		if days := day - st.accrued; days > 0 && !r.late.PenaltyRate.IsZero() {
			st.penalty = st.penalty.Add(ui.Add(up).Mul(r.late.PenaltyRate).Mul(decimal.NewFromInt(int64(days))))
		}
		st.accrued = day
		if !st.assessed && r.dueDay[i]+r.late.GraceDays+1 <= day {
			due := r.s.Installments[i].DueDate
			c, _ := r.late.Charges(ui.Add(up), due, due.AddDate(0, 0, r.late.GraceDays+1)) // validated in newReplay
			st.assessed, st.fee = true, c.Fee
		}
		if st.assessed {
			charged := st.fee.Add(st.penalty.DivRound(decimal.NewFromInt(365), 2))
			r.charged = r.charged.Add(charged.Sub(st.charged))
			st.charged = charged
		}
	}
}

// dueNow is what is owed at the current date.
func (r *replay) dueNow() Due {
	d := Due{Fees: minus(r.charged, r.feesPaid), Interest: decimal.Zero, Principal: decimal.Zero}
	for i := r.first; i < r.due; i++ {
		ui, up := r.unpaid(i)
		d.Interest = plus(d.Interest, ui)
		d.Principal = plus(d.Principal, up)
	}
	return d
}

// apply applies payment i.
func (r *replay) apply(i int, pay Payment) (PaymentApplication, error) {
	app := PaymentApplication{
		ID: pay.ID, Amount: pay.Amount, ReceivedAt: pay.ReceivedAt,
		Fees: decimal.Zero, Interest: decimal.Zero, Principal: decimal.Zero, Prepaid: decimal.Zero, Excess: decimal.Zero,
	}
	r.advance(civilOf(pay.ReceivedAt))
	if r.closed {
		app.Excess = pay.Amount
		return app, nil
	}
	a, err := Allocate(pay.Amount, r.dueNow(), r.order)
	if err != nil {
		return app, err // not reached: the order and the amounts are valid
	}
	r.feesPaid = r.feesPaid.Add(a.Fees)
	left := a.Interest
	for j := r.first; j < r.due && left.IsPositive(); j++ {
		ui, _ := r.unpaid(j)
		take := decimal.Min(left, ui)
		r.rows[j].interest = plus(r.rows[j].interest, take)
		left = minus(left, take)
	}
	left = a.Principal
	for j := r.first; j < r.due && left.IsPositive(); j++ {
		_, up := r.unpaid(j)
		take := decimal.Min(left, up)
		r.rows[j].principal = plus(r.rows[j].principal, take)
		left = minus(left, take)
	}
	app.Fees, app.Interest, app.Principal = a.Fees, a.Interest, a.Principal
	if a.Excess.IsPositive() {
		if err := r.prepay(i, pay, a.Excess, &app); err != nil {
			return app, err
		}
	}
	for r.first < len(r.s.Installments) && r.fullyPaid(r.first) {
		r.first++
	}
	if r.first == len(r.s.Installments) && r.charged.Equal(r.feesPaid) {
		r.closed, r.closedAt = true, pay.ReceivedAt
	}
	return app, nil
}

// notYetDue is the principal of the rows not due at the current date.
func (r *replay) notYetDue() decimal.Decimal {
	var t total
	for i := range r.s.Installments[r.due:] {
		t.add(r.s.Installments[r.due+i].Principal)
	}
	return t.value()
}

// sinceDue is the year fraction from the last due date (Start if none) to
// today, capped at a month under 30/360 (see Service).
func (r *replay) sinceDue() yearFraction {
	from := civilOf(r.s.Terms.Start)
	if r.due > 0 {
		from = civilOf(r.s.Installments[r.due-1].DueDate)
	}
	f := accrualFraction(r.s.Terms.DayCount, from, r.today)
	if r.s.Terms.DayCount == Thirty360 {
		f.units = min(f.units, 30)
	}
	return f
}

// prepay applies the excess e of payment i, paid when every due amount is
// paid (see Service).
func (r *replay) prepay(i int, pay Payment, e decimal.Decimal, app *PaymentApplication) error {
	t := r.s.Terms
	rest := r.notYetDue()
	if rest.IsZero() {
		app.Excess = e
		return nil
	}
	f := r.sinceDue()
	interest := f.interest(rest, t.AnnualRate)
	payoff := rest.Add(interest)
	mode := ReduceInstallment
	if t.Method == Annuity || t.Method == EqualPrincipal {
		mode = ReduceTerm
	}
	x := rest
	if e.GreaterThanOrEqual(payoff) {
		app.Excess = e.Sub(payoff)
	} else {
		// x = ceil(e / (1 + ρ)) to cents, so the interest e − x is at most x × ρ
		base := decimal.NewFromInt(f.base)
		var rem decimal.Decimal
		x, rem = e.Mul(base).QuoRem(base.Add(f.factor(t.AnnualRate)), 2)
		if rem.IsPositive() {
			x = x.Add(decimal.New(1, -2))
		}
		x = decimal.Min(x, rest.Sub(decimal.New(1, -2)))
		interest = e.Sub(x)
	}
	s, err := r.prepaySchedule(rest, x, mode)
	if err != nil {
		if t.Method == Balloon {
			return fieldErr(fmt.Sprintf("payments[%d].amount", i),
				"would prepay %s, leaving the balance at or below the balloon %s; the payoff on %s is %s",
				x, t.Balloon, pay.ReceivedAt.Format(time.DateOnly), pay.Amount.Sub(e).Add(payoff))
		}
		return err // not reached: the amount is within the balance and the mode fits the method
	}
	r.s = s
	r.setRows(r.due)
	app.Interest = app.Interest.Add(interest)
	app.Principal = app.Principal.Add(x)
	app.Prepaid = x
	return nil
}

// prepaySchedule is Prepay(r.s, r.due, amount, mode) on the balance rest
// left after the due rows. Prepay would start from the balance of the last
// due row, which an earlier prepayment in the same period has left too
// high.
func (r *replay) prepaySchedule(rest, amount decimal.Decimal, mode PrepayMode) (Schedule, error) {
	if r.due == 0 {
		return Prepay(r.s, 0, amount, mode)
	}
	return prepayFrom(r.s, r.due, rest, amount, mode)
}

// position computes the figures as of asOf, once the charges are brought
// up to it.
func (r *replay) position(asOf time.Time, apps []PaymentApplication) Position {
	day := civilOf(asOf).days()
	pos := Position{
		AsOf: asOf, Schedule: r.s, Payments: apps,
		Installments:         make([]InstallmentState, len(r.s.Installments)),
		OutstandingPrincipal: decimal.Zero, PrincipalDue: decimal.Zero, InterestDue: decimal.Zero,
		AccruedInterest: decimal.Zero,
		FeesDue:         r.charged.Sub(r.feesPaid), FeesAssessed: r.charged,
		Delinquency: Delinquency{PastDue: decimal.Zero},
		Closed:      r.closed, ClosedAt: r.closedAt,
	}
	var outstanding, principalDue, interestDue, pastDue total
	for i, in := range r.s.Installments {
		st := r.row(i)
		ui, up := r.unpaid(i)
		paid := in.Payment // all paid, and Payment = Interest + Principal
		if !ui.IsZero() || !up.IsZero() {
			paid = plus(st.interest, st.principal)
		}
		state := InstallmentState{Installment: in, Paid: paid, Status: InstallmentPaid}
		outstanding.add(up)
		if i < r.due {
			principalDue.add(up)
			interestDue.add(ui)
		}
		if !ui.IsZero() || !up.IsZero() {
			switch {
			case r.dueDay[i] < day:
				state.Status = InstallmentPastDue
				pastDue.add(ui)
				pastDue.add(up)
				if pos.Delinquency.OldestUnpaid == 0 {
					pos.Delinquency.OldestUnpaid = in.Number
					pos.Delinquency.DaysPastDue = DaysPastDue(in.DueDate, asOf)
				}
			case r.dueDay[i] == day:
				state.Status = InstallmentDue
			default:
				state.Status = InstallmentUpcoming
			}
		}
		pos.Installments[i] = state
		if pos.NextDue == nil && state.Status != InstallmentPaid {
			next := state
			pos.NextDue = &next
		}
	}
	if !r.closed {
		pos.AccruedInterest = r.sinceDue().interest(r.notYetDue(), r.s.Terms.AnnualRate)
	}
	pos.OutstandingPrincipal, pos.PrincipalDue, pos.InterestDue = outstanding.value(), principalDue.value(), interestDue.value()
	pos.Delinquency.PastDue = pastDue.value()
	pos.Payoff = pos.OutstandingPrincipal.Add(pos.InterestDue).Add(pos.AccruedInterest).Add(pos.FeesDue)
	pos.Delinquency.Bucket = BucketFor(pos.Delinquency.DaysPastDue)
	pos.Delinquency.Default = r.delinquency.InDefault(pos.Delinquency.DaysPastDue)
	return pos
}

// total sums decimals without allocating for each term: in an int64
// coefficient while the terms share the first one's exponent and the sum
// stays under 10^17, in decimal past that. A Position sums every row.
type total struct {
	coef  int64
	exp   int32
	terms int             // terms summed in coef
	rest  decimal.Decimal // the terms that did not fit
}

func (t *total) add(d decimal.Decimal) {
	if d.IsZero() {
		return
	}
	const limit = 1e17
	if d.NumDigits() <= 17 && (t.terms == 0 || d.Exponent() == t.exp) {
		if c := t.coef + d.CoefficientInt64(); c < limit && c > -limit {
			t.coef, t.exp = c, d.Exponent()
			t.terms++
			return
		}
	}
	t.rest = plus(t.rest, d)
}

func (t *total) value() decimal.Decimal {
	if t.terms == 0 {
		return plus(decimal.Zero, t.rest)
	}
	return plus(decimal.New(t.coef, t.exp), t.rest)
}
