package console

import (
	"context"
	"net/http"
	"net/url"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/lending"
)

// loansData is a page of the loans of every business.
type loansData struct {
	Status string
	Tabs   []tab
	Rows   []loanRow
	Pager  pager
}

type loanRow struct {
	*assetmint.Loan
	Business string
}

// loans is GET /loans: every business's loans, newest first; ?status=
// narrows them (referred loans wait for a decision).
func (h *handler) loans(w http.ResponseWriter, r *http.Request) {
	status := assetmint.LoanStatus(r.URL.Query().Get("status"))
	p := listParams(r)
	page, err := h.op.AllLoans(r.Context(), assetmint.LoanFilter{Status: status}, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := loansData{Status: string(status), Tabs: []tab{{Label: "all", Query: "", Current: status == ""}}}
	for _, s := range assetmint.LoanStatuses() {
		d.Tabs = append(d.Tabs, tab{Label: string(s), Query: "?status=" + string(s), Current: s == status})
	}
	n := h.names(r)
	for _, l := range page.Items {
		d.Rows = append(d.Rows, loanRow{Loan: l, Business: n.of(l.BusinessID)})
	}
	d.Pager = pagerOf(page, p, func(l *assetmint.Loan) string { return l.ID }, url.Values{"status": {string(status)}})
	h.render(w, r, http.StatusOK, "loans.html", &view{Title: "Loans", Section: "loans", Data: d})
}

// loanData is one loan's page.
type loanData struct {
	*assetmint.LoanDetails
	Business   *assetmint.Business
	Chart      *scheduleChart
	Bucket     lending.Bucket
	CanApprove bool
	CanReject  bool
	CanFund    bool
	CanRepay   bool
	// What the forms held when an action was refused, to show them again.
	FormRate, FormReason, FormAmount, FormReceivedAt string
}

// loan is GET /loans/{id}.
func (h *handler) loan(w http.ResponseWriter, r *http.Request) {
	h.showLoan(w, r, http.StatusOK, "", loanData{})
}

// showLoan answers the loan's page at status, with msg as the error of a
// refused action and the forms' values from kept.
func (h *handler) showLoan(w http.ResponseWriter, r *http.Request, status int, msg string, kept loanData) {
	ctx := r.Context()
	ld, err := h.op.LoanByID(ctx, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := h.op.Business(ctx, ld.BusinessID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := kept
	d.LoanDetails, d.Business = ld, b
	d.Bucket = lending.BucketFor(ld.DaysPastDue)
	if ld.Position != nil {
		d.Chart = newScheduleChart(ld.Loan, ld.Position)
		d.Bucket = ld.Position.Delinquency.Bucket
	}
	undecided := ld.FundingRequestedAt.IsZero()
	switch ld.Status {
	case assetmint.LoanReferred:
		d.CanApprove, d.CanReject = true, true
	case assetmint.LoanSubmitted:
		d.CanReject = true
	case assetmint.LoanApproved:
		d.CanReject, d.CanFund = undecided, undecided
	case assetmint.LoanFunded:
		d.CanRepay = true
	}
	h.render(w, r, status, "loan.html", &view{Title: "Loan " + ld.ID, Section: "loans", Error: msg, Data: &d})
}

// refused shows the loan's page again with err and what the forms held.
func (h *handler) refused(kept loanData) func(w http.ResponseWriter, r *http.Request, err error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		h.showLoan(w, r, statusOf(err), message(err), kept)
	}
}

// approveLoan is POST /loans/{id}/approve, with an optional annual_rate in
// percent.
func (h *handler) approveLoan(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	kept := loanData{FormRate: r.PostForm.Get("annual_rate")}
	rate, err := parseRate(kept.FormRate)
	if err != nil {
		h.refused(kept)(w, r, err)
		return
	}
	h.act(w, r, action{
		fields: []string{"annual_rate"},
		call:   func(ctx context.Context) (any, error) { return h.op.ApproveLoan(ctx, id, rate) },
		next:   func(any) string { return "/loans/" + id + "?notice=approved" },
	}, h.refused(kept))
}

// rejectLoan is POST /loans/{id}/reject with a reason.
func (h *handler) rejectLoan(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason := parseReason(r.PostForm.Get("reason"))
	h.act(w, r, action{
		fields: []string{"reason"},
		call:   func(ctx context.Context) (any, error) { return h.op.RejectLoan(ctx, id, reason) },
		next:   func(any) string { return "/loans/" + id + "?notice=loan_rejected" },
	}, h.refused(loanData{FormReason: reason}))
}

// fundLoan is POST /loans/{id}/fund.
func (h *handler) fundLoan(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	h.act(w, r, action{
		call: func(ctx context.Context) (any, error) { return h.op.FundLoan(ctx, id) },
		next: func(any) string { return "/loans/" + id + "?notice=funding" },
	}, h.refused(loanData{}))
}

// recordRepayment is POST /loans/{id}/repayments: amount, and received_at
// (UTC; empty is now). The form's idempotency key is also the repayment's
// reference, as the REST API's Idempotency-Key is, so the payment is
// recorded once even after the key's record has expired.
func (h *handler) recordRepayment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	kept := loanData{FormAmount: r.PostForm.Get("amount"), FormReceivedAt: r.PostForm.Get("received_at")}
	amount, err := parseAmount("amount", kept.FormAmount)
	if err != nil {
		h.refused(kept)(w, r, err)
		return
	}
	received, err := parseReceivedAt(kept.FormReceivedAt)
	if err != nil {
		h.refused(kept)(w, r, err)
		return
	}
	in := assetmint.NewRepayment{Amount: amount, ReceivedAt: received, Reference: r.PostForm.Get(keyField)}
	h.act(w, r, action{
		fields: []string{"amount", "received_at"},
		call:   func(ctx context.Context) (any, error) { return h.op.RecordRepayment(ctx, id, in) },
		next:   func(any) string { return "/loans/" + id + "?notice=repayment_recorded" },
	}, h.refused(kept))
}
