package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
)

// eventCount counts a business's events: what an action that changed
// nothing leaves as it was.
func (b *bundle) eventCount(t *testing.T, businessID string) int {
	t.Helper()
	page, err := b.engine.Events(context.Background(), businessID, assetmint.ListParams{Limit: assetmint.MaxListLimit})
	require.NoError(t, err)
	return len(page.Items)
}

// Verify and Reject run the operator's use cases, with their events.
func TestAssetDecisions(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _ := b.business(t, "Acme")
	one := b.valuedAsset(t, biz.ID, "X200-0001")
	two := b.valuedAsset(t, biz.ID, "X200-0002")
	b.signIn(t, b.client)

	page := b.get(t, "/console/assets/"+one.ID)
	res := b.post(t, "/console/assets/"+one.ID+"/verify", page.form(t, "/console/assets/"+one.ID+"/verify"))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, "/console/assets/"+one.ID+"?notice=verified", res.location)
	a, err := b.engine.Asset(ctx, biz.ID, one.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetVerified, a.Status)
	require.Contains(t, b.get(t, res.location).body, "The asset is verified")

	// A reason typed over two lines arrives with the browser's CR LF.
	page = b.get(t, "/console/assets/"+two.ID)
	form := page.form(t, "/console/assets/"+two.ID+"/reject")
	form.Set("reason", "  ")
	res = b.post(t, "/console/assets/"+two.ID+"/reject", form)
	require.Equal(t, http.StatusBadRequest, res.status, "the engine's rule: a reason is required")
	require.Contains(t, res.body, "reason is required")
	form.Set("reason", "The invoice is for another machine.\r\nAsk for the right one.")
	res = b.post(t, "/console/assets/"+two.ID+"/reject", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	events, err := b.engine.Events(ctx, biz.ID, assetmint.ListParams{Limit: 1})
	require.NoError(t, err)
	require.Equal(t, assetmint.EventAssetRejected, events.Items[0].Type)
	require.Contains(t, string(events.Items[0].Data), `The invoice is for another machine.\nAsk for the right one.`)

	// Verifying what is rejected is the engine's conflict, on the page.
	res = b.post(t, "/console/assets/"+two.ID+"/verify", page.form(t, "/console/assets/"+two.ID+"/verify"))
	require.Equal(t, http.StatusConflict, res.status)
	require.Contains(t, res.body, "only a valued asset can be verified")
}

// Approve (the rate typed in percent), Reject and Fund run the operator's
// use cases.
func TestLoanDecisions(t *testing.T) {
	b := setup(t, func(o *options) { o.engine = func(c *assetmint.Config) { c.Lending.AutoFund = false } })
	ctx := context.Background()
	biz, _ := b.business(t, "Acme")
	approve := b.referredLoan(t, biz.ID, "X200-0001", "20000", 12)
	reject := b.referredLoan(t, biz.ID, "X200-0002", "20000", 12)
	b.signIn(t, b.client)

	path := "/console/loans/" + approve.ID
	form := b.get(t, path).form(t, path+"/approve")
	form.Set("annual_rate", "150")
	res := b.post(t, path+"/approve", form)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Contains(t, res.body, "at most 100 %")
	require.Contains(t, res.body, `value="150"`, "the form keeps what was typed")
	form.Set("annual_rate", "9.75 %")
	res = b.post(t, path+"/approve", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	d, err := b.op.LoanByID(ctx, approve.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanApproved, d.Status)
	require.True(t, dec("0.0975").Equal(d.AnnualRate), "9.75 %% is 0.0975, got %s", d.AnnualRate)
	require.Equal(t, "operator", d.DecidedBy)

	page := b.get(t, path)
	require.True(t, page.has(path+"/fund"))
	res = b.post(t, path+"/fund", page.form(t, path+"/fund"))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.NoError(t, b.engine.RunPending(ctx))
	d, err = b.op.LoanByID(ctx, approve.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanFunded, d.Status)

	path = "/console/loans/" + reject.ID
	form = b.get(t, path).form(t, path+"/reject")
	form.Set("reason", "collateral too concentrated")
	res = b.post(t, path+"/reject", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	d, err = b.op.LoanByID(ctx, reject.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanRejected, d.Status)
	require.Equal(t, "collateral too concentrated", d.RejectionReason)
}

// A repayment form records one repayment however often it is sent: again
// after its answer, twice at once; its key is the repayment's reference;
// the same form with another amount is refused.
func TestRepaymentFormRecordsOnce(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _ := b.business(t, "Acme")
	l := b.fundedLoan(t, biz.ID, "X200-0001", "20000", 12)
	b.signIn(t, b.client)
	path := "/console/loans/" + l.ID
	count := func() int {
		d, err := b.op.LoanByID(ctx, l.ID)
		require.NoError(t, err)
		return len(d.Repayments)
	}

	form := b.get(t, path).form(t, path+"/repayments")
	require.NotEmpty(t, form.Get("idempotency_key"))
	form.Set("amount", "1,725.56")
	res := b.post(t, path+"/repayments", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, path+"?notice=repayment_recorded", res.location)
	require.Equal(t, 1, count())
	events := b.eventCount(t, biz.ID)

	// The same form again (a reload of the answer, the back button).
	res = b.post(t, path+"/repayments", form)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Equal(t, path+"?notice=again", res.location)
	require.Contains(t, b.get(t, res.location).body, "already submitted: nothing was done again")
	require.Equal(t, 1, count())
	require.Equal(t, events, b.eventCount(t, biz.ID), "no event either")
	d, err := b.op.LoanByID(ctx, l.ID)
	require.NoError(t, err)
	require.Equal(t, form.Get("idempotency_key"), d.Repayments[0].Reference)
	require.True(t, dec("1725.56").Equal(d.Repayments[0].Amount))

	// The same form with another amount is refused.
	other := form
	other.Set("amount", "99")
	res = b.post(t, path+"/repayments", other)
	require.Equal(t, http.StatusConflict, res.status)
	require.Contains(t, res.body, "already submitted with other values")
	require.Equal(t, 1, count())

	// A double click: one fresh form, sent twice at once.
	fresh := b.get(t, path).form(t, path+"/repayments")
	fresh.Set("amount", "100")
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { statuses[i] = b.post(t, path+"/repayments", fresh).status })
	}
	wg.Wait()
	require.Equal(t, []int{http.StatusSeeOther, http.StatusSeeOther}, statuses)
	require.Equal(t, 2, count())
}

// A form the engine or the parser refuses comes back with the reason and
// what was typed, and records nothing.
func TestRepaymentFormErrors(t *testing.T) {
	b := setup(t)
	biz, _ := b.business(t, "Acme")
	l := b.fundedLoan(t, biz.ID, "X200-0001", "20000", 12)
	b.signIn(t, b.client)
	path := "/console/loans/" + l.ID
	for _, tc := range []struct {
		amount, received, want string
	}{
		{"", "", "amount is required"},
		{"12.345", "", "at most 2 decimals"},
		{"-5", "", "amount must be an amount"},
		{"1000000000000.01", "", "at most 1000000000000.00"},
		{"100", "yesterday", "received_at must be a UTC time"},
		{"100", "2199-01-01T00:00", "must not be in the future"},
		{"100", "2020-01-01", "must not be before the loan was funded"},
	} {
		form := b.get(t, path).form(t, path+"/repayments")
		form.Set("amount", tc.amount)
		form.Set("received_at", tc.received)
		res := b.post(t, path+"/repayments", form)
		require.Equal(t, http.StatusBadRequest, res.status, "%+v: %s", tc, res.body)
		require.Contains(t, res.body, tc.want, "%+v", tc)
		require.True(t, strings.Contains(res.body, `value="`+tc.amount+`"`), "the amount typed is kept")
	}
	d, err := b.op.LoanByID(context.Background(), l.ID)
	require.NoError(t, err)
	require.Empty(t, d.Repayments)
}

// Businesses: create one (its client's secret shown on the answer, once),
// change its plan and wallet, add a client.
func TestBusinessForms(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	b.signIn(t, b.client)
	form := b.get(t, "/console/businesses").form(t, "/console/businesses")
	form.Set("name", "Delta Logistics")
	form.Set("plan", "business")
	form.Set("wallet_address", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
	res := b.post(t, "/console/businesses", form)
	require.Equal(t, http.StatusCreated, res.status, res.body)
	secret := text(one(t, res.doc, "code[id=client-secret]"))
	clientID := text(one(t, res.doc, "code[id=client-id]"))
	require.GreaterOrEqual(t, len(secret), 32, "the secret is shown")
	require.Equal(t, "no-store", res.header.Get("Cache-Control"))

	// The secret works, once shown.
	tok, err := b.engine.IssueToken(ctx, clientID, secret)
	require.NoError(t, err)
	p, err := b.engine.Authenticate(ctx, tok.Token)
	require.NoError(t, err)
	bizPath := "/console/businesses/" + p.BusinessID

	// Sending the form again creates nothing and shows no secret.
	res = b.post(t, "/console/businesses", form)
	require.Equal(t, http.StatusSeeOther, res.status)
	require.Equal(t, bizPath+"?notice=again", res.location)
	list, err := b.op.Businesses(ctx, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	page := b.get(t, res.location)
	require.NotContains(t, page.body, secret)
	require.Equal(t, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", text(one(t, page.doc, "dd[id=business-wallet] code")), "stored checksummed")

	// Plan and wallet.
	upd := page.form(t, bizPath)
	require.Equal(t, "business", upd.Get("plan"))
	upd.Set("plan", "enterprise")
	upd.Set("wallet_address", "not-an-address")
	res = b.post(t, bizPath, upd)
	require.Equal(t, http.StatusBadRequest, res.status)
	require.Contains(t, res.body, "wallet_address must be 0x followed by 40 hex digits")
	upd.Set("wallet_address", "")
	res = b.post(t, bizPath, upd)
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	biz, err := b.op.Business(ctx, p.BusinessID)
	require.NoError(t, err)
	require.Equal(t, "enterprise", string(biz.Plan))
	require.Empty(t, biz.WalletAddress)

	// Another client.
	page = b.get(t, bizPath)
	clientForm := page.form(t, bizPath+"/clients")
	res = b.post(t, bizPath+"/clients", clientForm)
	require.Equal(t, http.StatusCreated, res.status, res.body)
	second := text(one(t, res.doc, "code[id=client-secret]"))
	_, err = b.engine.IssueToken(ctx, text(one(t, res.doc, "code[id=client-id]")), second)
	require.NoError(t, err)
	res = b.post(t, bizPath+"/clients", clientForm)
	require.Equal(t, http.StatusSeeOther, res.status, "the same form again adds no client")
	require.NotContains(t, b.get(t, res.location).body, second)
}

// Retry on a dead delivery sends it again; one whose endpoint is disabled
// is the engine's conflict, said on the page.
func TestRetryDelivery(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	var mu sync.Mutex
	status := http.StatusInternalServerError
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(receiver.Close)
	biz, _ := b.business(t, "Acme")
	_, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: receiver.URL + "/hook",
		Events: []string{assetmint.EventAssetSubmitted}})
	require.NoError(t, err)
	_, err = b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Lathe", Type: assetmint.AssetEquipment, EstimatedValue: dec("1000")})
	require.NoError(t, err)
	// Every attempt fails: after the retry schedule (about three days,
	// less than the five that disable an endpoint), it is dead.
	for range 15 {
		require.NoError(t, b.engine.RunPending(ctx))
		pending, err := b.op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{Status: assetmint.DeliveryPending}, assetmint.ListParams{})
		require.NoError(t, err)
		if len(pending.Items) == 0 {
			break
		}
		b.clock.Set(pending.Items[0].NextAttemptAt.Add(time.Second))
	}
	dead, err := b.op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{Status: assetmint.DeliveryFailed}, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, dead.Items, 1)
	id := dead.Items[0].ID

	b.signIn(t, b.client)
	page := b.get(t, "/console/webhooks?list=dead")
	action := "/console/webhooks/deliveries/" + id + "/retry"
	mu.Lock()
	status = http.StatusNoContent
	mu.Unlock()
	res := b.post(t, action, page.form(t, action))
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	require.Contains(t, b.get(t, res.location).body, "The delivery is scheduled again.")
	require.NoError(t, b.engine.RunPending(ctx))
	d, err := b.db.WebhookDeliveryByID(ctx, id)
	require.NoError(t, err)
	require.Equal(t, assetmint.DeliveryDelivered, d.Status)

	// The world's 410 disabled its endpoint: retrying its delivery is
	// refused, with the engine's reason.
	w := b.world(t)
	b.signIn(t, b.client)
	page = b.get(t, "/console/webhooks?list=dead")
	action = "/console/webhooks/deliveries/" + w.dead + "/retry"
	res = b.post(t, action, page.form(t, action))
	require.Equal(t, http.StatusConflict, res.status)
	require.Contains(t, res.body, "is disabled")
}
