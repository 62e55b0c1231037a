package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/lending"
)

// loanJSON is a loan on the wire, as lists give it.
type loanJSON struct {
	ID                   string     `json:"id"`
	Object               string     `json:"object"`
	AssetID              string     `json:"asset_id"`
	TokenID              string     `json:"token_id"`
	ValuationID          string     `json:"valuation_id"`
	Status               string     `json:"status"`
	Amount               money      `json:"amount"`
	Currency             string     `json:"currency"`
	TermMonths           int        `json:"term_months"`
	Amortization         string     `json:"amortization"`
	DayCount             string     `json:"day_count"`
	BalloonAmount        *money     `json:"balloon_amount"`
	Purpose              string     `json:"purpose"`
	AnnualRate           *fraction  `json:"annual_rate"`
	MaxAmount            *money     `json:"max_amount"`
	LTV                  fraction   `json:"ltv"`
	Reasons              []string   `json:"reasons"`
	DecidedBy            *string    `json:"decided_by"`
	RejectionReason      *string    `json:"rejection_reason"`
	FundingRequestedAt   *timestamp `json:"funding_requested_at"`
	FundedAt             *timestamp `json:"funded_at"`
	ClosedAt             *timestamp `json:"closed_at"`
	LenderAddress        *string    `json:"lender_address"`
	OutstandingPrincipal money      `json:"outstanding_principal"`
	DaysPastDue          int        `json:"days_past_due"`
	DelinquencyBucket    string     `json:"delinquency_bucket"`
	CreatedAt            timestamp  `json:"created_at"`
	UpdatedAt            timestamp  `json:"updated_at"`
}

// loanDetailJSON is one loan with its schedule, repayments and position,
// as GET /v1/loans/{id} and the answers to POSTs give it.
type loanDetailJSON struct {
	loanJSON
	Schedule        []installmentJSON `json:"schedule"`
	Repayments      []repaymentJSON   `json:"repayments"`
	PrincipalDue    money             `json:"principal_due"`
	InterestDue     money             `json:"interest_due"`
	AccruedInterest money             `json:"accrued_interest"`
	FeesDue         money             `json:"fees_due"`
	PayoffAmount    money             `json:"payoff_amount"`
	NextDue         *nextDueJSON      `json:"next_due"`
}

// installmentJSON is a row of a loan's current schedule with what was paid
// on it.
type installmentJSON struct {
	Number    int    `json:"number"`
	DueDate   string `json:"due_date"`
	Payment   money  `json:"payment"`
	Principal money  `json:"principal"`
	Interest  money  `json:"interest"`
	Balance   money  `json:"balance"`
	Status    string `json:"status"`
	Paid      money  `json:"paid"`
}

// nextDueJSON is the first installment not fully paid and what is left of
// it.
type nextDueJSON struct {
	Number  int    `json:"number"`
	DueDate string `json:"due_date"`
	Amount  money  `json:"amount"`
}

// repaymentJSON is a repayment on the wire, with its allocation.
type repaymentJSON struct {
	ID         string    `json:"id"`
	Object     string    `json:"object"`
	LoanID     string    `json:"loan_id"`
	Amount     money     `json:"amount"`
	ReceivedAt timestamp `json:"received_at"`
	Fees       money     `json:"fees"`
	Interest   money     `json:"interest"`
	Principal  money     `json:"principal"`
	Prepaid    money     `json:"prepaid"`
	Excess     money     `json:"excess"`
	Reference  *string   `json:"reference"`
	CreatedAt  timestamp `json:"created_at"`
}

// fraction is a rate or ratio on the wire: a JSON number with the
// decimal's own digits (0.085, 0.2956), never rounded to cents.
type fraction decimal.Decimal

func (f fraction) MarshalJSON() ([]byte, error) { return []byte(decimal.Decimal(f).String()), nil }

// dueDate is a schedule date on the wire: the calendar date of the
// schedule, in its own location.
func dueDate(t time.Time) string { return t.Format(time.DateOnly) }

func toLoan(l *assetmint.Loan) loanJSON {
	out := loanJSON{
		ID: l.ID, Object: "loan", AssetID: l.AssetID, TokenID: l.TokenID, ValuationID: l.ValuationID,
		Status: string(l.Status), Amount: money(l.Amount), Currency: l.Currency, TermMonths: l.TermMonths,
		Amortization: string(l.Amortization), DayCount: string(l.DayCount), Purpose: l.Purpose,
		LTV: fraction(l.LTV), Reasons: l.Reasons, DecidedBy: optString(l.DecidedBy),
		RejectionReason: optString(l.RejectionReason), FundingRequestedAt: optTimestamp(l.FundingRequestedAt),
		FundedAt: optTimestamp(l.FundedAt), ClosedAt: optTimestamp(l.ClosedAt), LenderAddress: optString(l.LenderAddress),
		OutstandingPrincipal: money(l.OutstandingPrincipal), DaysPastDue: l.DaysPastDue,
		DelinquencyBucket: string(lending.BucketFor(l.DaysPastDue)),
		CreatedAt:         timestamp(l.CreatedAt), UpdatedAt: timestamp(l.UpdatedAt),
	}
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	if l.Amortization == lending.Balloon {
		b := money(l.Balloon)
		out.BalloonAmount = &b
	}
	if !l.UnderwrittenAt.IsZero() {
		most := money(l.MaxAmount)
		out.MaxAmount = &most
	}
	// A rate is offered to a referred loan and agreed for an approved one;
	// a rejected loan has none.
	switch l.Status {
	case assetmint.LoanReferred, assetmint.LoanApproved, assetmint.LoanFunded, assetmint.LoanRepaid, assetmint.LoanDefaulted:
		rate := fraction(l.AnnualRate)
		out.AnnualRate = &rate
	}
	return out
}

func toRepayment(r *assetmint.Repayment) repaymentJSON {
	return repaymentJSON{
		ID: r.ID, Object: "repayment", LoanID: r.LoanID, Amount: money(r.Amount), ReceivedAt: timestamp(r.ReceivedAt),
		Fees: money(r.Fees), Interest: money(r.Interest), Principal: money(r.Principal), Prepaid: money(r.Prepaid),
		Excess: money(r.Excess), Reference: optString(r.Reference), CreatedAt: timestamp(r.CreatedAt),
	}
}

func toLoanDetail(d *assetmint.LoanDetails) loanDetailJSON {
	zero := money(decimal.Zero)
	out := loanDetailJSON{
		loanJSON: toLoan(d.Loan), Schedule: []installmentJSON{}, Repayments: []repaymentJSON{},
		PrincipalDue: zero, InterestDue: zero, AccruedInterest: zero, FeesDue: zero, PayoffAmount: zero,
	}
	for _, r := range d.Repayments {
		out.Repayments = append(out.Repayments, toRepayment(r))
	}
	p := d.Position
	if p == nil {
		return out
	}
	for _, in := range p.Installments {
		out.Schedule = append(out.Schedule, installmentJSON{
			Number: in.Number, DueDate: dueDate(in.DueDate), Payment: money(in.Payment), Principal: money(in.Principal),
			Interest: money(in.Interest), Balance: money(in.Balance), Status: string(in.Status), Paid: money(in.Paid),
		})
	}
	out.PrincipalDue, out.InterestDue = money(p.PrincipalDue), money(p.InterestDue)
	out.AccruedInterest, out.FeesDue, out.PayoffAmount = money(p.AccruedInterest), money(p.FeesDue), money(p.Payoff)
	if n := p.NextDue; n != nil {
		out.NextDue = &nextDueJSON{Number: n.Number, DueDate: dueDate(n.DueDate), Amount: money(n.Payment.Sub(n.Paid))}
	}
	out.OutstandingPrincipal = money(p.OutstandingPrincipal)
	out.DaysPastDue = p.Delinquency.DaysPastDue
	out.DelinquencyBucket = string(p.Delinquency.Bucket)
	return out
}

// writeLoan answers with the detail of one of the business's loans.
func (h *handler) writeLoan(w http.ResponseWriter, r *http.Request, status int, businessID, id string) {
	d, err := h.engine.Loan(r.Context(), businessID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, status, toLoanDetail(d))
}

// integer decodes a JSON integer.
type integer struct {
	val int
	set bool
}

func (n *integer) decode(v any) string {
	num, ok := v.(json.Number)
	if !ok {
		return "must be an integer"
	}
	i, err := strconv.ParseInt(string(num), 10, 0)
	if err != nil {
		return "must be an integer"
	}
	n.val, n.set = int(i), true
	return ""
}

// serverOwned refuses a member the server sets.
type serverOwned struct{}

func (serverOwned) decode(any) string {
	return "is set by the server and cannot be written"
}

// loanServerFields are the loan's members a request may not write, beyond
// the ones every resource has (serverSet).
var loanServerFields = []string{
	"valuation_id", "currency", "annual_rate", "max_amount", "ltv", "reasons", "decided_by", "rejection_reason",
	"funding_requested_at", "funded_at", "closed_at", "lender_address", "outstanding_principal", "days_past_due",
	"delinquency_bucket", "schedule", "repayments", "principal_due", "interest_due", "accrued_interest", "fees_due",
	"payoff_amount", "next_due",
}

// createLoan is POST /v1/loans: request a loan against a tokenized asset.
func (h *handler) createLoan(w http.ResponseWriter, r *http.Request) {
	var assetID, tokenID, purpose str
	var method, dayCount choice
	var amt, balloon amount
	var term integer
	fields := []field{
		{"asset_id", &assetID}, {"token_id", &tokenID}, {"amount", &amt}, {"term_months", &term},
		{"amortization", &method}, {"day_count", &dayCount}, {"balloon_amount", &balloon}, {"purpose", &purpose},
	}
	for _, name := range loanServerFields {
		fields = append(fields, field{name, serverOwned{}})
	}
	if err := decodeBody(r, fields...); err != nil {
		writeError(w, r, err)
		return
	}
	in := assetmint.NewLoan{
		AssetID: assetID.val, TokenID: tokenID.val, Amount: amt.val, TermMonths: term.val,
		Amortization: lending.Method(method.val), DayCount: lending.DayCount(dayCount.val), Balloon: balloon.val,
		Purpose: purpose.val,
	}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.Loan, error) {
		return h.engine.RequestLoan(ctx, principal(r).BusinessID, in)
	}, func(l *assetmint.Loan) any {
		// A new loan has no repayments and, until funded, no position.
		return toLoanDetail(&assetmint.LoanDetails{Loan: l})
	})
}

func loanDetailAnswer(d *assetmint.LoanDetails) any { return toLoanDetail(d) }

// getLoan is GET /v1/loans/{id}.
func (h *handler) getLoan(w http.ResponseWriter, r *http.Request) {
	h.writeLoan(w, r, http.StatusOK, principal(r).BusinessID, r.PathValue("id"))
}

// listLoans is GET /v1/loans, optionally narrowed by status.
func (h *handler) listLoans(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := takeQuery(q, "status")
	if err != nil {
		writeError(w, r, err)
		return
	}
	f := assetmint.LoanFilter{Status: assetmint.LoanStatus(status)}
	serveList(w, r, q, func(p assetmint.ListParams) (assetmint.Page[*assetmint.Loan], error) {
		return h.engine.Loans(r.Context(), principal(r).BusinessID, f, p)
	}, toLoan)
}

// adminLoan is a loan as operators see it: with its business.
type adminLoan struct {
	BusinessID string `json:"business_id"`
	loanJSON
}

// adminLoanDetail is a loan's detail as operators see it.
type adminLoanDetail struct {
	BusinessID string `json:"business_id"`
	loanDetailJSON
}

// listAllLoans is GET /v1/admin/loans: every business's loans, optionally
// narrowed by status.
func (h *handler) listAllLoans(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := takeQuery(q, "status")
	if err != nil {
		writeError(w, r, err)
		return
	}
	f := assetmint.LoanFilter{Status: assetmint.LoanStatus(status)}
	serveList(w, r, q, func(p assetmint.ListParams) (assetmint.Page[*assetmint.Loan], error) {
		return h.engine.Operator().AllLoans(r.Context(), f, p)
	}, func(l *assetmint.Loan) adminLoan { return adminLoan{BusinessID: l.BusinessID, loanJSON: toLoan(l)} })
}

// getAnyLoan is GET /v1/admin/loans/{id}: one loan of any business, in
// detail.
func (h *handler) getAnyLoan(w http.ResponseWriter, r *http.Request) {
	d, err := h.engine.Operator().LoanByID(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeData(w, r, http.StatusOK, adminLoanDetail{BusinessID: d.BusinessID, loanDetailJSON: toLoanDetail(d)})
}

// approveLoan is POST /v1/admin/loans/{id}/approve: an operator approves a
// referred loan, at annual_rate if given.
func (h *handler) approveLoan(w http.ResponseWriter, r *http.Request) {
	var rate amount
	if err := decodeOptionalBody(r, field{"annual_rate", &rate}); err != nil {
		writeError(w, r, err)
		return
	}
	var ratep *decimal.Decimal
	if rate.set {
		ratep = &rate.val
	}
	post(h, w, r, http.StatusOK, func(ctx context.Context) (*assetmint.LoanDetails, error) {
		return h.engine.Operator().ApproveLoan(ctx, r.PathValue("id"), ratep)
	}, loanDetailAnswer)
}

// rejectLoan is POST /v1/admin/loans/{id}/reject with a reason.
func (h *handler) rejectLoan(w http.ResponseWriter, r *http.Request) {
	var reason str
	if err := decodeBody(r, field{"reason", &reason}); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusOK, func(ctx context.Context) (*assetmint.LoanDetails, error) {
		return h.engine.Operator().RejectLoan(ctx, r.PathValue("id"), reason.val)
	}, loanDetailAnswer)
}

// fundLoan is POST /v1/admin/loans/{id}/fund: an operator asks for an
// approved loan to be funded once the money has gone out.
func (h *handler) fundLoan(w http.ResponseWriter, r *http.Request) {
	if err := decodeOptionalBody(r); err != nil {
		writeError(w, r, err)
		return
	}
	post(h, w, r, http.StatusOK, func(ctx context.Context) (*assetmint.LoanDetails, error) {
		return h.engine.Operator().FundLoan(ctx, r.PathValue("id"))
	}, loanDetailAnswer)
}

// recordRepayment is POST /v1/admin/loans/{id}/repayments: money received
// on a funded loan. The Idempotency-Key is required and is also the
// repayment's reference, so a retried payment is recorded once even after
// the key's record has expired.
func (h *handler) recordRepayment(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		writeError(w, r, assetmint.FieldError("Idempotency-Key",
			"Repayments must carry an Idempotency-Key header, so that a retried payment is recorded once"))
		return
	}
	var amt amount
	var received str
	if err := decodeBody(r, field{"amount", &amt}, field{"received_at", &received}); err != nil {
		writeError(w, r, err)
		return
	}
	in := assetmint.NewRepayment{Amount: amt.val, Reference: key}
	if received.set {
		t, err := time.Parse(time.RFC3339, received.val)
		if err != nil {
			writeError(w, r, assetmint.FieldError("received_at", "received_at must be an RFC 3339 time, such as 2026-03-31T14:00:00Z"))
			return
		}
		// The engine reads the zero time as "now"; a received_at that was
		// sent is a time like any other, 0001-01-01T00:00:00Z included.
		if err := assetmint.ValidateDate("received_at", t); err != nil {
			writeError(w, r, err)
			return
		}
		in.ReceivedAt = t
	}
	post(h, w, r, http.StatusCreated, func(ctx context.Context) (*assetmint.Repayment, error) {
		return h.engine.Operator().RecordRepayment(ctx, r.PathValue("id"), in)
	}, func(rep *assetmint.Repayment) any { return toRepayment(rep) })
}
