package storetest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// The reads across businesses that operators' pages make (the book
// stores), and operator sessions.
var operatorTests = []test{
	{"AllAssetsAcrossBusinessesByStatus", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0003", "asset_0005")
		createAssets(t, s, "biz_0002", "asset_0002", "asset_0004")
		for _, id := range []string{"asset_0002", "asset_0003", "asset_0005"} {
			a, err := s.AssetByID(t.Context(), id)
			require.NoError(t, err)
			a.Status = assetmint.AssetValued
			require.NoError(t, s.UpdateAsset(t.Context(), a))
		}
		all := func(f assetmint.AssetFilter, p assetmint.ListParams) assetmint.Page[*assetmint.Asset] {
			t.Helper()
			page, err := s.AllAssets(t.Context(), f, p)
			require.NoError(t, err)
			return page
		}
		p := all(assetmint.AssetFilter{}, assetmint.ListParams{Limit: 10})
		require.Equal(t, []string{"asset_0005", "asset_0004", "asset_0003", "asset_0002", "asset_0001"}, assetIDs(p))
		require.False(t, p.HasMore)

		valued := assetmint.AssetFilter{Status: assetmint.AssetValued}
		p = all(valued, assetmint.ListParams{Limit: 2})
		require.Equal(t, []string{"asset_0005", "asset_0003"}, assetIDs(p))
		require.True(t, p.HasMore)
		require.Equal(t, "biz_0001", p.Items[0].BusinessID)
		p = all(valued, assetmint.ListParams{Limit: 2, StartingAfter: "asset_0003"})
		require.Equal(t, []string{"asset_0002"}, assetIDs(p))
		require.False(t, p.HasMore)
		require.Equal(t, "biz_0002", p.Items[0].BusinessID)
		p = all(valued, assetmint.ListParams{Limit: 2, EndingBefore: "asset_0002"})
		require.Equal(t, []string{"asset_0005", "asset_0003"}, assetIDs(p))
		require.Empty(t, assetIDs(all(assetmint.AssetFilter{Status: assetmint.AssetPledged}, assetmint.ListParams{Limit: 10})))
	}},
	{"CountAssetsByStatus", func(t *testing.T, s assetmint.Store) {
		n, err := s.CountAssets(t.Context())
		require.NoError(t, err)
		require.Empty(t, n)
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002", "asset_0003")
		createAssets(t, s, "biz_0002", "asset_0004")
		a, err := s.AssetByID(t.Context(), "asset_0004")
		require.NoError(t, err)
		a.Status = assetmint.AssetRejected
		require.NoError(t, s.UpdateAsset(t.Context(), a))
		n, err = s.CountAssets(t.Context())
		require.NoError(t, err)
		require.Equal(t, map[assetmint.AssetStatus]int{assetmint.AssetPendingValuation: 3, assetmint.AssetRejected: 1}, n)
	}},
	{"LoanTalliesByStatusAndDaysPastDue", func(t *testing.T, s assetmint.Store) {
		tallies, err := s.LoanTallies(t.Context())
		require.NoError(t, err)
		require.Empty(t, tallies)

		createBusinesses(t, s, "biz_0001", "biz_0002")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002", "asset_0003", "asset_0004")
		createTokenized(t, s, "biz_0002", "asset_0005", "asset_0006")
		// Amounts whose sum a float would get wrong, one at the limit of
		// what a loan may be, and two businesses in one tally.
		funded := []struct {
			business, asset, id, currency, outstanding string
			dpd                                        int
		}{
			{"biz_0001", "asset_0001", "loan_0001", "USD", "0.10", 0},
			{"biz_0001", "asset_0002", "loan_0002", "USD", "0.20", 0},
			{"biz_0002", "asset_0005", "loan_0005", "USD", "999999999999.99", 0},
			{"biz_0001", "asset_0003", "loan_0003", "USD", "1725.56", 17},
			{"biz_0002", "asset_0006", "loan_0006", "EUR", "0.01", 17},
		}
		for _, f := range funded {
			l := fundedLoan(t, f.business, f.asset, f.id)
			l.Currency, l.OutstandingPrincipal, l.DaysPastDue = f.currency, decimal.RequireFromString(f.outstanding), f.dpd
			require.NoError(t, s.CreateLoan(t.Context(), l))
		}
		require.NoError(t, s.CreateLoan(t.Context(), newLoan("biz_0001", "asset_0004", "loan_0004")))

		tallies, err = s.LoanTallies(t.Context())
		require.NoError(t, err)
		type key struct {
			status   assetmint.LoanStatus
			dpd      int
			currency string
		}
		got := map[key]assetmint.LoanTally{}
		for _, tl := range tallies {
			k := key{tl.Status, tl.DaysPastDue, tl.Currency}
			require.NotContains(t, got, k, "one tally per status, days past due and currency")
			got[k] = tl
		}
		require.Len(t, got, 4)
		want := []struct {
			k           key
			count       int
			outstanding string
		}{
			{key{assetmint.LoanFunded, 0, "USD"}, 3, "1000000000000.29"},
			{key{assetmint.LoanFunded, 17, "USD"}, 1, "1725.56"},
			{key{assetmint.LoanFunded, 17, "EUR"}, 1, "0.01"},
			{key{assetmint.LoanSubmitted, 0, "USD"}, 1, "0"},
		}
		for _, w := range want {
			tl, ok := got[w.k]
			require.True(t, ok, "tally %v", w.k)
			require.Equal(t, w.count, tl.Count, "%v", w.k)
			require.True(t, decimal.RequireFromString(w.outstanding).Equal(tl.OutstandingPrincipal),
				"%v: want %s, got %s", w.k, w.outstanding, tl.OutstandingPrincipal)
		}
	}},
	{"LoanTalliesOfAmountsBeyondCents", func(t *testing.T, s assetmint.Store) {
		// The Engine keeps principal in cents; a store sums whatever it
		// holds exactly all the same.
		createBusinesses(t, s, "biz_0001")
		createTokenized(t, s, "biz_0001", "asset_0001", "asset_0002")
		for i, amount := range []string{"0.005", "1000000000000.005"} {
			l := fundedLoan(t, "biz_0001", []string{"asset_0001", "asset_0002"}[i], []string{"loan_0001", "loan_0002"}[i])
			l.OutstandingPrincipal, l.DaysPastDue = decimal.RequireFromString(amount), 3
			require.NoError(t, s.CreateLoan(t.Context(), l))
		}
		tallies, err := s.LoanTallies(t.Context())
		require.NoError(t, err)
		require.Len(t, tallies, 1)
		require.Equal(t, 2, tallies[0].Count)
		require.True(t, decimal.RequireFromString("1000000000000.01").Equal(tallies[0].OutstandingPrincipal), "got %s", tallies[0].OutstandingPrincipal)
	}},
	{"WebhookDeliveriesAcrossBusinesses", func(t *testing.T, s assetmint.Store) {
		deliveryFixture(t, s)
		failing := newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")
		failing.Attempts, failing.LastStatusCode, failing.LastError = 2, 503, "HTTP 503"
		fresh := newDelivery("biz_0001", "we_0002", "evt_0001", "whd_0002")
		dead := newDelivery("biz_0002", "we_0003", "evt_0004", "whd_0003")
		dead.Status, dead.Attempts, dead.NextAttemptAt = assetmint.DeliveryFailed, 10, time.Time{}
		delivered := newDelivery("biz_0001", "we_0001", "evt_0002", "whd_0004")
		delivered.Status, delivered.Attempts, delivered.DeliveredAt = assetmint.DeliveryDelivered, 1, at(time.Minute)
		for _, d := range []*assetmint.WebhookDelivery{failing, fresh, dead, delivered} {
			require.NoError(t, s.CreateWebhookDelivery(t.Context(), d))
		}

		got, err := s.WebhookDeliveryByID(t.Context(), "whd_0003")
		require.NoError(t, err)
		require.Equal(t, dead, got)
		_, err = s.WebhookDeliveryByID(t.Context(), "whd_9999")
		requireCode(t, assetmint.ENOTFOUND, err)

		list := func(f assetmint.DeliveryFilter, p assetmint.ListParams) assetmint.Page[*assetmint.WebhookDelivery] {
			t.Helper()
			page, err := s.AllWebhookDeliveries(t.Context(), f, p)
			require.NoError(t, err)
			return page
		}
		ten := assetmint.ListParams{Limit: 10}
		require.Equal(t, []string{"whd_0004", "whd_0003", "whd_0002", "whd_0001"}, deliveryIDs(list(assetmint.DeliveryFilter{}, ten)))
		require.Equal(t, []string{"whd_0002", "whd_0001"}, deliveryIDs(list(assetmint.DeliveryFilter{Status: assetmint.DeliveryPending}, ten)))
		require.Equal(t, []string{"whd_0001"}, deliveryIDs(list(assetmint.DeliveryFilter{Status: assetmint.DeliveryPending, Attempted: true}, ten)))
		require.Equal(t, []string{"whd_0003"}, deliveryIDs(list(assetmint.DeliveryFilter{Status: assetmint.DeliveryFailed}, ten)))
		require.Equal(t, []string{"whd_0004", "whd_0003", "whd_0001"}, deliveryIDs(list(assetmint.DeliveryFilter{Attempted: true}, ten)))
		p := list(assetmint.DeliveryFilter{}, assetmint.ListParams{Limit: 2, StartingAfter: "whd_0004"})
		require.Equal(t, []string{"whd_0003", "whd_0002"}, deliveryIDs(p))
		require.True(t, p.HasMore)
	}},
	{"FailingWebhookEndpoints", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createEndpoints(t, s, "biz_0001", "we_0001", "we_0002", "we_0003")
		createEndpoints(t, s, "biz_0002", "we_0004", "we_0005")
		change := func(businessID, id string, fn func(w *assetmint.WebhookEndpoint)) {
			w := readEndpoint(t, s, businessID, id)
			fn(w)
			require.NoError(t, s.UpdateWebhookEndpoint(t.Context(), w))
		}
		// we_0001 is healthy, we_0002 failing, we_0003 deleted while failing,
		// we_0004 disabled (by a 410, never failing before), we_0005 failing.
		change("biz_0001", "we_0002", func(w *assetmint.WebhookEndpoint) { w.FailingSince = at(time.Hour) })
		change("biz_0001", "we_0003", func(w *assetmint.WebhookEndpoint) {
			w.FailingSince, w.Status = at(time.Hour), assetmint.EndpointDeleted
		})
		change("biz_0002", "we_0004", func(w *assetmint.WebhookEndpoint) {
			w.Status, w.DisabledReason = assetmint.EndpointDisabled, "the endpoint answered 410 Gone"
		})
		change("biz_0002", "we_0005", func(w *assetmint.WebhookEndpoint) { w.FailingSince = at(2 * time.Hour) })

		page, err := s.FailingWebhookEndpoints(t.Context(), assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"we_0005", "we_0004", "we_0002"}, endpointIDs(page.Items))
		require.False(t, page.HasMore)
		requireEndpointEqual(t, readEndpoint(t, s, "biz_0002", "we_0004"), page.Items[1])
		page, err = s.FailingWebhookEndpoints(t.Context(), assetmint.ListParams{Limit: 1, StartingAfter: "we_0005"})
		require.NoError(t, err)
		require.Equal(t, []string{"we_0004"}, endpointIDs(page.Items))
		require.True(t, page.HasMore)
	}},
	{"DeadJobs", func(t *testing.T, s assetmint.Store) {
		recent, total, err := s.DeadJobs(t.Context(), 10)
		require.NoError(t, err)
		require.Empty(t, recent)
		require.Zero(t, total)

		// Three dead jobs that died in another order than they were
		// enqueued, one completed and one pending.
		var dead []*jobs.Job
		for i, key := range []string{"dead-1", "dead-2", "dead-3"} {
			j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: key, MaxAttempts: 1}, t0)
			require.Len(t, claim(t, s, "w1", t0, 1), 1)
			died := at(time.Duration(3-i) * time.Minute)
			require.NoError(t, s.KillJob(t.Context(), j.ID, "w1", 1, "boom "+key, died))
			dead = append(dead, j)
		}
		done := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "done"}, t0)
		require.Len(t, claim(t, s, "w1", t0, 1), 1)
		require.NoError(t, s.CompleteJob(t.Context(), done.ID, "w1", 1, at(time.Hour)))
		enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "pending"}, t0)

		recent, total, err = s.DeadJobs(t.Context(), 2)
		require.NoError(t, err)
		require.Equal(t, 3, total)
		require.Equal(t, []int64{dead[0].ID, dead[1].ID}, jobIDs(recent))
		require.Equal(t, jobs.StatusDead, recent[0].Status)
		require.Equal(t, "boom dead-1", recent[0].LastError)
		require.True(t, recent[0].FinishedAt.Equal(at(3*time.Minute)), "finished at %s", recent[0].FinishedAt)
	}},
	{"OperatorSessions", func(t *testing.T, s assetmint.Store) {
		_, err := s.OperatorSession(t.Context(), "absent")
		requireCode(t, assetmint.ENOTFOUND, err)

		a := &assetmint.OperatorSession{ID: hashOf("token-a"), CreatedAt: t0, ExpiresAt: at(time.Hour)}
		b := &assetmint.OperatorSession{ID: hashOf("token-b"), CreatedAt: t0, ExpiresAt: at(8 * time.Hour)}
		require.NoError(t, s.CreateOperatorSession(t.Context(), a))
		require.NoError(t, s.CreateOperatorSession(t.Context(), b))
		requireCode(t, assetmint.ECONFLICT, s.CreateOperatorSession(t.Context(), a))
		got, err := s.OperatorSession(t.Context(), a.ID)
		require.NoError(t, err)
		require.Equal(t, a, got)

		// Deleting ends one session; deleting it again is not an error.
		require.NoError(t, s.DeleteOperatorSession(t.Context(), a.ID))
		require.NoError(t, s.DeleteOperatorSession(t.Context(), a.ID))
		_, err = s.OperatorSession(t.Context(), a.ID)
		requireCode(t, assetmint.ENOTFOUND, err)

		// Pruning deletes what expired before the time given, and only that.
		c := &assetmint.OperatorSession{ID: hashOf("token-c"), CreatedAt: t0, ExpiresAt: at(time.Hour)}
		require.NoError(t, s.CreateOperatorSession(t.Context(), c))
		n, err := s.PruneOperatorSessions(t.Context(), at(time.Hour))
		require.NoError(t, err)
		require.Zero(t, n, "a session expiring at the time given is not yet pruned")
		n, err = s.PruneOperatorSessions(t.Context(), at(2*time.Hour))
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, err = s.OperatorSession(t.Context(), c.ID)
		requireCode(t, assetmint.ENOTFOUND, err)
		got, err = s.OperatorSession(t.Context(), b.ID)
		require.NoError(t, err)
		require.Equal(t, b, got)
	}},
}
