package assetmint_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/lending"
)

// An operator session lives until it expires or ends, on every instance:
// it is in the store, by the hash of its token.
func TestOperatorSessions(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	op := b.engine.Operator()

	_, _, err := op.StartSession(ctx, 0)
	require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err))

	token, s, err := op.StartSession(ctx, time.Hour)
	require.NoError(t, err)
	require.Len(t, token, 43, "32 random bytes, base64url")
	require.True(t, s.ExpiresAt.Equal(b.clock.Now().Add(time.Hour)))
	stored, err := b.db.OperatorSession(ctx, s.ID)
	require.NoError(t, err)
	require.NotContains(t, stored.ID, token, "the store keeps a hash of the token, not the token")

	// Another Engine over the same store knows the session.
	other, err := assetmint.New(b.db, assetmint.Config{MasterKey: testMasterKey, Now: b.clock.Now})
	require.NoError(t, err)
	got, err := other.Operator().Session(ctx, token)
	require.NoError(t, err)
	require.Equal(t, s.ID, got.ID)

	for _, bad := range []string{"", "nope", token + "x"} {
		_, err := op.Session(ctx, bad)
		require.Equal(t, assetmint.EUNAUTHORIZED, assetmint.ErrorCode(err), bad)
		require.ErrorIs(t, err, assetmint.ErrInvalidSession)
	}

	// It expires.
	b.clock.Advance(time.Hour)
	_, err = op.Session(ctx, token)
	require.ErrorIs(t, err, assetmint.ErrInvalidSession)

	// Ending one ends it for every instance; ending it again is no error.
	b.clock.Advance(-time.Minute)
	second, _, err := op.StartSession(ctx, time.Hour)
	require.NoError(t, err)
	require.NoError(t, other.Operator().EndSession(ctx, second))
	require.NoError(t, op.EndSession(ctx, second))
	_, err = op.Session(ctx, second)
	require.ErrorIs(t, err, assetmint.ErrInvalidSession)
}

// The hourly maintenance deletes expired operator sessions.
func TestMaintenancePrunesExpiredSessions(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	_, old, err := b.engine.Operator().StartSession(ctx, time.Minute)
	require.NoError(t, err)
	live, fresh, err := b.engine.Operator().StartSession(ctx, 3*time.Hour)
	require.NoError(t, err)
	b.clock.Advance(2 * time.Hour)

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- b.engine.Run(runCtx) }()
	key := assetmint.JobMaintenance + "@2026-03-31T16:00:00Z"
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if j, err := b.db.JobByKey(ctx, key); err == nil && j.Status == jobs.StatusCompleted {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	require.NoError(t, <-done)
	_, err = b.db.OperatorSession(ctx, old.ID)
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "the expired session is pruned")
	_, err = b.db.OperatorSession(ctx, fresh.ID)
	require.NoError(t, err)
	_, err = b.engine.Operator().Session(ctx, live)
	require.NoError(t, err)
}

// Operators read assets and documents across businesses; the filter and
// the document's asset are checked.
func TestOperatorReadsAssetsAcrossBusinesses(t *testing.T) {
	b := flowSetup(t, func(c *assetmint.Config) { c.Valuation.ManualVerification = true })
	ctx := context.Background()
	op := b.engine.Operator()
	one, _, err := op.CreateBusiness(ctx, assetmint.NewBusiness{Name: "One"})
	require.NoError(t, err)
	two, _, err := op.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Two"})
	require.NoError(t, err)
	a1 := cnc(t, b.engine, one.ID)
	doc, err := b.engine.UploadDocument(ctx, one.ID, invoice(a1.ID, "X200-0001"))
	require.NoError(t, err)
	a2 := cnc(t, b.engine, two.ID)
	b.settle(t, one.ID, a1.ID, assetmint.AssetValued)
	b.settle(t, two.ID, a2.ID, assetmint.AssetValued)

	_, err = op.AllAssets(ctx, assetmint.AssetFilter{Status: "lost"}, assetmint.ListParams{})
	require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err))
	require.Equal(t, "status", assetmint.ErrorParam(err))
	page, err := op.AllAssets(ctx, assetmint.AssetFilter{Status: assetmint.AssetValued}, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, a2.ID, page.Items[0].ID, "newest first")
	counts, err := op.AssetCounts(ctx)
	require.NoError(t, err)
	require.Equal(t, map[assetmint.AssetStatus]int{assetmint.AssetValued: 2}, counts)

	d, err := op.AssetDetails(ctx, a1.ID)
	require.NoError(t, err)
	require.Equal(t, one.ID, d.BusinessID)
	require.Len(t, d.Documents, 1)
	require.NotNil(t, d.Valuation)
	_, err = op.AssetDetails(ctx, "asset_none")
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err))

	got, rc, err := op.OpenDocument(ctx, a1.ID, doc.ID)
	require.NoError(t, err)
	body, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	require.Equal(t, pdf+"X200-0001", string(body))
	require.Equal(t, doc.ID, got.ID)
	_, _, err = op.OpenDocument(ctx, a2.ID, doc.ID)
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "a document is opened through its own asset only")
}

// The loan book counts loans by status and puts funded ones in the bucket
// of their days past due, as the servicing sweep left them.
func TestLoanBook(t *testing.T) {
	b, _, biz, a := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	ctx := context.Background()
	op := b.engine.Operator()
	book, err := op.LoanBook(ctx)
	require.NoError(t, err)
	require.Empty(t, book.Loans)
	require.Empty(t, book.Funded)

	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("20000"), TermMonths: 12})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Equal(t, assetmint.LoanFunded, loanDetails(t, b, biz, l.ID).Status)

	// 40 days after the first due date, swept: 31-60.
	b.clock.Advance(30*24*time.Hour + 40*24*time.Hour)
	_, err = op.ServiceLoans(ctx)
	require.NoError(t, err)
	d := loanDetails(t, b, biz, l.ID)
	require.Equal(t, lending.Bucket31To60, d.Position.Delinquency.Bucket)

	book, err = op.LoanBook(ctx)
	require.NoError(t, err)
	require.Equal(t, map[assetmint.LoanStatus]int{assetmint.LoanFunded: 1}, book.Loans)
	require.Len(t, book.Funded, 1)
	usd := book.Funded[0]
	require.Equal(t, "USD", usd.Currency)
	require.Equal(t, 1, usd.Count)
	require.True(t, dec("20000").Equal(usd.Outstanding), "outstanding %s", usd.Outstanding)
	want := []lending.Bucket{lending.BucketCurrent, lending.Bucket1To30, lending.Bucket31To60, lending.Bucket61To90, lending.Bucket90Plus}
	require.Len(t, usd.Delinquency, len(want))
	for i, bt := range usd.Delinquency {
		require.Equal(t, want[i], bt.Bucket)
		if bt.Bucket == lending.Bucket31To60 {
			require.Equal(t, 1, bt.Count)
			require.True(t, dec("20000").Equal(bt.Outstanding))
		} else {
			require.Zero(t, bt.Count, bt.Bucket)
			require.True(t, bt.Outstanding.IsZero())
		}
	}
}

// Operators see failing endpoints (without their secrets) and failing
// deliveries across businesses, and retry a delivery by its id alone.
func TestOperatorWatchesAndRetriesDeliveries(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	op := b.engine.Operator()
	biz, _, err := op.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	fail := true
	rc := newReceiver(t, b.clock.Now, func(int) int {
		if fail {
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	w := b.endpoint(t, biz.ID, rc, assetmint.EventAssetSubmitted)
	cnc(t, b.engine, biz.ID)
	require.NoError(t, b.engine.RunPending(ctx))

	endpoints, err := op.FailingWebhookEndpoints(ctx, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, endpoints.Items, 1)
	require.Equal(t, w.ID, endpoints.Items[0].ID)
	require.Empty(t, endpoints.Items[0].Secret, "the operator's view carries no secret")
	require.False(t, endpoints.Items[0].FailingSince.IsZero())

	_, err = op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{Status: "stuck"}, assetmint.ListParams{})
	require.Equal(t, "status", assetmint.ErrorParam(err))
	failing, err := op.AllWebhookDeliveries(ctx, assetmint.DeliveryFilter{Status: assetmint.DeliveryPending, Attempted: true}, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, failing.Items, 1)
	id := failing.Items[0].ID
	_, err = op.RetryWebhookDelivery(ctx, id)
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "a pending delivery has its next attempt scheduled")

	// Its retry succeeds; the operator sends it again by id.
	fail = false
	b.clock.Advance(10 * time.Second)
	require.NoError(t, b.engine.RunPending(ctx))
	endpoints, err = op.FailingWebhookEndpoints(ctx, assetmint.ListParams{})
	require.NoError(t, err)
	require.Empty(t, endpoints.Items, "a success ends the failing")
	d, err := op.RetryWebhookDelivery(ctx, id)
	require.NoError(t, err)
	require.Equal(t, assetmint.DeliveryPending, d.Status)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Len(t, rc.deliveries(), 3, "two attempts, then the operator's retry")
	_, err = op.RetryWebhookDelivery(ctx, "dlv_none")
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err))

	_, _, err = op.DeadJobs(ctx, 0)
	require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err))
	recent, total, err := op.DeadJobs(ctx, 5)
	require.NoError(t, err)
	require.Zero(t, total)
	require.Empty(t, recent)
}
