package console

import (
	"net/http"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// dashboardData is the dashboard: the platform in counts.
type dashboardData struct {
	Assets       []tab // every asset status with its count
	Loans        []tab // every loan status with its count
	Funded       []fundedView
	DeadJobs     []*jobs.Job
	DeadTotal    int
	Failing      int  // failing webhook endpoints
	FailingMore  bool // more than Failing
	AssetsTotal  int
	LoansTotal   int
	ReviewQueue  int // valued assets waiting for an operator
	ReferredLoan int // referred loans waiting for an operator
}

// fundedView is the funded loans of one currency, with their delinquency
// chart.
type fundedView struct {
	assetmint.FundedBook
	Chart *delinquencyChart
}

// dashboard is GET /: counts of assets and loans by status, the funded
// book and its delinquency, dead jobs and failing webhook endpoints.
func (h *handler) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	counts, err := h.op.AssetCounts(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	book, err := h.op.LoanBook(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	dead, deadTotal, err := h.op.DeadJobs(ctx, 10)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	failing, err := h.op.FailingWebhookEndpoints(ctx, assetmint.ListParams{Limit: assetmint.MaxListLimit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := dashboardData{DeadJobs: dead, DeadTotal: deadTotal, Failing: len(failing.Items), FailingMore: failing.HasMore,
		ReviewQueue: counts[assetmint.AssetValued], ReferredLoan: book.Loans[assetmint.LoanReferred]}
	for _, s := range assetmint.AssetStatuses() {
		d.Assets = append(d.Assets, tab{Label: string(s), Query: "?status=" + string(s), Count: counts[s]})
		d.AssetsTotal += counts[s]
	}
	for _, s := range assetmint.LoanStatuses() {
		d.Loans = append(d.Loans, tab{Label: string(s), Query: "?status=" + string(s), Count: book.Loans[s]})
		d.LoansTotal += book.Loans[s]
	}
	for _, fb := range book.Funded {
		d.Funded = append(d.Funded, fundedView{FundedBook: fb, Chart: newDelinquencyChart(fb)})
	}
	h.render(w, r, http.StatusOK, "dashboard.html", &view{Title: "Dashboard", Section: "dashboard", Data: d})
}
