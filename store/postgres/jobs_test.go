package postgres

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/storetest"
)

// The job queue passes the conformance suite's job tests.
func TestQueueConformance(t *testing.T) {
	storetest.ExerciseQueue(t, func(t *testing.T) jobs.Queue { return open(t, Config{}) })
}

// claimers runs perDB goroutines on each of dbs, each claiming up to batch
// jobs at a time and passing each to run, until a claim finds nothing and
// every job of the test is finished (want of them).
func claimers(t *testing.T, dbs []*DB, perDB, batch int, want int, run func(db *DB, worker string, j *jobs.Job)) {
	t.Helper()
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, len(dbs)*perDB)
	for d, db := range dbs {
		for g := range perDB {
			worker := fmt.Sprintf("db%d-w%d", d, g)
			wg.Go(func() {
				deadline := time.Now().Add(60 * time.Second)
				for time.Now().Before(deadline) {
					got, err := db.ClaimJobs(ctx, jobs.Claim{Worker: worker, Kinds: []string{"task"}, Limit: batch, Lease: time.Hour, Now: time.Now()})
					if err != nil {
						errs <- err
						return
					}
					for _, j := range got {
						run(db, worker, j)
					}
					if len(got) == 0 {
						var unfinished int
						if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE status IN ('pending', 'running')`).Scan(&unfinished); err != nil {
							errs <- err
							return
						}
						if unfinished == 0 {
							return
						}
						time.Sleep(time.Millisecond)
					}
				}
				errs <- errors.New(worker + ": jobs left at the deadline")
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var completed int
	require.NoError(t, dbs[0].pool.QueryRow(ctx, `SELECT count(*) FROM jobs WHERE status = 'completed' AND attempt = 1`).Scan(&completed))
	require.Equal(t, want, completed, "every job completed, at its first attempt")
}

// Many claimers on two DBs (two instances) never lease one job twice:
// every job is run, and completed, exactly once.
func TestClaimsAcrossDBsNeverRunAJobTwice(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	ctx := t.Context()
	const n = 3000
	require.NoError(t, a.inTx(ctx, func(q queries) error {
		for i := range n {
			ok, err := q.EnqueueJob(ctx, jobs.New{Kind: "task", UniqueKey: fmt.Sprintf("job_%05d", i)}, time.Now())
			require.NoError(t, err)
			require.True(t, ok)
		}
		return nil
	}))
	var mu sync.Mutex
	runs := map[int64]int{}
	var lost []error
	claimers(t, []*DB{a, b}, 8, 5, n, func(db *DB, worker string, j *jobs.Job) {
		mu.Lock()
		runs[j.ID]++
		mu.Unlock()
		if err := db.CompleteJob(ctx, j.ID, worker, j.Attempt, time.Now()); err != nil {
			mu.Lock()
			lost = append(lost, fmt.Errorf("job %d: %w", j.ID, err))
			mu.Unlock()
		}
	})
	require.Empty(t, lost, "no completion was refused")
	require.Len(t, runs, n)
	for id, c := range runs {
		require.Equal(t, 1, c, "job %d ran %d times", id, c)
	}
}

// A lane's jobs run one at a time and in enqueue order, with many
// claimers on two DBs racing for them; jobs of no lane and of other lanes
// run beside them.
func TestLanesAcrossDBsRunOneAtATimeInOrder(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	ctx := t.Context()
	lanes := []string{"signer:0xaaa", "signer:0xbbb", "signer:0xccc", ""}
	const perLane = 60
	want := map[string][]int64{}
	for i := range perLane {
		for k, lane := range lanes {
			db := []*DB{a, b}[(i+k)%2] // enqueued through both
			key := fmt.Sprintf("%s-%03d", lane, i)
			ok, err := db.EnqueueJob(ctx, jobs.New{Kind: "task", Lane: lane, UniqueKey: key}, time.Now())
			require.NoError(t, err)
			require.True(t, ok)
			j, err := db.JobByKey(ctx, key)
			require.NoError(t, err)
			want[lane] = append(want[lane], j.ID)
		}
	}

	var mu sync.Mutex
	held := map[string]int64{} // lane -> the job of it being run
	ran := map[string][]int64{}
	var violations []string
	claimers(t, []*DB{a, b}, 6, 4, len(lanes)*perLane, func(db *DB, worker string, j *jobs.Job) {
		mu.Lock()
		if j.Lane != "" {
			if other, ok := held[j.Lane]; ok {
				violations = append(violations, fmt.Sprintf("lane %s: job %d claimed while job %d runs", j.Lane, j.ID, other))
			}
			held[j.Lane] = j.ID
		}
		ran[j.Lane] = append(ran[j.Lane], j.ID)
		mu.Unlock()

		time.Sleep(200 * time.Microsecond) // the work
		// Let go of the lane before the completion commits: from then on
		// the next job may be claimed, and not before.
		mu.Lock()
		delete(held, j.Lane)
		mu.Unlock()
		if err := db.CompleteJob(ctx, j.ID, worker, j.Attempt, time.Now()); err != nil {
			mu.Lock()
			violations = append(violations, err.Error())
			mu.Unlock()
		}
	})
	require.Empty(t, violations)
	for _, lane := range lanes[:3] {
		require.Equal(t, want[lane], ran[lane], "lane %s ran in enqueue order", lane)
	}
	require.ElementsMatch(t, want[""], ran[""])
}

// An enqueue into a lane waits while another transaction holds an
// uncommitted enqueue into the same lane, so the lane's ids are in commit
// order; other lanes, and jobs of no lane, do not wait.
func TestLaneEnqueueWaitsForTheLanesOpenTransaction(t *testing.T) {
	a := open(t, Config{})
	b := another(t, a)
	ctx := t.Context()
	enqueue := func(db *DB, lane, key string) <-chan error {
		done := make(chan error, 1)
		go func() {
			_, err := db.EnqueueJob(ctx, jobs.New{Kind: "task", Lane: lane, UniqueKey: key}, time.Now())
			done <- err
		}()
		return done
	}
	var second <-chan error
	require.NoError(t, a.inTx(ctx, func(q queries) error {
		ok, err := q.EnqueueJob(ctx, jobs.New{Kind: "task", Lane: "L", UniqueKey: "first"}, time.Now())
		require.NoError(t, err)
		require.True(t, ok)

		second = enqueue(b, "L", "second")
		for lane, key := range map[string]string{"M": "other-lane", "": "no-lane"} {
			select {
			case err := <-enqueue(b, lane, key):
				require.NoError(t, err)
			case <-time.After(5 * time.Second):
				t.Fatalf("an enqueue into lane %q waited for lane L", lane)
			}
		}
		select {
		case err := <-second:
			t.Fatalf("the second enqueue into L did not wait for the first's transaction (err %v)", err)
		case <-time.After(300 * time.Millisecond):
		}
		return nil
	}))
	require.NoError(t, <-second)
	first, err := a.JobByKey(ctx, "first")
	require.NoError(t, err)
	sec, err := a.JobByKey(ctx, "second")
	require.NoError(t, err)
	require.Less(t, first.ID, sec.ID)
}

// EnqueueJob on a transaction commits with it, or not at all; a duplicate
// key inside the transaction does not abort it.
func TestEnqueueInTransaction(t *testing.T) {
	db := open(t, Config{})
	ctx := t.Context()
	errRollback := errors.New("roll back")
	err := db.inTx(ctx, func(q queries) error {
		ok, err := q.EnqueueJob(ctx, jobs.New{Kind: "task", UniqueKey: "rolled-back"}, time.Now())
		require.NoError(t, err)
		require.True(t, ok)
		return errRollback
	})
	require.ErrorIs(t, err, errRollback)
	_, err = db.JobByKey(ctx, "rolled-back")
	require.ErrorIs(t, err, jobs.ErrNotFound)

	require.NoError(t, db.inTx(ctx, func(q queries) error {
		for i, want := range []bool{true, false} {
			ok, err := q.EnqueueJob(ctx, jobs.New{Kind: "task", Lane: "L", UniqueKey: "kept"}, time.Now())
			require.NoError(t, err, "enqueue %d", i)
			require.Equal(t, want, ok)
		}
		// The transaction is still usable after the duplicate.
		ok, err := q.EnqueueJob(ctx, jobs.New{Kind: "task", UniqueKey: "after"}, time.Now())
		require.NoError(t, err)
		require.True(t, ok)
		return nil
	}))
	for _, key := range []string{"kept", "after"} {
		_, err := db.JobByKey(ctx, key)
		require.NoError(t, err, key)
	}
}

// A dead head that an operator sets pending again (by hand, in SQL) waits
// for the job of its lane that holds a live lease: the lane still runs one
// job at a time.
func TestRevivedHeadWaitsForTheLanesLiveLease(t *testing.T) {
	db := open(t, Config{})
	ctx := t.Context()
	t0 := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	claim := func(now time.Time) []*jobs.Job {
		got, err := db.ClaimJobs(ctx, jobs.Claim{Worker: "w", Kinds: []string{"task"}, Limit: 10, Lease: time.Minute, Now: now})
		require.NoError(t, err)
		return got
	}
	for _, key := range []string{"first", "second"} {
		_, err := db.EnqueueJob(ctx, jobs.New{Kind: "task", Lane: "L", UniqueKey: key}, t0)
		require.NoError(t, err)
	}
	first := claim(t0)
	require.Len(t, first, 1)
	require.NoError(t, db.KillJob(ctx, first[0].ID, "w", 1, "reverted", t0))
	second := claim(t0)
	require.Len(t, second, 1)
	require.NotEqual(t, first[0].ID, second[0].ID)

	_, err := db.pool.Exec(ctx, `UPDATE jobs SET status = 'pending', finished_at = NULL WHERE id = $1`, first[0].ID)
	require.NoError(t, err)
	require.Empty(t, claim(t0.Add(time.Second)), "the revived head waits for the live lease")
	require.NoError(t, db.CompleteJob(ctx, second[0].ID, "w", 1, t0.Add(time.Second)))
	again := claim(t0.Add(time.Second))
	require.Len(t, again, 1)
	require.Equal(t, first[0].ID, again[0].ID)
}
