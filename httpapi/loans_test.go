package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/internal/fakechain"
)

// lockedOn reports whether the asset's token is locked on the chain.
func lockedOn(t *testing.T, c *fakechain.Chain, b *bundle, token, assetID string) bool {
	t.Helper()
	tok := b.assetToken(t, token, assetID)
	n, ok := new(big.Int).SetString(tok["token_number"].(string), 10)
	require.True(t, ok)
	state, err := c.Token(context.Background(), tok["token_address"].(string), n)
	require.NoError(t, err)
	require.True(t, state.Exists)
	return state.Locked
}

// lendingSetup is setup with lending: the engine on an in-memory chain,
// with lc as its lending policy. mutate, if given, adjusts the handler's
// config.
func lendingSetup(t testing.TB, lc assetmint.LendingConfig, mutate ...func(*httpapi.Config)) (*bundle, *fakechain.Chain) {
	t.Helper()
	chain := fakechain.New()
	b := setupEngine(t, func(c *assetmint.Config) { c.Chain.Chain, c.Lending = chain, lc }, mutate...)
	return b, chain
}

// tokenizedAsset submits the reference's CNC machine with an invoice
// (serial makes the file unique), lets it be valued, verified and minted,
// and returns its id.
func (b *bundle) tokenizedAsset(t testing.TB, token, serial string) string {
	t.Helper()
	res := b.do(t, "POST", "/v1/assets", token, `{"name":"CNC Milling Machine — Model X200","type":"equipment","description":"Industrial CNC machine, 2021, excellent condition","estimated_value":85000}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	id := res.data()["id"].(string)
	res = b.upload(t, token, "invoice.pdf", []byte(pdfBytes+serial), "asset_id", id, "kind", "invoice",
		"amount", "150000", "currency", "USD", "date", "2021-07-01", "serial", serial, "issuer", "Haas Automation")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.NoError(t, b.engine.RunPending(context.Background()))
	res = b.do(t, "GET", "/v1/assets/"+id, token, nil)
	require.Equal(t, "tokenized", res.data()["status"], res.raw)
	return id
}

// assetToken reads the asset's token through GET /v1/tokens.
func (b *bundle) assetToken(t *testing.T, token, assetID string) map[string]any {
	t.Helper()
	res := b.do(t, "GET", "/v1/tokens?limit=100", token, nil)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	for _, it := range res.list() {
		if tok := it.(map[string]any); tok["asset_id"] == assetID {
			return tok
		}
	}
	t.Fatalf("asset %s has no token", assetID)
	return nil
}

// num reads a JSON number of an answer exactly.
func num(t *testing.T, v any) decimal.Decimal {
	t.Helper()
	n, ok := v.(json.Number)
	require.True(t, ok, "%v (%T) is not a number", v, v)
	return decimal.RequireFromString(n.String())
}

// requireDec checks a JSON number against a decimal, exactly.
func requireDec(t *testing.T, want decimal.Decimal, got any, msg ...any) {
	t.Helper()
	require.True(t, want.Equal(num(t, got)), "want %s, got %v %v", want, got, fmt.Sprint(msg...))
}

// A loan through HTTP, from the request to its release: approved by the
// policy and funded at once, its first installment paid with an
// Idempotency-Key, then paid off; the token is locked and unlocked on the
// chain.
func TestLoanLifecycle(t *testing.T) {
	ctx := context.Background()
	b, chain := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	asset := b.tokenizedAsset(t, tok, "X200-0042")
	require.False(t, lockedOn(t, chain, b, tok, asset))

	// Requested: submitted, nothing decided, no schedule yet.
	body := `{"asset_id":"` + asset + `","amount":20000,"term_months":12,"purpose":"working capital"}`
	res := b.do(t, "POST", "/v1/loans", tok, body, "Idempotency-Key", "loan-1")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	l := res.data()
	id := l["id"].(string)
	require.Regexp(t, `^loan_`, id)
	require.Equal(t, "loan", l["object"])
	require.Equal(t, "submitted", l["status"])
	require.Equal(t, asset, l["asset_id"])
	require.Equal(t, b.assetToken(t, tok, asset)["id"], l["token_id"])
	require.Regexp(t, `^val_`, l["valuation_id"])
	require.Equal(t, "20000", fmt.Sprint(l["amount"]))
	require.Equal(t, "USD", l["currency"])
	require.Equal(t, "12", fmt.Sprint(l["term_months"]))
	require.Equal(t, "annuity", l["amortization"])
	require.Equal(t, "30/360", l["day_count"])
	require.Equal(t, "working capital", l["purpose"])
	for _, k := range []string{"balloon_amount", "annual_rate", "max_amount", "decided_by", "rejection_reason",
		"funding_requested_at", "funded_at", "closed_at", "lender_address", "next_due"} {
		require.Contains(t, l, k)
		require.Nil(t, l[k], k)
	}
	require.True(t, num(t, l["ltv"]).IsPositive())
	require.Equal(t, []any{}, l["reasons"])
	require.Equal(t, []any{}, l["schedule"])
	require.Equal(t, []any{}, l["repayments"])
	requireDec(t, decimal.Zero, l["payoff_amount"])
	requireDec(t, decimal.Zero, l["outstanding_principal"])
	require.Equal(t, "current", l["delinquency_bucket"])
	require.Equal(t, "2026-03-31T14:00:00Z", l["created_at"])

	again := b.do(t, "POST", "/v1/loans", tok, body, "Idempotency-Key", "loan-1")
	require.Equal(t, http.StatusCreated, again.status, again.raw)
	require.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	require.Equal(t, id, again.data()["id"])

	// One loan at a time on an asset.
	res = b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+asset+`","amount":5000,"term_months":6}`)
	require.Equal(t, http.StatusConflict, res.status, res.raw)
	require.Equal(t, "conflict_error", res.errField("type"))

	// Underwritten, approved, funded: the token is locked first.
	require.NoError(t, b.engine.RunPending(ctx))
	require.True(t, lockedOn(t, chain, b, tok, asset))
	res = b.do(t, "GET", "/v1/loans/"+id, tok, nil)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	l = res.data()
	require.Equal(t, "funded", l["status"])
	require.Equal(t, "policy", l["decided_by"])
	rate := num(t, l["annual_rate"])
	require.True(t, rate.IsPositive() && rate.LessThan(decimal.NewFromInt(1)), "a fraction: %s", rate)
	require.True(t, num(t, l["max_amount"]).GreaterThanOrEqual(decimal.NewFromInt(20000)))
	require.Equal(t, "2026-03-31T14:00:00Z", l["funded_at"])
	require.NotNil(t, l["funding_requested_at"])
	require.Equal(t, fakechain.Signer, l["lender_address"], "the chain signer by default")
	requireDec(t, decimal.NewFromInt(20000), l["outstanding_principal"])
	requireDec(t, decimal.NewFromInt(20000), l["payoff_amount"], "nothing accrued at funding")
	sched := l["schedule"].([]any)
	require.Len(t, sched, 12)
	first := sched[0].(map[string]any)
	require.Equal(t, "1", fmt.Sprint(first["number"]))
	require.Equal(t, "2026-04-30", first["due_date"])
	require.Equal(t, "upcoming", first["status"])
	requireDec(t, decimal.Zero, first["paid"])
	payment, interest, principal := num(t, first["payment"]), num(t, first["interest"]), num(t, first["principal"])
	require.True(t, payment.Equal(interest.Add(principal)))
	requireDec(t, decimal.NewFromInt(20000).Sub(principal), first["balance"])
	require.Equal(t, "12", fmt.Sprint(sched[11].(map[string]any)["number"]))
	requireDec(t, decimal.Zero, sched[11].(map[string]any)["balance"])
	require.Equal(t, map[string]any{"number": json.Number("1"), "due_date": "2026-04-30", "amount": first["payment"]}, l["next_due"])

	res = b.do(t, "GET", "/v1/assets/"+asset, tok, nil)
	require.Equal(t, "pledged", res.data()["status"])
	require.Equal(t, true, b.assetToken(t, tok, asset)["locked"])

	// Ten days on, interest has accrued.
	b.clock.Advance(10 * 24 * time.Hour)
	tok = b.token(t, creds)
	res = b.do(t, "GET", "/v1/loans/"+id, tok, nil)
	l = res.data()
	require.True(t, num(t, l["accrued_interest"]).IsPositive(), res.raw)
	require.True(t, num(t, l["payoff_amount"]).GreaterThan(num(t, l["amount"])), res.raw)
	requireDec(t, decimal.Zero, l["interest_due"])

	// On its due date the first installment is due and paid, with the
	// rail's key; it goes to the row's interest and principal.
	b.clock.Set(time.Date(2026, 4, 30, 9, 0, 0, 0, time.UTC))
	tok = b.token(t, creds)
	res = b.do(t, "GET", "/v1/loans/"+id, tok, nil)
	l = res.data()
	require.Equal(t, "due", l["schedule"].([]any)[0].(map[string]any)["status"])
	requireDec(t, interest, l["interest_due"])
	requireDec(t, principal, l["principal_due"])

	pay := `{"amount":` + payment.String() + `}`
	repay := "/v1/admin/loans/" + id + "/repayments"
	res = b.do(t, "POST", repay, adminToken, pay, "Idempotency-Key", "rail-1")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	r := res.data()
	repID := r["id"].(string)
	require.Regexp(t, `^pay_`, repID)
	require.Equal(t, "repayment", r["object"])
	require.Equal(t, id, r["loan_id"])
	require.Equal(t, "rail-1", r["reference"])
	require.Equal(t, "2026-04-30T09:00:00Z", r["received_at"])
	requireDec(t, payment, r["amount"])
	requireDec(t, interest, r["interest"])
	requireDec(t, principal, r["principal"])
	for _, k := range []string{"fees", "prepaid", "excess"} {
		requireDec(t, decimal.Zero, r[k], k)
	}

	// A retry replays; the same key for another payment is refused; a
	// payment without a key is refused.
	res = b.do(t, "POST", repay, adminToken, pay, "Idempotency-Key", "rail-1")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "true", res.header.Get("Idempotent-Replayed"))
	require.Equal(t, repID, res.data()["id"])
	res = b.do(t, "POST", repay, adminToken, `{"amount":10}`, "Idempotency-Key", "rail-1")
	require.Equal(t, http.StatusUnprocessableEntity, res.status, res.raw)
	require.Equal(t, "idempotency_error", res.errField("type"))
	res = b.do(t, "POST", repay, adminToken, pay)
	require.Equal(t, http.StatusBadRequest, res.status, res.raw)
	require.Equal(t, "invalid_request_error", res.errField("type"))
	require.Equal(t, "Idempotency-Key", res.errField("param"))
	require.Contains(t, res.errField("message"), "recorded once")

	// With the HTTP layer's record of the key gone, the engine still knows
	// the key as the repayment's reference.
	_, err := b.db.PruneIdempotencyKeys(ctx, b.clock.Now().Add(time.Hour))
	require.NoError(t, err)
	res = b.do(t, "POST", repay, adminToken, pay, "Idempotency-Key", "rail-1")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Empty(t, res.header.Get("Idempotent-Replayed"))
	require.Equal(t, repID, res.data()["id"], "the same repayment")

	res = b.do(t, "GET", "/v1/loans/"+id, tok, nil)
	l = res.data()
	require.Len(t, l["repayments"], 1)
	require.Equal(t, repID, l["repayments"].([]any)[0].(map[string]any)["id"])
	row := l["schedule"].([]any)[0].(map[string]any)
	require.Equal(t, "paid", row["status"])
	requireDec(t, payment, row["paid"])
	require.Equal(t, "2", fmt.Sprint(l["next_due"].(map[string]any)["number"]))
	requireDec(t, decimal.NewFromInt(20000).Sub(principal), l["outstanding_principal"])
	require.Equal(t, "funded", l["status"])

	// Paid off: repaid, and the token released.
	payoff := num(t, l["payoff_amount"])
	res = b.do(t, "POST", repay, adminToken, `{"amount":"`+payoff.String()+`"}`, "Idempotency-Key", "rail-2")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	requireDec(t, decimal.Zero, res.data()["excess"])
	res = b.do(t, "GET", "/v1/loans/"+id, tok, nil)
	l = res.data()
	require.Equal(t, "repaid", l["status"], res.raw)
	require.Equal(t, "2026-04-30T09:00:00Z", l["closed_at"])
	requireDec(t, decimal.Zero, l["outstanding_principal"])
	requireDec(t, decimal.Zero, l["payoff_amount"])
	require.Nil(t, l["next_due"])
	require.Len(t, l["repayments"], 2)
	require.True(t, lockedOn(t, chain, b, tok, asset), "released by the background job")

	require.NoError(t, b.engine.RunPending(ctx))
	require.False(t, lockedOn(t, chain, b, tok, asset))
	res = b.do(t, "GET", "/v1/assets/"+asset, tok, nil)
	require.Equal(t, "tokenized", res.data()["status"])
	require.Equal(t, false, b.assetToken(t, tok, asset)["locked"])

	res = b.do(t, "POST", repay, adminToken, `{"amount":1}`, "Idempotency-Key", "rail-3")
	require.Equal(t, http.StatusConflict, res.status, "a repaid loan takes no more: %s", res.raw)

	// The asset is free for a new loan.
	res = b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+asset+`","amount":5000,"term_months":6}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
}

// A request that is bad in any way answers 400 naming the member, and
// writes nothing.
func TestLoanRequestErrors(t *testing.T) {
	b, _ := lendingSetup(t, assetmint.LendingConfig{})
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	tokB := b.token(t, b.business(t, auth.PlanEnterprise))
	asset := b.tokenizedAsset(t, tok, "X200-0042")
	other := b.asset(t, tokB, "Bolt's lathe")
	valid := `"asset_id":"` + asset + `","amount":20000,"term_months":12`
	withAmount := func(v string) string { return `{"asset_id":"` + asset + `","amount":` + v + `,"term_months":12}` }
	withTerm := func(v string) string { return `{"asset_id":"` + asset + `","amount":20000,"term_months":` + v + `}` }

	for _, c := range []struct{ body, param string }{
		{`{` + valid + `,"colour":"red"}`, "colour"},
		{`{` + valid + `,"status":"approved"}`, "status"},
		{`{` + valid + `,"annual_rate":0.01}`, "annual_rate"},
		{`{` + valid + `,"id":"loan_mine"}`, "id"},
		{`{"asset_id":"` + asset + `","term_months":12}`, "amount"},
		{withAmount(`"lots"`), "amount"},
		{withAmount(`-5`), "amount"},
		{withAmount(`10.001`), "amount"},
		{withAmount(`null`), "amount"},
		{`{"asset_id":"` + asset + `","amount":20000}`, "term_months"},
		{withTerm(`12.5`), "term_months"},
		{withTerm(`"12"`), "term_months"},
		{withTerm(`0`), "term_months"},
		{withTerm(`1000`), "term_months"},
		{`{` + valid + `,"amortization":"bullet"}`, "amortization"},
		{`{` + valid + `,"amortization":""}`, "amortization"},
		{`{` + valid + `,"day_count":"ACT/364"}`, "day_count"},
		{`{` + valid + `,"amortization":"balloon"}`, "balloon_amount"},
		{`{` + valid + `,"balloon_amount":5000}`, "balloon_amount"},
		{`{` + valid + `,"purpose":7}`, "purpose"},
		{`{"amount":20000,"term_months":12}`, "asset_id"},
		{`{"asset_id":7,"amount":20000,"term_months":12}`, "asset_id"},
		{`{`, ""},
		{``, ""},
	} {
		res := b.do(t, "POST", "/v1/loans", tok, c.body)
		require.Equal(t, http.StatusBadRequest, res.status, "%s: %s", c.body, res.raw)
		require.Equal(t, "invalid_request_error", res.errField("type"), c.body)
		require.Equal(t, c.param, res.errField("param"), c.body)
	}
	res := b.do(t, "POST", "/v1/loans", tok, `{`+valid+`,"annual_rate":0.01}`)
	require.Contains(t, res.errField("message"), "set by the server")

	// Another business's asset is not found; an asset not on chain is a
	// conflict.
	res = b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+other+`","amount":20000,"term_months":12}`)
	require.Equal(t, http.StatusNotFound, res.status, res.raw)
	require.Equal(t, "asset_id", res.errField("param"))
	res = b.do(t, "POST", "/v1/loans", tokB, `{"asset_id":"`+other+`","amount":20000,"term_months":12}`)
	require.Equal(t, http.StatusConflict, res.status, res.raw)
	res = b.do(t, "POST", "/v1/loans", tok, `{"token_id":"tok_nope","amount":20000,"term_months":12}`)
	require.Equal(t, http.StatusNotFound, res.status, res.raw)
	require.Equal(t, "token_id", res.errField("param"))

	res = b.do(t, "GET", "/v1/loans", tok, nil)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Empty(t, res.list(), "nothing was written")

	// A good one, by token, with a balloon.
	tokenID := b.assetToken(t, tok, asset)["id"].(string)
	res = b.do(t, "POST", "/v1/loans", tok, `{"token_id":"`+tokenID+`","amount":"20000.50","term_months":24,"amortization":"balloon","balloon_amount":"5000","day_count":"ACT/365F"}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, asset, res.data()["asset_id"])
	require.Equal(t, "20000.5", fmt.Sprint(res.data()["amount"]))
	require.Equal(t, "5000", fmt.Sprint(res.data()["balloon_amount"]))
	require.Equal(t, "ACT/365F", res.data()["day_count"])
	require.Equal(t, "", res.data()["purpose"])
	id := res.data()["id"].(string)

	// Another business sees none of it.
	res = b.do(t, "GET", "/v1/loans/"+id, tokB, nil)
	require.Equal(t, http.StatusNotFound, res.status, res.raw)
	require.Equal(t, "not_found_error", res.errField("type"))
	res = b.do(t, "GET", "/v1/loans", tokB, nil)
	require.Empty(t, res.list())
	res = b.do(t, "GET", "/v1/loans/loan_doesnotexist", tok, nil)
	require.Equal(t, http.StatusNotFound, res.status)
	res = b.do(t, "GET", "/v1/loans", "", nil)
	require.Equal(t, http.StatusUnauthorized, res.status)
}

// The list filters by status, pages, and refuses what it does not know.
func TestListLoans(t *testing.T) {
	ctx := context.Background()
	b, _ := lendingSetup(t, assetmint.LendingConfig{})
	tok := b.token(t, b.business(t, auth.PlanEnterprise))
	a1 := b.tokenizedAsset(t, tok, "X200-0001")
	a2 := b.tokenizedAsset(t, tok, "X200-0002")
	res := b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+a1+`","amount":20000,"term_months":12}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	approved := res.data()["id"].(string)
	require.NoError(t, b.engine.RunPending(ctx)) // approved; no auto-funding
	b.clock.Advance(time.Second)
	res = b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+a2+`","amount":20000,"term_months":12}`)
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	submitted := res.data()["id"].(string)

	ids := func(res response) []string {
		var out []string
		for _, it := range res.list() {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out
	}
	res = b.do(t, "GET", "/v1/loans", tok, nil)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, []string{submitted, approved}, ids(res), "newest first")
	require.Equal(t, false, res.json["meta"].(map[string]any)["has_more"])
	item := res.list()[1].(map[string]any)
	require.Equal(t, "approved", item["status"])
	require.NotNil(t, item["annual_rate"])
	for _, k := range []string{"schedule", "repayments", "payoff_amount", "next_due", "principal_due"} {
		require.NotContains(t, item, k, "list items are not the detail")
	}

	res = b.do(t, "GET", "/v1/loans?status=approved", tok, nil)
	require.Equal(t, []string{approved}, ids(res))
	res = b.do(t, "GET", "/v1/loans?status=submitted", tok, nil)
	require.Equal(t, []string{submitted}, ids(res))
	res = b.do(t, "GET", "/v1/loans?status=funded", tok, nil)
	require.Equal(t, http.StatusOK, res.status)
	require.Empty(t, res.list())
	res = b.do(t, "GET", "/v1/loans?limit=1", tok, nil)
	require.Equal(t, []string{submitted}, ids(res))
	require.Equal(t, true, res.json["meta"].(map[string]any)["has_more"])
	res = b.do(t, "GET", "/v1/loans?limit=1&starting_after="+submitted, tok, nil)
	require.Equal(t, []string{approved}, ids(res))

	// An operator's rejection before underwriting: nothing was offered.
	res = b.do(t, "POST", "/v1/admin/loans/"+submitted+"/reject", adminToken, `{"reason":"Duplicate request"}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "rejected", res.data()["status"])
	require.Nil(t, res.data()["annual_rate"])
	require.Nil(t, res.data()["max_amount"])
	require.NoError(t, b.engine.RunPending(ctx))
	res = b.do(t, "GET", "/v1/loans?status=rejected", tok, nil)
	require.Equal(t, []string{submitted}, ids(res))
	require.Nil(t, res.list()[0].(map[string]any)["annual_rate"])

	for q, param := range map[string]string{"status=paid": "status", "status=APPROVED": "status", "limit=0": "limit", "page=2": "page"} {
		res = b.do(t, "GET", "/v1/loans?"+q, tok, nil)
		require.Equal(t, http.StatusBadRequest, res.status, q)
		require.Equal(t, param, res.errField("param"), q)
	}
}

// A loan the policy refers waits for an operator, who approves it at a
// rate of their own and funds it; another is rejected.
func TestOperatorDecidesLoans(t *testing.T) {
	ctx := context.Background()
	b, chain := lendingSetup(t, assetmint.LendingConfig{ManualApproval: true})
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	a1 := b.tokenizedAsset(t, tok, "X200-0001")
	a2 := b.tokenizedAsset(t, tok, "X200-0002")
	request := func(asset string) string {
		res := b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+asset+`","amount":20000,"term_months":12}`)
		require.Equal(t, http.StatusCreated, res.status, res.raw)
		return res.data()["id"].(string)
	}
	first, second := request(a1), request(a2)
	admin := func(id, action string) string { return "/v1/admin/loans/" + id + "/" + action }

	// Before underwriting, nothing can be approved or funded.
	res := b.do(t, "POST", admin(first, "approve"), adminToken, nil)
	require.Equal(t, http.StatusConflict, res.status, res.raw)
	res = b.do(t, "POST", admin(first, "fund"), adminToken, nil)
	require.Equal(t, http.StatusConflict, res.status, res.raw)

	require.NoError(t, b.engine.RunPending(ctx))
	res = b.do(t, "GET", "/v1/loans/"+first, tok, nil)
	l := res.data()
	require.Equal(t, "referred", l["status"])
	require.Equal(t, []any{"manual_approval"}, l["reasons"])
	require.Nil(t, l["decided_by"])
	require.NotNil(t, l["annual_rate"], "the rate underwriting offers")

	// Operator routes need the operator's token.
	for _, bearer := range []string{"", tok} {
		for _, action := range []string{"approve", "reject", "fund", "repayments"} {
			res = b.do(t, "POST", admin(first, action), bearer, `{}`, "Idempotency-Key", "k")
			require.Equal(t, http.StatusUnauthorized, res.status, "%s %q: %s", action, bearer, res.raw)
		}
	}

	// Approved at the operator's rate, exactly as given.
	for body, param := range map[string]string{
		`{"annual_rate":2}`:      "annual_rate",
		`{"annual_rate":-0.01}`:  "annual_rate",
		`{"annual_rate":"high"}`: "annual_rate",
		`{"rate":0.09}`:          "rate",
	} {
		res = b.do(t, "POST", admin(first, "approve"), adminToken, body)
		require.Equal(t, http.StatusBadRequest, res.status, body)
		require.Equal(t, param, res.errField("param"), body)
	}
	res = b.do(t, "POST", admin(first, "approve"), adminToken, `{"annual_rate":0.0925}`, "Idempotency-Key", "approve-1")
	require.Equal(t, http.StatusOK, res.status, res.raw)
	l = res.data()
	require.Equal(t, first, l["id"])
	require.Equal(t, "approved", l["status"])
	require.Equal(t, "operator", l["decided_by"])
	require.Equal(t, json.Number("0.0925"), l["annual_rate"])
	require.Equal(t, []any{}, l["schedule"], "the detail, before funding")
	require.Nil(t, l["funding_requested_at"], "no auto-funding")
	res = b.do(t, "POST", admin(first, "approve"), adminToken, `{"annual_rate":0.0925}`, "Idempotency-Key", "approve-1")
	require.Equal(t, "true", res.header.Get("Idempotent-Replayed"))
	res = b.do(t, "POST", admin(first, "approve"), adminToken, `{}`)
	require.Equal(t, http.StatusOK, res.status, "approving again with no rate changes nothing: %s", res.raw)
	require.Equal(t, json.Number("0.0925"), res.data()["annual_rate"])
	res = b.do(t, "POST", admin(first, "approve"), adminToken, `{"annual_rate":0.1}`)
	require.Equal(t, http.StatusConflict, res.status, res.raw)

	// Funded on the operator's word: the answer comes before the chain.
	res = b.do(t, "POST", admin(first, "fund"), adminToken, `{"now":true}`)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Equal(t, "now", res.errField("param"))
	res = b.do(t, "POST", admin(first, "fund"), adminToken, nil, "Idempotency-Key", "fund-1")
	require.Equal(t, http.StatusOK, res.status, res.raw)
	require.Equal(t, "approved", res.data()["status"])
	require.NotNil(t, res.data()["funding_requested_at"])
	require.False(t, lockedOn(t, chain, b, tok, a1))
	require.NoError(t, b.engine.RunPending(ctx))
	require.True(t, lockedOn(t, chain, b, tok, a1))
	res = b.do(t, "POST", admin(first, "fund"), adminToken, `{}`)
	require.Equal(t, http.StatusOK, res.status, res.raw)
	l = res.data()
	require.Equal(t, "funded", l["status"])
	require.Len(t, l["schedule"], 12)
	require.Equal(t, json.Number("0.0925"), l["annual_rate"])

	// Rejections: a reason is required; a funded loan cannot be rejected.
	res = b.do(t, "POST", admin(second, "reject"), adminToken, `{}`)
	require.Equal(t, http.StatusBadRequest, res.status, res.raw)
	require.Equal(t, "reason", res.errField("param"))
	res = b.do(t, "POST", admin(second, "reject"), adminToken, `{"reason":"  "}`)
	require.Equal(t, "reason", res.errField("param"))
	res = b.do(t, "POST", admin(second, "reject"), adminToken, nil)
	require.Equal(t, http.StatusBadRequest, res.status)
	res = b.do(t, "POST", admin(first, "reject"), adminToken, `{"reason":"too late"}`)
	require.Equal(t, http.StatusConflict, res.status, res.raw)
	res = b.do(t, "POST", admin(second, "reject"), adminToken, `{"reason":"Concentration limit"}`, "Idempotency-Key", "reject-1")
	require.Equal(t, http.StatusOK, res.status, res.raw)
	l = res.data()
	require.Equal(t, "rejected", l["status"])
	require.Equal(t, "operator", l["decided_by"])
	require.Equal(t, "Concentration limit", l["rejection_reason"])
	require.NotNil(t, l["closed_at"])
	res = b.do(t, "POST", admin(second, "fund"), adminToken, nil)
	require.Equal(t, http.StatusConflict, res.status, res.raw)

	// Repayments go to funded loans, and only with good input.
	repay := admin(second, "repayments")
	res = b.do(t, "POST", repay, adminToken, `{"amount":100}`, "Idempotency-Key", "r-1")
	require.Equal(t, http.StatusConflict, res.status, res.raw)
	repay = admin(first, "repayments")
	for body, param := range map[string]string{
		`{}`:                                  "amount",
		`{"amount":0}`:                        "amount",
		`{"amount":"1.234"}`:                  "amount",
		`{"amount":100,"received_at":"soon"}`: "received_at",
		`{"amount":100,"received_at":"2030-01-01T00:00:00Z"}`: "received_at",
		`{"amount":100,"received_at":"2020-01-01T00:00:00Z"}`: "received_at",
		`{"amount":100,"fees":1}`:                             "fees",
	} {
		res = b.do(t, "POST", repay, adminToken, body, "Idempotency-Key", "bad-"+body)
		require.Equal(t, http.StatusBadRequest, res.status, "%s: %s", body, res.raw)
		require.Equal(t, param, res.errField("param"), body)
	}
	for _, id := range []string{"loan_doesnotexist"} {
		res = b.do(t, "POST", admin(id, "approve"), adminToken, nil)
		require.Equal(t, http.StatusNotFound, res.status)
		res = b.do(t, "POST", admin(id, "reject"), adminToken, `{"reason":"x"}`)
		require.Equal(t, http.StatusNotFound, res.status)
		res = b.do(t, "POST", admin(id, "fund"), adminToken, nil)
		require.Equal(t, http.StatusNotFound, res.status)
		res = b.do(t, "POST", admin(id, "repayments"), adminToken, `{"amount":1}`, "Idempotency-Key", "nf")
		require.Equal(t, http.StatusNotFound, res.status)
	}

	// A payment received earlier than now, as the rail reports it: nothing
	// was due yet, so it prepays.
	b.clock.Advance(48 * time.Hour)
	res = b.do(t, "POST", repay, adminToken, `{"amount":"100.00","received_at":"2026-04-01T10:30:00+02:00"}`, "Idempotency-Key", "r-2")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	require.Equal(t, "2026-04-01T08:30:00Z", res.data()["received_at"])
	require.True(t, num(t, res.data()["prepaid"]).IsPositive(), "nothing was due yet: %s", res.raw)

	// Part of the first installment on its due date, then nothing: ten
	// days later the loan's read shows it past due, though the list (kept
	// by the daily sweep) does not yet.
	b.clock.Set(time.Date(2026, 4, 30, 15, 0, 0, 0, time.UTC))
	res = b.do(t, "POST", repay, adminToken, `{"amount":100}`, "Idempotency-Key", "r-3")
	require.Equal(t, http.StatusCreated, res.status, res.raw)
	requireDec(t, decimal.Zero, res.data()["prepaid"])
	b.clock.Advance(10 * 24 * time.Hour)
	tok = b.token(t, creds)
	res = b.do(t, "GET", "/v1/loans/"+first, tok, nil)
	l = res.data()
	row := l["schedule"].([]any)[0].(map[string]any)
	require.Equal(t, "past_due", row["status"])
	requireDec(t, decimal.NewFromInt(100), row["paid"])
	next := l["next_due"].(map[string]any)
	require.Equal(t, "1", fmt.Sprint(next["number"]))
	require.Equal(t, "2026-04-30", next["due_date"], "a March 31 start, clamped to the end of April")
	requireDec(t, num(t, row["payment"]).Sub(decimal.NewFromInt(100)), next["amount"])
	require.Equal(t, "10", fmt.Sprint(l["days_past_due"]))
	require.Equal(t, "1-30", l["delinquency_bucket"])
	require.True(t, num(t, l["interest_due"]).IsPositive())
	require.Len(t, l["repayments"], 2)
	res = b.do(t, "GET", "/v1/loans?status=funded", tok, nil)
	require.Equal(t, "0", fmt.Sprint(res.list()[0].(map[string]any)["days_past_due"]))
	require.Equal(t, "current", res.list()[0].(map[string]any)["delinquency_bucket"])
}

// Concurrency through the API: loan requests racing on one asset end with
// one loan; the same repayment posted at once with one Idempotency-Key is
// recorded once, every answer being that repayment or "in flight".
func TestLoanRacesThroughTheAPI(t *testing.T) {
	b, _ := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	creds := b.business(t, auth.PlanEnterprise)
	tok := b.token(t, creds)
	asset := b.tokenizedAsset(t, tok, "RACE-1")

	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = b.do(t, "POST", "/v1/loans", tok, `{"asset_id":"`+asset+`","amount":20000,"term_months":12}`).status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		if s == http.StatusCreated {
			created++
		} else {
			require.Equal(t, http.StatusConflict, s)
		}
	}
	require.Equal(t, 1, created, "%v", statuses)
	list := b.do(t, "GET", "/v1/loans", tok, nil).list()
	require.Len(t, list, 1)
	id := list[0].(map[string]any)["id"].(string)
	require.NoError(t, b.engine.RunPending(context.Background()))

	answers := make([]response, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = b.do(t, "POST", "/v1/admin/loans/"+id+"/repayments", adminToken, `{"amount":1500}`, "Idempotency-Key", "wire-42")
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, a := range answers {
		switch a.status {
		case http.StatusCreated:
			ids[a.data()["id"].(string)] = true
		case http.StatusConflict:
			require.Equal(t, "idempotency_key_in_use", a.errField("code"), a.raw)
		default:
			t.Fatalf("status %d: %s", a.status, a.raw)
		}
	}
	require.Len(t, ids, 1, "every 201 is the same repayment")
	d, err := b.engine.Loan(context.Background(), creds.BusinessID, id)
	require.NoError(t, err)
	require.Len(t, d.Repayments, 1)
}
