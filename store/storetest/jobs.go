package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// lease is the suite's claim lease.
const lease = 30 * time.Second

// enqueue adds a job, which must have a unique key (EnqueueJob does not
// return the id), and reads it back.
func enqueue(t *testing.T, s jobs.Queue, n jobs.New, now time.Time) *jobs.Job {
	t.Helper()
	require.NotEmpty(t, n.UniqueKey, "the suite finds its jobs by unique key")
	ok, err := s.EnqueueJob(t.Context(), n, now)
	require.NoError(t, err)
	require.True(t, ok, "enqueue %s", n.UniqueKey)
	j, err := s.JobByKey(t.Context(), n.UniqueKey)
	require.NoError(t, err)
	return j
}

// claim leases up to limit jobs of kinds ("task" if none) for worker at now.
func claim(t *testing.T, s jobs.Queue, worker string, now time.Time, limit int, kinds ...string) []*jobs.Job {
	t.Helper()
	if len(kinds) == 0 {
		kinds = []string{"task"}
	}
	got, err := s.ClaimJobs(t.Context(), jobs.Claim{Worker: worker, Kinds: kinds, Limit: limit, Lease: lease, Now: now})
	require.NoError(t, err)
	require.NotNil(t, got)
	return got
}

func jobIDs(js []*jobs.Job) []int64 {
	out := []int64{}
	for _, j := range js {
		out = append(out, j.ID)
	}
	return out
}

func readJob(t *testing.T, s jobs.Queue, id int64) *jobs.Job {
	t.Helper()
	j, err := s.Job(t.Context(), id)
	require.NoError(t, err)
	return j
}

// ExerciseQueue runs the job queue's part of the conformance suite against
// the queue newQueue returns: enqueueing, unique keys, leases, fencing,
// pruning and lanes. Every subtest calls newQueue for a fresh, empty queue.
// It is for a queue kept apart from a full store; Exercise runs the same
// tests on a store, under "Jobs".
func ExerciseQueue(t *testing.T, newQueue func(t *testing.T) jobs.Queue) {
	t.Helper()
	for _, tc := range jobTests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newQueue(t))
		})
	}
}

// queueTest is one subtest of the queue suite: it gets a fresh queue.
type queueTest struct {
	name string
	run  func(t *testing.T, s jobs.Queue)
}

var jobTests = []queueTest{
	{"PruneCompleted", func(t *testing.T, s jobs.Queue) {
		done := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "done"}, t0)
		dead := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "dead", MaxAttempts: 1}, t0)
		waiting := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "waiting", RunAt: at(time.Hour)}, t0)
		got := claim(t, s, "w1", t0, 2)
		require.Len(t, got, 2)
		for _, j := range got {
			if j.ID == done.ID {
				require.NoError(t, s.CompleteJob(t.Context(), j.ID, "w1", j.Attempt, t0))
			} else {
				require.NoError(t, s.KillJob(t.Context(), j.ID, "w1", j.Attempt, "boom", t0))
			}
		}
		n, err := s.PruneJobs(t.Context(), t0)
		require.NoError(t, err)
		require.Zero(t, n, "finished at t0 is not before t0")
		n, err = s.PruneJobs(t.Context(), at(2*time.Hour))
		require.NoError(t, err)
		require.Equal(t, 1, n, "only the completed job goes")
		_, err = s.Job(t.Context(), done.ID)
		require.ErrorIs(t, err, jobs.ErrNotFound)
		for _, id := range []int64{dead.ID, waiting.ID} {
			_, err := s.Job(t.Context(), id)
			require.NoError(t, err, "dead and pending jobs stay")
		}
	}},
	{"EnqueueDefaults", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		require.NotZero(t, j.ID)
		require.Equal(t, &jobs.Job{
			ID:          j.ID,
			Kind:        "task",
			UniqueKey:   "job_0001",
			Payload:     j.Payload,
			Status:      jobs.StatusPending,
			MaxAttempts: jobs.DefaultMaxAttempts,
			RunAt:       t0,
			CreatedAt:   t0,
			UpdatedAt:   t0,
		}, j)
		require.JSONEq(t, `{}`, string(j.Payload), "nil payload is {}")

		byID, err := s.Job(t.Context(), j.ID)
		require.NoError(t, err)
		require.Equal(t, j, byID)
	}},
	{"EnqueueFields", func(t *testing.T, s jobs.Queue) {
		payload := json.RawMessage(`{"asset_id":"asset_0001","amount":"85000.10","n":12345678901234567890}`)
		j := enqueue(t, s, jobs.New{
			Kind: "token.mint", Lane: "signer:0x5aAe", UniqueKey: "token.mint:asset_0001",
			Payload: payload, RunAt: at(time.Minute), MaxAttempts: 3,
		}, t0)
		require.Equal(t, "token.mint", j.Kind)
		require.Equal(t, "signer:0x5aAe", j.Lane)
		require.JSONEq(t, string(payload), string(j.Payload))
		require.Equal(t, at(time.Minute), j.RunAt)
		require.Equal(t, 3, j.MaxAttempts)
		require.Equal(t, t0, j.CreatedAt)
	}},
	{"EnqueueNeedsKind", func(t *testing.T, s jobs.Queue) {
		_, err := s.EnqueueJob(t.Context(), jobs.New{UniqueKey: "job_0001"}, t0)
		requireCode(t, assetmint.EINVALID, err)
		_, err = s.JobByKey(t.Context(), "job_0001")
		require.ErrorIs(t, err, jobs.ErrNotFound)
	}},
	{"AbsentIsNotFound", func(t *testing.T, s jobs.Queue) {
		_, err := s.Job(t.Context(), 404)
		require.ErrorIs(t, err, jobs.ErrNotFound)
		_, err = s.JobByKey(t.Context(), "job_0404")
		require.ErrorIs(t, err, jobs.ErrNotFound)
		require.ErrorIs(t, s.CompleteJob(t.Context(), 404, "w1", 1, t0), jobs.ErrNotFound)
		require.ErrorIs(t, s.RetryJob(t.Context(), 404, "w1", 1, t0, "x", t0), jobs.ErrNotFound)
		require.ErrorIs(t, s.KillJob(t.Context(), 404, "w1", 1, "x", t0), jobs.ErrNotFound)
		require.ErrorIs(t, s.ExtendLease(t.Context(), 404, "w1", 1, t0), jobs.ErrNotFound)
	}},
	{"UniqueKeyDedups", func(t *testing.T, s jobs.Queue) {
		first := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "sweep@2025-03-14", Payload: json.RawMessage(`{"v":1}`)}, t0)
		dup := func(now time.Time) {
			t.Helper()
			ok, err := s.EnqueueJob(t.Context(), jobs.New{Kind: "task", UniqueKey: "sweep@2025-03-14", Payload: json.RawMessage(`{"v":2}`)}, now)
			require.NoError(t, err)
			require.False(t, ok, "a duplicate unique key is not enqueued")
		}
		dup(t0)
		got := claim(t, s, "w1", t0, 10)
		require.Equal(t, []int64{first.ID}, jobIDs(got), "only one job")
		require.JSONEq(t, `{"v":1}`, string(got[0].Payload), "the first job is kept")

		require.NoError(t, s.CompleteJob(t.Context(), first.ID, "w1", 1, t0))
		dup(at(time.Hour)) // completed jobs keep deduplicating
		require.Empty(t, claim(t, s, "w1", at(time.Hour), 10))

		// Jobs without a key never collide.
		for range 2 {
			ok, err := s.EnqueueJob(t.Context(), jobs.New{Kind: "task"}, t0)
			require.NoError(t, err)
			require.True(t, ok)
		}
		require.Len(t, claim(t, s, "w1", t0, 10), 2)
	}},
	{"DeadJobsKeepTheirKey", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		claim(t, s, "w1", t0, 1)
		require.NoError(t, s.KillJob(t.Context(), j.ID, "w1", 1, "bad input", t0))
		ok, err := s.EnqueueJob(t.Context(), jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		require.NoError(t, err)
		require.False(t, ok)
	}},
	{"ClaimLeases", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		now := at(time.Second)
		got := claim(t, s, "w1", now, 10)
		require.Len(t, got, 1)
		c := got[0]
		require.Equal(t, j.ID, c.ID)
		require.Equal(t, jobs.StatusRunning, c.Status)
		require.Equal(t, 1, c.Attempt)
		require.Equal(t, "w1", c.LeasedBy)
		require.Equal(t, now.Add(lease), c.LeasedUntil)
		require.Equal(t, now, c.UpdatedAt)
		require.Equal(t, t0, c.CreatedAt)
		require.Equal(t, c, readJob(t, s, j.ID), "the claim returns the stored job")

		require.Empty(t, claim(t, s, "w2", now, 10), "a leased job is not claimed twice")
	}},
	{"ClaimRespectsRunAt", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001", RunAt: at(time.Minute)}, t0)
		require.Empty(t, claim(t, s, "w1", t0, 10))
		require.Empty(t, claim(t, s, "w1", at(time.Minute-time.Nanosecond), 10))
		require.Equal(t, []int64{j.ID}, jobIDs(claim(t, s, "w1", at(time.Minute), 10)), "due at RunAt exactly")
	}},
	{"ClaimFiltersKinds", func(t *testing.T, s jobs.Queue) {
		a := enqueue(t, s, jobs.New{Kind: "asset.value", UniqueKey: "job_0001"}, t0)
		m := enqueue(t, s, jobs.New{Kind: "token.mint", UniqueKey: "job_0002"}, t0)
		w := enqueue(t, s, jobs.New{Kind: "webhook.deliver", UniqueKey: "job_0003"}, t0)
		require.Empty(t, claim(t, s, "w1", t0, 10, "loan.service"))
		require.Equal(t, []int64{m.ID}, jobIDs(claim(t, s, "w1", t0, 10, "token.mint")))
		require.Equal(t, []int64{a.ID, w.ID}, jobIDs(claim(t, s, "w1", t0, 10, "webhook.deliver", "asset.value")))
	}},
	{"ClaimLimitAcrossKinds", func(t *testing.T, s jobs.Queue) {
		// A claim of several kinds takes the oldest (by run_at) of them all,
		// up to its limit, whichever kind each is.
		a1 := enqueue(t, s, jobs.New{Kind: "asset.value", UniqueKey: "job_0001", RunAt: at(3 * time.Second)}, t0)
		w1 := enqueue(t, s, jobs.New{Kind: "webhook.deliver", UniqueKey: "job_0002", RunAt: at(1 * time.Second)}, t0)
		a2 := enqueue(t, s, jobs.New{Kind: "asset.value", UniqueKey: "job_0003", RunAt: at(2 * time.Second)}, t0)
		w2 := enqueue(t, s, jobs.New{Kind: "webhook.deliver", UniqueKey: "job_0004", RunAt: at(4 * time.Second)}, t0)
		now := at(time.Minute)
		require.Equal(t, []int64{w1.ID, a2.ID}, jobIDs(claim(t, s, "w1", now, 2, "asset.value", "webhook.deliver")))
		require.Equal(t, []int64{a1.ID}, jobIDs(claim(t, s, "w1", now, 1, "webhook.deliver", "asset.value")))
		require.Equal(t, []int64{w2.ID}, jobIDs(claim(t, s, "w1", now, 5, "asset.value", "webhook.deliver")))
	}},
	{"ClaimLimitAndOrder", func(t *testing.T, s jobs.Queue) {
		// Enqueued out of run_at order: claims go by run_at, then id.
		j1 := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001", RunAt: at(3 * time.Second)}, t0)
		j2 := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0002", RunAt: at(1 * time.Second)}, t0)
		j3 := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0003", RunAt: at(2 * time.Second)}, t0)
		j4 := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0004", RunAt: at(1 * time.Second)}, t0)
		j5 := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0005", RunAt: at(time.Hour)}, t0)
		now := at(time.Minute)
		var first []*jobs.Job
		first = append(first, claim(t, s, "w1", now, 2)...)
		require.Equal(t, []int64{j2.ID, j4.ID}, jobIDs(first))
		first = append(first, claim(t, s, "w1", now, 5)...)
		require.Equal(t, []int64{j2.ID, j4.ID, j3.ID, j1.ID}, jobIDs(first))
		require.Empty(t, claim(t, s, "w1", now, 5))
		for _, j := range first {
			require.NoError(t, s.CompleteJob(t.Context(), j.ID, "w1", 1, now))
		}
		require.Empty(t, claim(t, s, "w1", at(time.Hour), 0), "limit 0 claims nothing")
		require.Equal(t, []int64{j5.ID}, jobIDs(claim(t, s, "w1", at(time.Hour), 5)))
	}},
	{"ExpiredLeaseIsReclaimed", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		require.Len(t, claim(t, s, "w1", t0, 10), 1)
		require.Empty(t, claim(t, s, "w2", at(lease-time.Nanosecond), 10), "the lease is live")

		// w1 died; its lease ends at t0+lease.
		got := claim(t, s, "w2", at(lease), 10)
		require.Equal(t, []int64{j.ID}, jobIDs(got))
		require.Equal(t, 2, got[0].Attempt)
		require.Equal(t, "w2", got[0].LeasedBy)
		require.Equal(t, at(2*lease), got[0].LeasedUntil)
	}},
	{"StaleWorkerIsFenced", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		claim(t, s, "w1", t0, 1)
		claim(t, s, "w2", at(lease), 1) // takes over attempt 2

		now := at(lease + time.Second)
		require.ErrorIs(t, s.CompleteJob(t.Context(), j.ID, "w1", 1, now), jobs.ErrLeaseLost)
		require.ErrorIs(t, s.CompleteJob(t.Context(), j.ID, "w1", 2, now), jobs.ErrLeaseLost, "the worker must match")
		require.ErrorIs(t, s.CompleteJob(t.Context(), j.ID, "w2", 1, now), jobs.ErrLeaseLost, "the attempt must match")
		require.ErrorIs(t, s.RetryJob(t.Context(), j.ID, "w1", 1, now, "late", now), jobs.ErrLeaseLost)
		require.ErrorIs(t, s.KillJob(t.Context(), j.ID, "w1", 1, "late", now), jobs.ErrLeaseLost)
		require.ErrorIs(t, s.ExtendLease(t.Context(), j.ID, "w1", 1, at(time.Hour)), jobs.ErrLeaseLost)
		require.Equal(t, jobs.StatusRunning, readJob(t, s, j.ID).Status, "the stale reports changed nothing")

		require.NoError(t, s.CompleteJob(t.Context(), j.ID, "w2", 2, now))
		require.ErrorIs(t, s.CompleteJob(t.Context(), j.ID, "w2", 2, now), jobs.ErrLeaseLost, "a finished job has no lease")
	}},
	{"Complete", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		claim(t, s, "w1", t0, 1)
		now := at(time.Second)
		require.NoError(t, s.CompleteJob(t.Context(), j.ID, "w1", 1, now))
		got := readJob(t, s, j.ID)
		require.Equal(t, jobs.StatusCompleted, got.Status)
		require.Equal(t, now, got.FinishedAt)
		require.Equal(t, now, got.UpdatedAt)
		require.Equal(t, 1, got.Attempt)
		require.True(t, got.LeasedUntil.IsZero())
		require.Empty(t, got.LeasedBy)
		require.Empty(t, claim(t, s, "w1", at(24*time.Hour), 10), "a completed job never runs again")
	}},
	{"Retry", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		claim(t, s, "w1", t0, 1)
		now := at(time.Second)
		require.NoError(t, s.RetryJob(t.Context(), j.ID, "w1", 1, at(time.Minute), "chain node timeout", now))
		got := readJob(t, s, j.ID)
		require.Equal(t, jobs.StatusPending, got.Status)
		require.Equal(t, at(time.Minute), got.RunAt)
		require.Equal(t, "chain node timeout", got.LastError)
		require.Equal(t, 1, got.Attempt)
		require.Equal(t, now, got.UpdatedAt)
		require.True(t, got.LeasedUntil.IsZero())
		require.Empty(t, got.LeasedBy)
		require.True(t, got.FinishedAt.IsZero())

		require.Empty(t, claim(t, s, "w2", at(59*time.Second), 10), "not before its new RunAt")
		again := claim(t, s, "w2", at(time.Minute), 10)
		require.Equal(t, []int64{j.ID}, jobIDs(again))
		require.Equal(t, 2, again[0].Attempt)
	}},
	{"Kill", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		claim(t, s, "w1", t0, 1)
		now := at(time.Second)
		require.NoError(t, s.KillJob(t.Context(), j.ID, "w1", 1, "asset not found", now))
		got := readJob(t, s, j.ID)
		require.Equal(t, jobs.StatusDead, got.Status)
		require.Equal(t, "asset not found", got.LastError)
		require.Equal(t, now, got.FinishedAt)
		require.True(t, got.LeasedUntil.IsZero())
		require.Empty(t, claim(t, s, "w1", at(24*time.Hour), 10), "a dead job never runs again")
	}},
	{"ExtendLease", func(t *testing.T, s jobs.Queue) {
		j := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0001"}, t0)
		claim(t, s, "w1", t0, 1)
		require.NoError(t, s.ExtendLease(t.Context(), j.ID, "w1", 1, at(90*time.Second)))
		require.Equal(t, at(90*time.Second), readJob(t, s, j.ID).LeasedUntil)
		require.Empty(t, claim(t, s, "w2", at(lease), 10), "the extended lease is live")
		require.Empty(t, claim(t, s, "w2", at(90*time.Second-time.Nanosecond), 10))
		require.ErrorIs(t, s.ExtendLease(t.Context(), j.ID, "w2", 1, at(time.Hour)), jobs.ErrLeaseLost)
		require.ErrorIs(t, s.ExtendLease(t.Context(), j.ID, "w1", 2, at(time.Hour)), jobs.ErrLeaseLost)
		require.Equal(t, []int64{j.ID}, jobIDs(claim(t, s, "w2", at(90*time.Second), 10)))
	}},
	{"LaneRunsOneAtATimeInOrder", func(t *testing.T, s jobs.Queue) {
		const lane = "signer:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
		l1 := enqueue(t, s, jobs.New{Kind: "task", Lane: lane, UniqueKey: "job_0001"}, t0)
		l2 := enqueue(t, s, jobs.New{Kind: "task", Lane: lane, UniqueKey: "job_0002"}, t0)
		l3 := enqueue(t, s, jobs.New{Kind: "task", Lane: lane, UniqueKey: "job_0003"}, t0)
		free := enqueue(t, s, jobs.New{Kind: "task", UniqueKey: "job_0004"}, t0)

		require.Equal(t, []int64{l1.ID, free.ID}, jobIDs(claim(t, s, "w1", t0, 10)),
			"only the lane's first job, beside jobs of no lane")
		require.NoError(t, s.CompleteJob(t.Context(), free.ID, "w1", 1, t0))
		require.Empty(t, claim(t, s, "w2", at(time.Second), 10), "a live lease blocks the lane")

		// w1 died holding l1: after the lease, l1 (not l2) is claimed again.
		got := claim(t, s, "w2", at(lease), 10)
		require.Equal(t, []int64{l1.ID}, jobIDs(got))
		require.Equal(t, 2, got[0].Attempt)
		now := at(lease + time.Second)
		require.NoError(t, s.CompleteJob(t.Context(), l1.ID, "w2", 2, now))

		require.Equal(t, []int64{l2.ID}, jobIDs(claim(t, s, "w1", now, 10)))
		require.Empty(t, claim(t, s, "w2", now, 10))

		// A retried head keeps its place: l3 waits for l2's retry.
		require.NoError(t, s.RetryJob(t.Context(), l2.ID, "w1", 1, at(2*time.Minute), "nonce too low", now))
		require.Empty(t, claim(t, s, "w1", at(time.Minute), 10), "l3 waits behind the pending head")
		require.Equal(t, []int64{l2.ID}, jobIDs(claim(t, s, "w1", at(2*time.Minute), 10)))

		// A dead head frees the lane.
		require.NoError(t, s.KillJob(t.Context(), l2.ID, "w1", 2, "reverted", at(2*time.Minute)))
		require.Equal(t, []int64{l3.ID}, jobIDs(claim(t, s, "w1", at(2*time.Minute), 10)))
		require.NoError(t, s.CompleteJob(t.Context(), l3.ID, "w1", 1, at(2*time.Minute)))
		require.Empty(t, claim(t, s, "w1", at(time.Hour), 10))
	}},
	{"LanesAreIndependent", func(t *testing.T, s jobs.Queue) {
		a1 := enqueue(t, s, jobs.New{Kind: "task", Lane: "A", UniqueKey: "job_0001"}, t0)
		enqueue(t, s, jobs.New{Kind: "task", Lane: "A", UniqueKey: "job_0002"}, t0)
		b1 := enqueue(t, s, jobs.New{Kind: "task", Lane: "B", UniqueKey: "job_0003"}, t0)
		enqueue(t, s, jobs.New{Kind: "task", Lane: "B", UniqueKey: "job_0004"}, t0)
		require.Equal(t, []int64{a1.ID, b1.ID}, jobIDs(claim(t, s, "w1", t0, 10)), "one job of each lane")
	}},
	{"LaneHeadOfAnotherKindBlocks", func(t *testing.T, s jobs.Queue) {
		mint := enqueue(t, s, jobs.New{Kind: "token.mint", Lane: "signer", UniqueKey: "job_0001"}, t0)
		lock := enqueue(t, s, jobs.New{Kind: "token.lock", Lane: "signer", UniqueKey: "job_0002"}, t0)
		require.Empty(t, claim(t, s, "w1", t0, 10, "token.lock"), "the lane's head is a mint")
		require.Equal(t, []int64{mint.ID}, jobIDs(claim(t, s, "w2", t0, 10, "token.mint")))
		require.NoError(t, s.CompleteJob(t.Context(), mint.ID, "w2", 1, t0))
		require.Equal(t, []int64{lock.ID}, jobIDs(claim(t, s, "w1", t0, 10, "token.lock")))
	}},
	{"LaneHeadWaitsForRunAt", func(t *testing.T, s jobs.Queue) {
		later := enqueue(t, s, jobs.New{Kind: "task", Lane: "L", UniqueKey: "job_0001", RunAt: at(time.Minute)}, t0)
		enqueue(t, s, jobs.New{Kind: "task", Lane: "L", UniqueKey: "job_0002"}, t0)
		require.Empty(t, claim(t, s, "w1", t0, 10), "the second job may not overtake the first")
		require.Equal(t, []int64{later.ID}, jobIDs(claim(t, s, "w1", at(time.Minute), 10)))
	}},
	{"RecordOutcomes", func(t *testing.T, s jobs.Queue) {
		r, ok := s.(jobs.OutcomeRecorder)
		if !ok {
			t.Skip("the queue records outcomes one at a time")
		}
		var ids []int64
		for i := range 5 {
			ids = append(ids, enqueue(t, s, jobs.New{Kind: "task", UniqueKey: fmt.Sprintf("job_%04d", i)}, t0).ID)
		}
		require.Len(t, claim(t, s, "w1", t0, 4), 4) // the fifth stays pending
		claim(t, s, "w2", at(lease), 1)             // takes the first over: attempt 2
		now := at(lease + time.Second)
		errs, err := r.RecordOutcomes(t.Context(), []jobs.Outcome{
			{ID: ids[1], Worker: "w1", Attempt: 1, Status: jobs.StatusCompleted, Now: now},
			{ID: ids[2], Worker: "w1", Attempt: 1, Status: jobs.StatusPending, RunAt: at(time.Hour), LastError: "chain node timeout", Now: now},
			{ID: ids[3], Worker: "w1", Attempt: 1, Status: jobs.StatusDead, LastError: "asset not found", Now: now},
			{ID: ids[0], Worker: "w1", Attempt: 1, Status: jobs.StatusCompleted, Now: now}, // taken over
			{ID: ids[4], Worker: "w1", Attempt: 1, Status: jobs.StatusCompleted, Now: now}, // never claimed
			{ID: 404, Worker: "w1", Attempt: 1, Status: jobs.StatusCompleted, Now: now},
		})
		require.NoError(t, err)
		require.Len(t, errs, 6)
		for i := range 3 {
			require.NoError(t, errs[i], i)
		}
		require.ErrorIs(t, errs[3], jobs.ErrLeaseLost)
		require.ErrorIs(t, errs[4], jobs.ErrLeaseLost)
		require.ErrorIs(t, errs[5], jobs.ErrNotFound)

		done := readJob(t, s, ids[1])
		require.Equal(t, jobs.StatusCompleted, done.Status)
		require.Equal(t, now, done.FinishedAt)
		require.Equal(t, now, done.UpdatedAt)
		require.Empty(t, done.LeasedBy)
		require.True(t, done.LeasedUntil.IsZero())
		retried := readJob(t, s, ids[2])
		require.Equal(t, jobs.StatusPending, retried.Status)
		require.Equal(t, at(time.Hour), retried.RunAt)
		require.Equal(t, "chain node timeout", retried.LastError)
		require.True(t, retried.FinishedAt.IsZero())
		require.Equal(t, now, retried.UpdatedAt)
		dead := readJob(t, s, ids[3])
		require.Equal(t, jobs.StatusDead, dead.Status)
		require.Equal(t, "asset not found", dead.LastError)
		require.Equal(t, now, dead.FinishedAt)
		require.Equal(t, jobs.StatusRunning, readJob(t, s, ids[0]).Status, "the stale report changed nothing")
		require.Equal(t, jobs.StatusPending, readJob(t, s, ids[4]).Status)

		_, err = r.RecordOutcomes(t.Context(), []jobs.Outcome{
			{ID: ids[0], Worker: "w2", Attempt: 2, Status: jobs.StatusCompleted, Now: now},
			{ID: ids[4], Worker: "w1", Attempt: 1, Status: jobs.StatusRunning, Now: now},
		})
		requireCode(t, assetmint.EINVALID, err)
		require.Equal(t, jobs.StatusRunning, readJob(t, s, ids[0]).Status, "an invalid batch records nothing")
	}},
}
