package postgres

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/store/storetest"
)

// suiteStore makes the records of a DB a whole assetmint.Store for the
// conformance suite while this package has no job queue yet (jobs.go comes
// with the queue's own change): jobs go to a real queue, store/sqlite's,
// in a file beside. In a transaction, EnqueueJob holds the job until the
// PostgreSQL transaction commits, then enqueues it, so a committed
// transaction's jobs are there and a rolled-back one's never are, as the
// suite checks. Test code only: when DB implements jobs.Queue, this
// wrapper (whose embedded fields would then clash) goes, and the suite
// runs on DB itself.
type suiteStore struct {
	*DB
	jobs.Queue
}

// InTx runs fn in a transaction of the DB (its skeleton, inTx: READ
// COMMITTED, row locks, deadlock retry), its jobs held until commit.
func (s suiteStore) InTx(ctx context.Context, fn func(tx assetmint.Tx) error) error {
	var held *heldJobs
	err := s.DB.inTx(ctx, func(q queries) error {
		held = &heldJobs{queue: s.Queue} // afresh on each attempt
		return fn(suiteTx{&tx{q}, held})
	})
	if err != nil {
		return err
	}
	for _, j := range held.jobs {
		if _, err := s.Queue.EnqueueJob(ctx, j.job, j.now); err != nil {
			return err
		}
	}
	return nil
}

// suiteTx is a transaction of the DB with held jobs.
type suiteTx struct {
	*tx
	jobs.Enqueuer
}

// heldJobs is a transaction's jobs, until it commits.
type heldJobs struct {
	queue jobs.Queue
	jobs  []heldJob
}

type heldJob struct {
	job jobs.New
	now time.Time
}

// EnqueueJob holds j; false if its unique key is held already or in the
// queue.
func (h *heldJobs) EnqueueJob(ctx context.Context, j jobs.New, now time.Time) (bool, error) {
	if j.Kind == "" {
		return false, assetmint.FieldError("kind", "job kind is required")
	}
	if j.UniqueKey != "" {
		for _, held := range h.jobs {
			if held.job.UniqueKey == j.UniqueKey {
				return false, nil
			}
		}
		_, err := h.queue.JobByKey(ctx, j.UniqueKey)
		if err == nil {
			return false, nil
		}
		if !errors.Is(err, jobs.ErrNotFound) {
			return false, err
		}
	}
	h.jobs = append(h.jobs, heldJob{j, now})
	return true, nil
}

// openQueue returns a job queue in a SQLite file of the test's own.
func openQueue(t *testing.T) jobs.Queue {
	t.Helper()
	q, err := sqlite.Open(filepath.Join(t.TempDir(), "jobs.db"), sqlite.Config{Synchronous: "NORMAL"})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, q.Close()) })
	require.NoError(t, q.Migrate(t.Context()))
	return q
}

// secondDB returns another DB on db's schema, as another instance of the
// engine would have, closed at the end of the test (before open drops the
// schema).
func secondDB(t *testing.T, db *DB) *DB {
	t.Helper()
	other, err := Open(t.Context(), testURL(t), db.cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, other.Close()) })
	return other
}

func TestConformance(t *testing.T) {
	testURL(t)
	storetest.Exercise(t, func(t *testing.T) assetmint.Store {
		return suiteStore{open(t, Config{}), openQueue(t)}
	})
}

// TestConcurrency races two DBs on one schema, each with its own pool, as
// two instances of the engine would.
func TestConcurrency(t *testing.T) {
	testURL(t)
	storetest.ExerciseConcurrency(t, func(t *testing.T) (assetmint.Store, assetmint.Store) {
		db, queue := open(t, Config{}), openQueue(t)
		return suiteStore{db, queue}, suiteStore{secondDB(t, db), queue}
	})
}
