package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// writeAll makes the writes of one use case: an asset, its event and a
// follow-up job.
func writeAll(t *testing.T, tx assetmint.Tx) {
	t.Helper()
	require.NoError(t, tx.CreateAsset(t.Context(), newAsset("biz_0001", "asset_0001")))
	require.NoError(t, tx.AppendEvent(t.Context(), newEvent("biz_0001", "evt_0001", assetmint.EventAssetSubmitted, t0)))
	ok, err := tx.EnqueueJob(t.Context(), jobs.New{Kind: "asset.value", UniqueKey: "asset.value:asset_0001"}, t0)
	require.NoError(t, err)
	require.True(t, ok)
}

// requireNoneWritten checks that nothing of writeAll is visible.
func requireNoneWritten(t *testing.T, s assetmint.Store) {
	t.Helper()
	_, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
	requireCode(t, assetmint.ENOTFOUND, err)
	p, err := s.Events(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
	require.NoError(t, err)
	require.Empty(t, p.Items)
	_, err = s.JobByKey(t.Context(), "asset.value:asset_0001")
	require.ErrorIs(t, err, jobs.ErrNotFound)
}

var txTests = []test{
	{"OutcomesCommitWithTheTx", func(t *testing.T, s assetmint.Store) {
		// A job handler's effect and its job's completion in one
		// transaction (jobs.ErrRecorded): both commit, or neither.
		createBusinesses(t, s, "biz_0001")
		for _, key := range []string{"job_0001", "job_0002"} {
			enqueue(t, s, jobs.New{Kind: "task", UniqueKey: key}, t0)
		}
		claimed := claim(t, s, "w1", t0, 2)
		require.Len(t, claimed, 2)
		now := at(time.Second)
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			errs, err := tx.RecordOutcomes(t.Context(), []jobs.Outcome{jobs.Completion(claimed[0], now)})
			require.NoError(t, err)
			require.NoError(t, errs[0])
			return boom
		})
		require.ErrorIs(t, err, boom)
		requireNoneWritten(t, s)
		require.Equal(t, jobs.StatusRunning, readJob(t, s, claimed[0].ID).Status, "the completion rolled back with the rest")

		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			stale := jobs.Completion(claimed[1], now)
			stale.Attempt++ // not the attempt w1 holds
			errs, err := tx.RecordOutcomes(t.Context(), []jobs.Outcome{jobs.Completion(claimed[0], now), stale})
			require.NoError(t, err)
			require.NoError(t, errs[0])
			require.ErrorIs(t, errs[1], jobs.ErrLeaseLost, "fenced as outside a transaction")
			return nil
		}))
		_, err = s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err, "the other writes committed")
		done := readJob(t, s, claimed[0].ID)
		require.Equal(t, jobs.StatusCompleted, done.Status)
		require.Equal(t, now, done.FinishedAt)
		require.Empty(t, done.LeasedBy)
		require.Equal(t, jobs.StatusRunning, readJob(t, s, claimed[1].ID).Status, "a lease not held changed nothing")
	}},
	{"ReadTxSeesOneSnapshot", func(t *testing.T, s assetmint.Store) {
		rt, ok := s.(assetmint.ReadTxer)
		if !ok {
			t.Skip("the store has no InReadTx")
		}
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.CreateAsset(t.Context(), newAsset("biz_0001", "asset_0001")))
		boom := errors.New("boom")
		err := rt.InReadTx(t.Context(), func(tx assetmint.Tx) error {
			a, err := tx.Asset(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			name := a.Name
			changed := *a
			changed.Name = name + " (renamed)"
			require.NoError(t, s.UpdateAsset(t.Context(), &changed), "a write outside goes through")
			again, err := tx.Asset(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			require.Equal(t, name, again.Name, "the read transaction keeps its snapshot")
			require.Error(t, tx.UpdateAsset(t.Context(), &changed), "a write inside fails")
			return boom
		})
		require.ErrorIs(t, err, boom, "InReadTx returns fn's error")
		a, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Contains(t, a.Name, "(renamed)")
	}},
	{"CommitsTogether", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			return nil
		}))
		_, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		p, err := s.Events(t.Context(), "biz_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		j, err := s.JobByKey(t.Context(), "asset.value:asset_0001")
		require.NoError(t, err)
		require.Equal(t, "asset.value", j.Kind)
	}},
	{"ErrorRollsBackEverything", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			return boom
		})
		require.ErrorIs(t, err, boom, "InTx returns fn's error")
		requireNoneWritten(t, s)
	}},
	{"PanicRollsBackAndPanics", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.PanicsWithValue(t, "boom", func() {
			_ = s.InTx(t.Context(), func(tx assetmint.Tx) error {
				writeAll(t, tx)
				panic("boom")
			})
		})
		requireNoneWritten(t, s)
		// The store still works after the panic.
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			return nil
		}))
	}},
	{"StoreErrorInsideRollsBack", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			return tx.CreateBusiness(t.Context(), newBusiness("biz_0001")) // duplicate
		})
		requireCode(t, assetmint.ECONFLICT, err)
		requireNoneWritten(t, s)
	}},
	{"ReadsOwnWrites", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			writeAll(t, tx)
			a, err := tx.Asset(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			require.Equal(t, "asset_0001", a.ID)
			p, err := tx.Assets(t.Context(), "biz_0001", assetmint.AssetFilter{}, assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"asset_0001"}, assetIDs(p))
			a.Status = assetmint.AssetValued
			require.NoError(t, tx.UpdateAsset(t.Context(), a))
			a, err = tx.Asset(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			require.Equal(t, assetmint.AssetValued, a.Status)
			return nil
		}))
	}},
	{"RefusedInsertsLeaveTheTransactionUsable", func(t *testing.T, s assetmint.Store) {
		// An insert refused for a duplicate or a missing parent reports its
		// error and the transaction goes on: the fan-out goes on after a
		// delivery that exists.
		deliveryFixture(t, s) // biz_0001 with endpoint we_0001 and event evt_0001
		createTokenized(t, s, "biz_0001", "asset_0001")
		require.NoError(t, s.CreateLoan(t.Context(), fundedLoan(t, "biz_0001", "asset_0001", "loan_0001")))
		require.NoError(t, s.CreateRepayment(t.Context(), newRepayment("biz_0001", "loan_0001", "pay_0001", t0)))
		require.NoError(t, s.CreateWebhookDelivery(t.Context(), newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0001")))

		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			ctx := t.Context()
			requireCode(t, assetmint.ECONFLICT, tx.CreateBusiness(ctx, newBusiness("biz_0001")))
			requireCode(t, assetmint.ECONFLICT, tx.CreateAsset(ctx, newAsset("biz_0001", "asset_0001")))
			requireCode(t, assetmint.ENOTFOUND, tx.CreateAsset(ctx, newAsset("biz_0404", "asset_0002")))
			requireCode(t, assetmint.ECONFLICT, tx.CreateLoan(ctx, newLoan("biz_0001", "asset_0001", "loan_0002")))
			requireCode(t, assetmint.ENOTFOUND, tx.CreateLoan(ctx, newLoan("biz_0001", "asset_0404", "loan_0003")))
			again := newRepayment("biz_0001", "loan_0001", "pay_0002", t0)
			again.Reference = "ref-pay_0001"
			requireCode(t, assetmint.ECONFLICT, tx.CreateRepayment(ctx, again))
			requireCode(t, assetmint.ECONFLICT, tx.CreateWebhookDelivery(ctx, newDelivery("biz_0001", "we_0001", "evt_0001", "whd_0002")))
			requireCode(t, assetmint.ENOTFOUND, tx.CreateWebhookDelivery(ctx, newDelivery("biz_0001", "we_0404", "evt_0001", "whd_0003")))
			requireCode(t, assetmint.ECONFLICT, tx.AppendEvent(ctx, newEvent("biz_0001", "evt_0001", assetmint.EventAssetSubmitted, t0)))
			requireCode(t, assetmint.ENOTFOUND, tx.UpdateAsset(ctx, newAsset("biz_0001", "asset_0404")))
			_, err := tx.Loan(ctx, "biz_0001", "loan_0404")
			requireCode(t, assetmint.ENOTFOUND, err)
			// The transaction still writes, and commits.
			require.NoError(t, tx.AppendEvent(ctx, newEvent("biz_0001", "evt_0009", assetmint.EventAssetUpdated, t0)))
			return tx.CreateWebhookDelivery(ctx, newDelivery("biz_0001", "we_0001", "evt_0009", "whd_0009"))
		}))
		_, err := s.Event(t.Context(), "biz_0001", "evt_0009")
		require.NoError(t, err)
		require.Equal(t, []string{"whd_0009", "whd_0001"}, listDeliveries(t, s, "biz_0001", "we_0001"))
	}},
	{"RolledBackEnqueueLeavesNoJob", func(t *testing.T, s assetmint.Store) {
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			ok, err := tx.EnqueueJob(t.Context(), jobs.New{Kind: "webhook.deliver", UniqueKey: "dlv_0001"}, t0)
			require.NoError(t, err)
			require.True(t, ok)
			return errors.New("changed my mind")
		})
		require.Error(t, err)
		_, err = s.JobByKey(t.Context(), "dlv_0001")
		require.ErrorIs(t, err, jobs.ErrNotFound)
		got, err := s.ClaimJobs(t.Context(), jobs.Claim{Worker: "w1", Kinds: []string{"webhook.deliver"}, Limit: 10, Lease: lease, Now: at(time.Hour)})
		require.NoError(t, err)
		require.Empty(t, got)
		// The key is free: enqueueing again works.
		ok, err := s.EnqueueJob(t.Context(), jobs.New{Kind: "webhook.deliver", UniqueKey: "dlv_0001"}, t0)
		require.NoError(t, err)
		require.True(t, ok)
	}},
}
