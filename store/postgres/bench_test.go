package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/storetest"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// The same benchmarks as store/sqlite's (bench_test.go there), so one run
// of both packages compares them:
//
//	go test -p 1 -run '^$' -bench '^Benchmark(InsertAsset|Asset|AssetDetails)$' ./store/sqlite ./store/postgres

func benchAsset(id string) *assetmint.Asset {
	now := time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)
	return &assetmint.Asset{
		ID: id, BusinessID: "biz_0001", Name: "CAT 320 excavator", Type: assetmint.AssetEquipment,
		Description: "Hydraulic excavator, 2019", EstimatedValue: decimal.RequireFromString("85000.10"), Currency: "USD",
		Metadata: map[string]any{"serial": "CAT-320-0042", "year": 2019}, Status: assetmint.AssetPendingValuation,
		CreatedAt: now, UpdatedAt: now,
	}
}

func benchDB(b *testing.B) *DB {
	db := open(b, Config{})
	now := time.Now()
	if err := db.CreateBusiness(context.Background(), &assetmint.Business{ID: "biz_0001", Name: "Acme", Plan: "developer", CreatedAt: now, UpdatedAt: now}); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkInsertAsset is one durable INSERT of an asset row through the
// store: one statement, its own transaction, committed (and flushed to the
// WAL, with the server's default synchronous_commit = on) before it
// returns.
func BenchmarkInsertAsset(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := db.CreateAsset(ctx, benchAsset(fmt.Sprintf("asset_%08d", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAsset reads one asset by id through the pool.
func BenchmarkAsset(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	for i := range 1000 {
		if err := db.CreateAsset(ctx, benchAsset(fmt.Sprintf("asset_%08d", i))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := db.Asset(ctx, "biz_0001", fmt.Sprintf("asset_%08d", i%1000)); err != nil {
			b.Fatal(err)
		}
	}
}

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

// BenchmarkAssetDetails is storetest.BenchmarkAssetDetails: GET
// /v1/assets/{id}'s reads in one statement and in a read transaction.
func BenchmarkAssetDetails(b *testing.B) { storetest.BenchmarkAssetDetails(b, open(b, Config{})) }
