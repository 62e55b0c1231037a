package assetmint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
)

// Delivery throughput to a local receiver, beside a bare HTTP POST loop to
// the same receiver, so the cost of the outbox, fan-out, signing and
// bookkeeping shows as a ratio:
//
//	go test -run '^$' -bench 'Delivery|BareHTTPPost' .
//
// and the valuation backlog, drained by the same worker:
//
//	go test -run '^$' -bench ValuationBacklog -benchtime 2000x .

func localReceiver(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv
}

const benchPayload = `{"id":"evt_0354xenzrvWa1vP1kGF4eK","type":"asset.submitted","created_at":"2026-03-31T14:00:00Z","api_version":"v1","data":{"asset_id":"asset_0354xenzrvWa1vP1kGF4eK","currency":"USD","estimated_value":85000,"name":"CNC Milling Machine","status":"pending_valuation","type":"equipment"}}`

// BenchmarkBareHTTPPost is the floor: one POST of a delivery-sized body.
func BenchmarkBareHTTPPost(b *testing.B) {
	srv := localReceiver(b)
	client := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		res, err := client.Post(srv.URL, "application/json", bytes.NewReader([]byte(benchPayload)))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// countingDB counts the jobs of one kind completed, however their outcomes
// reach it.
type countingDB struct {
	*sqlite.DB
	kind      string
	claimed   sync.Map // job id -> kind
	completed atomic.Int64
}

func (c *countingDB) ClaimJobs(ctx context.Context, cl jobs.Claim) ([]*jobs.Job, error) {
	js, err := c.DB.ClaimJobs(ctx, cl)
	for _, j := range js {
		c.claimed.Store(j.ID, j.Kind)
	}
	return js, err
}

func (c *countingDB) count(id int64) {
	if k, _ := c.claimed.Load(id); k == c.kind {
		c.completed.Add(1)
	}
}

func (c *countingDB) CompleteJob(ctx context.Context, id int64, worker string, attempt int, now time.Time) error {
	err := c.DB.CompleteJob(ctx, id, worker, attempt, now)
	if err == nil {
		c.count(id)
	}
	return err
}

func (c *countingDB) RecordOutcomes(ctx context.Context, os []jobs.Outcome) ([]error, error) {
	errs, err := c.DB.RecordOutcomes(ctx, os)
	for i, o := range os {
		if err == nil && errs[i] == nil && o.Status == jobs.StatusCompleted {
			c.count(o.ID)
		}
	}
	return errs, err
}

// InTx counts the jobs completed inside a transaction (a handler's own
// completion, jobs.ErrRecorded) once it has committed.
func (c *countingDB) InTx(ctx context.Context, fn func(tx assetmint.Tx) error) error {
	var completed []int64
	err := c.DB.InTx(ctx, func(tx assetmint.Tx) error {
		completed = completed[:0]
		return fn(countingTx{tx, &completed})
	})
	if err == nil {
		for _, id := range completed {
			c.count(id)
		}
	}
	return err
}

type countingTx struct {
	assetmint.Tx
	completed *[]int64
}

func (t countingTx) RecordOutcomes(ctx context.Context, os []jobs.Outcome) ([]error, error) {
	errs, err := t.Tx.RecordOutcomes(ctx, os)
	for i, o := range os {
		if err == nil && errs[i] == nil && o.Status == jobs.StatusCompleted {
			*t.completed = append(*t.completed, o.ID)
		}
	}
	return errs, err
}

// EnqueueFanout passes the store's capability through, as the Engine sees
// it without the counting.
func (t countingTx) EnqueueFanout(ctx context.Context, businessID, eventType string, j func() jobs.New, now time.Time) (bool, error) {
	return t.Tx.(assetmint.FanoutEnqueuer).EnqueueFanout(ctx, businessID, eventType, j, now)
}

// QueueValuation and TakeValuation pass the store's ValuationQueue through.
func (t countingTx) QueueValuation(ctx context.Context, v *assetmint.QueuedValuation) error {
	return t.Tx.(assetmint.ValuationQueuer).QueueValuation(ctx, v)
}

func (t countingTx) TakeValuation(ctx context.Context, id int64, valuationID, worker string, attempt int) (*assetmint.QueuedValuation, error) {
	return t.Tx.(assetmint.ValuationQueuer).TakeValuation(ctx, id, valuationID, worker, attempt)
}

func benchEngine(b *testing.B) (*countingDB, *assetmint.Engine) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"), sqlite.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	c := &countingDB{DB: db, kind: assetmint.JobWebhookFanout}
	engine, err := assetmint.New(c, assetmint.Config{MasterKey: testMasterKey, Logger: slog.New(slog.DiscardHandler), Webhooks: assetmint.WebhookConfig{AllowPrivate: true}})
	if err != nil {
		b.Fatal(err)
	}
	return c, engine
}

// runUntil runs the engine's worker (Engine.Run, the default settings)
// until done says so, timing only that, and stops it.
func runUntil(b *testing.B, engine *assetmint.Engine, done func() bool) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	b.ResetTimer()
	go func() { stopped <- engine.Run(ctx) }()
	for !done() {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	cancel()
	if err := <-stopped; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDelivery is the whole path per event, from the event appended
// to its delivery's outcome recorded: the fan-out job, which creates the
// delivery and makes its first attempt (the signed POST), the delivery
// marked delivered and the job completed, with the workers running as
// Engine.Run runs them, with their default settings.
func BenchmarkDelivery(b *testing.B) {
	ctx := context.Background()
	db, engine := benchEngine(b)
	biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	srv := localReceiver(b)
	if _, err := engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: srv.URL + "/hook"}); err != nil {
		b.Fatal(err)
	}
	// The events and their fan-out jobs, as emit writes them.
	now := time.Now()
	err = db.InTx(ctx, func(tx assetmint.Tx) error {
		for i := range b.N {
			id := fmt.Sprintf("evt_bench%012d", i)
			ev := &assetmint.Event{ID: id, BusinessID: biz.ID, Type: "asset.submitted", CreatedAt: now,
				Data: json.RawMessage(`{"asset_id":"asset_0354xenzrvWa1vP1kGF4eK","estimated_value":85000}`)}
			if err := tx.AppendEvent(ctx, ev); err != nil {
				return err
			}
			payload, _ := json.Marshal(map[string]any{"business_id": biz.ID, "event_id": id, "event_type": ev.Type, "created_at": ev.CreatedAt, "data": ev.Data})
			if _, err := tx.EnqueueJob(ctx, jobs.New{Kind: assetmint.JobWebhookFanout, UniqueKey: "fanout:" + id, Payload: payload}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	before := db.GroupStats()
	runUntil(b, engine, func() bool { return db.completed.Load() >= int64(b.N) })
	after := db.GroupStats()
	page, err := engine.WebhookDeliveries(ctx, biz.ID, mustEndpoint(b, engine, biz.ID), assetmint.ListParams{Limit: 1})
	if err != nil || len(page.Items) == 0 || page.Items[0].Status != assetmint.DeliveryDelivered {
		b.Fatalf("deliveries not delivered: %v %+v", err, page.Items)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
	// The share of the run the one writer was busy, and committing: near 1,
	// deliveries wait for the writer (docs/performance.md).
	b.ReportMetric(float64(after.Busy-before.Busy)/float64(b.Elapsed()), "writer-busy")
	b.ReportMetric(float64(after.Committing-before.Committing)/float64(b.Elapsed()), "writer-committing")
}

// BenchmarkValuationBacklog is how fast the worker (Engine.Run, default
// settings) drains a backlog of submitted assets: each one's valuation job
// (read the asset and its documents, value it, record the report, move the
// asset on, emit its events), until no asset is pending valuation. The
// business has no webhook endpoint, so its events get no fan-out jobs
// (enqueueFanout). It reports valuations/s.
func BenchmarkValuationBacklog(b *testing.B) {
	ctx := context.Background()
	_, engine := benchEngine(b)
	biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				_, err := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "CNC Milling Machine", Type: assetmint.AssetEquipment,
					Description: "Industrial CNC machine, 2021, excellent condition", EstimatedValue: decimal.NewFromInt(85000),
					Metadata: map[string]any{"year": json.Number("2021"), "condition": "excellent"}})
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	pending := func() bool {
		p, err := engine.Assets(ctx, biz.ID, assetmint.AssetFilter{Status: assetmint.AssetPendingValuation}, assetmint.ListParams{Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		return len(p.Items) > 0
	}
	b.ReportAllocs()
	runUntil(b, engine, func() bool { return !pending() })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "valuations/s")
}

func mustEndpoint(b *testing.B, e *assetmint.Engine, biz string) string {
	page, err := e.WebhookEndpoints(context.Background(), biz, assetmint.ListParams{})
	if err != nil || len(page.Items) != 1 {
		b.Fatal(err)
	}
	return page.Items[0].ID
}
