package postgres

import (
	"sync"
	"testing"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/storetest"
)

// BenchmarkJobs is the job queue's throughput, enqueue to completion, with
// two workers on two DBs sharing one schema (as two instances would), 8
// jobs at a time each, woken by LISTEN/NOTIFY: storetest.BenchmarkQueue, as
// store/sqlite's BenchmarkJobs, so the two compare. It reports jobs/s.
func BenchmarkJobs(b *testing.B) {
	db := open(b, Config{})
	storetest.BenchmarkQueue(b, db, another(b, db))
}

// BenchmarkEnqueue is why a DB notifies after the commit, in a statement
// of its own (wake.go), and not inside the enqueue: 8 producers enqueue
// due jobs, through EnqueueJob ("after-commit"), and through the same
// INSERT with a pg_notify in it ("in-statement"), whose commits PostgreSQL
// serializes on its notification lock. It reports jobs/s.
func BenchmarkEnqueue(b *testing.B) {
	inStatement := `WITH ins AS (
		INSERT INTO jobs (kind, lane, payload, status, max_attempts, run_at, created_at, updated_at)
		VALUES ('bench', '', '{}', 'pending', 10, $1, $1, $1)
		RETURNING run_at)
	SELECT pg_notify('` + jobChannel + `', current_schema()) FROM ins`
	variants := map[string]func(db *DB) error{
		"after-commit": func(db *DB) error {
			_, err := db.EnqueueJob(b.Context(), jobs.New{Kind: "bench"}, time.Now())
			return err
		},
		"in-statement": func(db *DB) error {
			_, err := db.pool.Exec(b.Context(), inStatement, time.Now().UnixNano())
			return err
		},
	}
	for _, name := range []string{"after-commit", "in-statement"} {
		b.Run(name, func(b *testing.B) {
			db := open(b, Config{})
			enqueue := variants[name]
			n := b.N
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for p := range 8 {
				wg.Go(func() {
					for i := p; i < n; i += 8 {
						if err := enqueue(db); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "jobs/s")
		})
	}
}
