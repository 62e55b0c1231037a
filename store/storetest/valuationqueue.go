package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// valuationQueue returns s's ValuationQueue, or skips the test for a store
// without one (it is optional: the Engine enqueues valuation jobs then).
func valuationQueue(t *testing.T, s assetmint.Store) assetmint.ValuationQueue {
	t.Helper()
	q, ok := s.(assetmint.ValuationQueue)
	if !ok {
		t.Skipf("%T has no ValuationQueue", s)
	}
	return q
}

// queueValuations queues vs in one transaction.
func queueValuations(t *testing.T, s assetmint.Store, vs ...*assetmint.QueuedValuation) {
	t.Helper()
	require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
		q, ok := tx.(assetmint.ValuationQueuer)
		require.True(t, ok, "a store with a ValuationQueue queues valuations in its transactions")
		for _, v := range vs {
			if err := q.QueueValuation(t.Context(), v); err != nil {
				return err
			}
		}
		return nil
	}))
}

// takeValuation takes a leased valuation off the queue in a transaction of
// its own.
func takeValuation(t *testing.T, s assetmint.Store, v *assetmint.QueuedValuation, worker string, attempt int) (*assetmint.QueuedValuation, error) {
	t.Helper()
	var got *assetmint.QueuedValuation
	err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
		var err error
		got, err = tx.(assetmint.ValuationQueuer).TakeValuation(t.Context(), v.ID, v.ValuationID, worker, attempt)
		return err
	})
	return got, err
}

func claimValuations(t *testing.T, q assetmint.ValuationQueue, worker string, now time.Time, limit int) []*assetmint.QueuedValuation {
	t.Helper()
	got, err := q.ClaimValuations(t.Context(), jobs.Claim{Worker: worker, Limit: limit, Lease: lease, Now: now})
	require.NoError(t, err)
	require.NotNil(t, got)
	return got
}

func queued(asset string, revision int64) *assetmint.QueuedValuation {
	return &assetmint.QueuedValuation{BusinessID: "biz_1", AssetID: asset, ValuationID: "val_" + asset, Revision: revision, AsOf: t0}
}

func queuedIDs(vs []*assetmint.QueuedValuation) []string {
	return idsOf(vs, func(v *assetmint.QueuedValuation) string { return v.ValuationID })
}

var valuationQueueTests = []test{
	{"ClaimsInQueueOrder", func(t *testing.T, s assetmint.Store) {
		q := valuationQueue(t, s)
		first, second := queued("asset_2", 0), queued("asset_1", 2)
		queueValuations(t, s, first, second)
		require.NotZero(t, first.ID)
		require.NotEqual(t, first.ID, second.ID)
		third := queued("asset_3", 0)
		queueValuations(t, s, third)

		got := claimValuations(t, q, "w1", t0, 2)
		require.Equal(t, []string{"val_asset_2", "val_asset_1"}, queuedIDs(got), "in the order queued")
		v := got[1]
		require.Equal(t, second.ID, v.ID)
		require.Equal(t, "biz_1", v.BusinessID)
		require.Equal(t, "asset_1", v.AssetID)
		require.Equal(t, int64(2), v.Revision)
		require.True(t, t0.Equal(v.AsOf), "as_of keeps its nanoseconds: %s", v.AsOf)
		require.Equal(t, 1, v.Attempt)
		require.Equal(t, "w1", v.LeasedBy)
		require.True(t, at(lease).Equal(v.LeasedUntil))

		require.Equal(t, []string{"val_asset_3"}, queuedIDs(claimValuations(t, q, "w2", at(time.Second), 10)), "leased ones are passed")
		require.Empty(t, claimValuations(t, q, "w2", at(time.Second), 10))
	}},
	{"ClaimLimit", func(t *testing.T, s assetmint.Store) {
		q := valuationQueue(t, s)
		queueValuations(t, s, queued("asset_1", 0), queued("asset_2", 0), queued("asset_3", 0))
		require.Empty(t, claimValuations(t, q, "w1", t0, 0), "limit 0 claims nothing")
		require.Len(t, claimValuations(t, q, "w1", t0, 2), 2)
		require.Len(t, claimValuations(t, q, "w1", t0, 2), 1)
		_, err := q.ClaimValuations(t.Context(), jobs.Claim{Limit: 1, Lease: lease, Now: t0})
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), "a claim names its worker")
		_, err = q.ClaimValuations(t.Context(), jobs.Claim{Worker: "w1", Limit: 1, Now: t0})
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), "a claim has a lease")
	}},
	{"TakeIsFencedByTheLease", func(t *testing.T, s assetmint.Store) {
		q := valuationQueue(t, s)
		v := queued("asset_1", 0)
		queueValuations(t, s, v)
		claimValuations(t, q, "w1", t0, 1)

		_, err := takeValuation(t, s, v, "w2", 1)
		require.ErrorIs(t, err, jobs.ErrLeaseLost, "another worker's lease")
		_, err = takeValuation(t, s, v, "w1", 2)
		require.ErrorIs(t, err, jobs.ErrLeaseLost, "another attempt")
		other := *v
		other.ValuationID = "val_other"
		_, err = takeValuation(t, s, &other, "w1", 1)
		require.ErrorIs(t, err, jobs.ErrNotFound, "the id queued for another valuation")

		// A take rolled back with its transaction leaves the valuation queued.
		boom := errors.New("boom")
		err = s.InTx(t.Context(), func(tx assetmint.Tx) error {
			if _, err := tx.(assetmint.ValuationQueuer).TakeValuation(t.Context(), v.ID, v.ValuationID, "w1", 1); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)

		got, err := takeValuation(t, s, v, "w1", 1)
		require.NoError(t, err)
		require.Equal(t, v.ValuationID, got.ValuationID)
		_, err = takeValuation(t, s, v, "w1", 1)
		require.ErrorIs(t, err, jobs.ErrNotFound, "taken already")
		require.Empty(t, claimValuations(t, q, "w2", at(time.Hour), 10), "a taken valuation is gone")
	}},
	{"ExpiredLeaseIsClaimedAgain", func(t *testing.T, s assetmint.Store) {
		q := valuationQueue(t, s)
		v := queued("asset_1", 0)
		queueValuations(t, s, v)
		claimValuations(t, q, "w1", t0, 1)
		require.Empty(t, claimValuations(t, q, "w2", at(lease-time.Nanosecond), 1), "the lease is live")
		got := claimValuations(t, q, "w2", at(lease), 1)
		require.Len(t, got, 1)
		require.Equal(t, 2, got[0].Attempt)
		require.Equal(t, "w2", got[0].LeasedBy)

		require.ErrorIs(t, q.ExtendValuationLease(t.Context(), v.ID, "w1", 1, at(time.Hour)), jobs.ErrLeaseLost)
		_, err := takeValuation(t, s, v, "w1", 1)
		require.ErrorIs(t, err, jobs.ErrLeaseLost, "the first holder's take is refused")

		require.NoError(t, q.ExtendValuationLease(t.Context(), v.ID, "w2", 2, at(3*lease)))
		require.Empty(t, claimValuations(t, q, "w3", at(2*lease), 1), "the extended lease is live")
		require.Len(t, claimValuations(t, q, "w3", at(3*lease), 1), 1)
		require.ErrorIs(t, q.ExtendValuationLease(t.Context(), 999999, "w3", 3, at(4*lease)), jobs.ErrNotFound)
	}},
}
