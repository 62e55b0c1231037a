package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/storetest"
)

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
// store (synchronous=FULL, so one fsync per commit): the floor under the
// HTTP layer's create-asset benchmark.
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

// BenchmarkAsset reads one asset by id through the reader pool.
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
// two workers of 8 jobs at a time on one DB: storetest.BenchmarkQueue, as
// store/postgres's BenchmarkJobs, so the two compare. One DB, not two on
// one file: a SQLite file is written by one process at a time, and two
// processes each keeping their writer busy with group commits starve each
// other past the busy timeout (see the package doc). It reports jobs/s.
func BenchmarkJobs(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "jobs.db"), Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	storetest.BenchmarkQueue(b, db, db)
}

// BenchmarkInsertAssetConcurrent is BenchmarkInsertAsset from 16
// goroutines at once: with group commit the inserts waiting while one
// commits share the next commit, so one fsync. It reports the inserts per
// commit beside the time per insert. With MaxGroup 1 (each commit alone),
// it is the bare one-row-per-transaction write under the same load.
func BenchmarkInsertAssetConcurrent(b *testing.B) {
	for _, bc := range []struct {
		name string
		max  int
	}{{"group", 0}, {"alone", 1}} {
		b.Run(bc.name, func(b *testing.B) {
			db := open(b, Config{MaxGroup: bc.max})
			now := time.Now()
			if err := db.CreateBusiness(context.Background(), &assetmint.Business{ID: "biz_0001", Name: "Acme", Plan: "developer", CreatedAt: now, UpdatedAt: now}); err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var n atomic.Int64
			commits := db.group.commits.Load()
			b.SetParallelism(8) // 16 goroutines on 2 CPUs
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.CreateAsset(ctx, benchAsset(fmt.Sprintf("asset_%08d", n.Add(1)))); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/float64(db.group.commits.Load()-commits), "inserts/commit")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
		})
	}
}

// BenchmarkAssetDetails is storetest.BenchmarkAssetDetails: GET
// /v1/assets/{id}'s reads in one statement and in a read transaction.
func BenchmarkAssetDetails(b *testing.B) { storetest.BenchmarkAssetDetails(b, open(b, Config{})) }
