package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
)

func unlimitedAPI(c *httpapi.Config) {
	c.Limiter = unlimited{auth.NewMemoryLimiter(auth.MemoryLimiterConfig{})}
}

// A loan request body of any shape gets an envelope answer, never a 5xx,
// and records a loan exactly when it answers 201.
func FuzzCreateLoanBody(f *testing.F) {
	b, _ := lendingSetup(f, assetmint.LendingConfig{}, unlimitedAPI)
	creds := b.business(f, auth.PlanEnterprise)
	tok := b.token(f, creds)
	asset := b.tokenizedAsset(f, tok, "FUZZ-1")
	for _, s := range []string{
		`{"asset_id":"` + asset + `","amount":20000,"term_months":24}`,
		`{"asset_id":"` + asset + `","amount":"20000.10","term_months":36,"amortization":"balloon","balloon_amount":5000,"day_count":"ACT/ACT","purpose":"x"}`,
		`{"asset_id":"` + asset + `","amount":1e400,"term_months":24}`,
		`{"asset_id":"` + asset + `","amount":-0.00,"term_months":2.5}`,
		`{"token_id":"tok_x","asset_id":"` + asset + `","amount":1,"term_months":481}`,
		`{"asset_id":null,"amount":"0x10","term_months":"12"}`, `{"status":"funded"}`, `[]`, `null`, `{`, ``,
		`{"asset_id":"` + asset + `","amount":20000,"term_months":24,"amount":30000}`,
		`{"asset_id":"` + asset + `","amount":20000,"term_months":24,"purpose":"a\n\tb\u0000"}`,
		`{"asset_id":"` + asset + `","amount":1000000000000.01,"term_months":24,"amortization":"balloon","balloon_amount":1000000000000}`,
	} {
		f.Add([]byte(s))
	}
	ctx := context.Background()
	// Ids sort in creation order, so the newest loan says what a request
	// wrote however many inputs came before (a count of one page stops at
	// its limit).
	newest := func(t *testing.T) string {
		page, err := b.engine.Loans(ctx, creds.BusinessID, assetmint.LoanFilter{}, assetmint.ListParams{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			return ""
		}
		return page.Items[0].ID
	}
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, body []byte) {
		before := newest(t)
		rec := serveBody(h, "POST", "/v1/loans", tok, body)
		checkEnvelope(t, rec)
		checkRefusesDuplicates(t, body, rec)
		if rec.Code == http.StatusCreated {
			rules{free: []string{"purpose"}, money: []string{"amount", "balloon_amount"}}.check(t, rec)
		}
		after := newest(t)
		var created struct{ Data struct{ ID string } }
		_ = json.Unmarshal(rec.Body.Bytes(), &created)
		if rec.Code == http.StatusCreated && after != created.Data.ID || rec.Code != http.StatusCreated && after != before {
			t.Fatalf("status %d but the newest loan went %s -> %s", rec.Code, before, after)
		}
		if rec.Code == http.StatusCreated {
			// Free the asset for the next input.
			page, _ := b.engine.Loans(ctx, creds.BusinessID, assetmint.LoanFilter{Status: assetmint.LoanSubmitted}, assetmint.ListParams{})
			for _, l := range page.Items {
				if _, err := b.engine.Operator().RejectLoan(ctx, l.ID, "fuzz"); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// A repayment body of any shape gets an envelope answer, never a 5xx, and
// records a repayment exactly when it answers 201.
func FuzzRepaymentBody(f *testing.F) {
	b, _ := lendingSetup(f, assetmint.LendingConfig{AutoFund: true}, unlimitedAPI)
	creds := b.business(f, auth.PlanEnterprise)
	tok := b.token(f, creds)
	asset := b.tokenizedAsset(f, tok, "FUZZ-2")
	res := b.do(f, "POST", "/v1/loans", tok, `{"asset_id":"`+asset+`","amount":20000,"term_months":24}`)
	if res.status != http.StatusCreated {
		f.Fatal(res.raw)
	}
	loanID := res.data()["id"].(string)
	ctx := context.Background()
	if err := b.engine.RunPending(ctx); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		`{"amount":100}`, `{"amount":"100.01","received_at":"2026-03-31T14:00:00Z"}`, `{"amount":0.001}`,
		`{"amount":1e400}`, `{"amount":100,"received_at":"2099-01-01T00:00:00Z"}`, `{"amount":100,"received_at":"yesterday"}`,
		`{"amount":100,"fees":1}`, `{}`, `[]`, `null`, `{`, ``, `{"amount":100,"amount":100}`,
		`{"amount":1000000000000.01}`, `{"amount":100,"received_at":"0001-01-01T00:00:00Z"}`,
		`{"amount":100,"received_at":"1899-12-31T23:59:59-01:00"}`,
	} {
		f.Add([]byte(s))
	}
	repayments := func(t *testing.T) int {
		d, err := b.engine.Loan(ctx, creds.BusinessID, loanID)
		if err != nil {
			t.Fatal(err)
		}
		return len(d.Repayments)
	}
	h := b.srv.Config.Handler
	n := 0
	f.Fuzz(func(t *testing.T, body []byte) {
		n++
		before := repayments(t)
		rec := serveBody(h, "POST", "/v1/admin/loans/"+loanID+"/repayments", adminToken, body, "Idempotency-Key", fmt.Sprint("fuzz-", n))
		checkEnvelope(t, rec)
		checkRefusesDuplicates(t, body, rec)
		if rec.Code == http.StatusCreated {
			rules{money: []string{"amount"}, dates: []string{"received_at"}}.check(t, rec)
		}
		after := repayments(t)
		if rec.Code == http.StatusCreated && after != before+1 || rec.Code != http.StatusCreated && after != before {
			t.Fatalf("status %d but repayments went %d -> %d", rec.Code, before, after)
		}
	})
}
