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
	"testing"
	"time"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
)

// Delivery throughput to a local receiver, beside a bare HTTP POST loop to
// the same receiver, so the cost of the outbox, fan-out, signing and
// bookkeeping shows as a ratio:
//
//	go test -run '^$' -bench 'Delivery|BareHTTPPost' .

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

// BenchmarkDelivery is the whole path per event: the fan-out job, the
// delivery record and its job, the signed POST, and the outcome recorded.
func BenchmarkDelivery(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"), sqlite.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	engine, err := assetmint.New(db, assetmint.Config{MasterKey: testMasterKey, Logger: slog.New(slog.DiscardHandler),
		Webhooks: assetmint.WebhookConfig{AllowPrivate: true}})
	if err != nil {
		b.Fatal(err)
	}
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
			payload, _ := json.Marshal(map[string]string{"business_id": biz.ID, "event_id": id})
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
	b.ResetTimer()
	if err := engine.RunPending(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	page, err := engine.WebhookDeliveries(ctx, biz.ID, mustEndpoint(b, engine, biz.ID), assetmint.ListParams{Limit: 1})
	if err != nil || len(page.Items) == 0 || page.Items[0].Status != assetmint.DeliveryDelivered {
		b.Fatalf("deliveries not delivered: %v %+v", err, page.Items)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}

func mustEndpoint(b *testing.B, e *assetmint.Engine, biz string) string {
	page, err := e.WebhookEndpoints(context.Background(), biz, assetmint.ListParams{})
	if err != nil || len(page.Items) != 1 {
		b.Fatal(err)
	}
	return page.Items[0].ID
}
