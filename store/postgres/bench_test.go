package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// The same benchmarks as store/sqlite's (bench_test.go there), so one run
// of both packages compares them:
//
//	go test -p 1 -run '^$' -bench '^Benchmark(InsertAsset|Asset)$' ./store/sqlite ./store/postgres

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
