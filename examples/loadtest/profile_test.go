package main

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/httpapi"
	"github.com/assetmint/assetmint/store/sqlite"
)

// The example server has no pprof; these benchmarks run its stack in
// process (the SQLite store, the Engine with its worker running, httpapi
// with a request log) under RunParallel, 32 goroutines a CPU, so a CPU
// profile shows what dominates a path:
//
//	go test -run '^$' -bench 'Stack(Get|Post)' -cpuprofile cpu.out ./examples/loadtest
//	go tool pprof -top -focus 'httpapi' cpu.out
//
// They report requests/s for reference only: the harness, over HTTP and
// beside the bare handler, gives the figures that count.

func stack(b *testing.B) (http.Handler, string, *sqlite.DB) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "stack.db"), sqlite.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	key, err := assetmint.NewMasterKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	plans, err := auth.ParsePlanLimits(planLimits)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil)) // the server logs a text line per request
	engine, err := assetmint.New(db, assetmint.Config{MasterKey: key, Logger: log, Plans: plans})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := engine.Operator().EnsureClient(ctx, clientID, clientSecret, assetmint.NewBusiness{Name: "Load", Plan: auth.PlanEnterprise}); err != nil {
		b.Fatal(err)
	}
	tok, err := engine.IssueToken(ctx, clientID, clientSecret)
	if err != nil {
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- engine.Run(runCtx) }()
	b.Cleanup(func() { stop(); <-done })
	h, err := httpapi.New(engine, httpapi.Config{Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	return h, tok.Token, db
}

func serveParallel(b *testing.B, h http.Handler, want int, newReq func() *http.Request) {
	b.SetParallelism(32)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newReq())
			if rec.Code != want {
				b.Errorf("status %d: %s", rec.Code, rec.Body)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

func BenchmarkStackGet(b *testing.B) {
	h, tok, _ := stack(b)
	req := httptest.NewRequest("POST", "/v1/assets", strings.NewReader(assetBody))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	id := strings.SplitN(strings.SplitN(rec.Body.String(), `"id":"`, 2)[1], `"`, 2)[0]
	serveParallel(b, h, http.StatusOK, func() *http.Request {
		req := httptest.NewRequest("GET", "/v1/assets/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		return req
	})
}

// BenchmarkStackPost also reports how busy the one writer was (the share of
// the run it spent in transactions, and in their COMMITs): near 1, the
// POSTs wait for the writer, whatever the CPUs have left.
func BenchmarkStackPost(b *testing.B) {
	h, tok, db := stack(b)
	before := db.GroupStats()
	serveParallel(b, h, http.StatusCreated, func() *http.Request {
		req := httptest.NewRequest("POST", "/v1/assets", strings.NewReader(assetBody))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		return req
	})
	reportWriter(b, before, db.GroupStats())
}

// reportWriter reports the writer's share of the run busy and committing,
// and the transactions a commit carried.
func reportWriter(b *testing.B, before, after sqlite.GroupStats) {
	el := b.Elapsed()
	b.ReportMetric(float64(after.Busy-before.Busy)/float64(el), "writer-busy")
	b.ReportMetric(float64(after.Committing-before.Committing)/float64(el), "writer-committing")
	if n := after.Commits - before.Commits; n > 0 {
		b.ReportMetric(float64(after.Members-before.Members)/float64(n), "tx/commit")
	}
}
