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
