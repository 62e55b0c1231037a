package assetmint_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/webhooks"
)

// receiver is a test webhook endpoint that verifies every delivery with
// the webhooks package and answers what respond says.
type receiver struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	secrets []string
	now     func() time.Time
	got     []delivery
	respond func(n int) int // status for the n-th request (0-based)
}

type delivery struct {
	id, typ, timestamp string
	event              webhooks.Event
	verifyErr          error
}

func newReceiver(t *testing.T, now func() time.Time, respond func(n int) int) *receiver {
	rc := &receiver{t: t, now: now, respond: respond}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		v := webhooks.Verifier{Secrets: rc.secrets, Now: rc.now}
		d := delivery{id: r.Header.Get("webhook-id"), typ: r.Header.Get("X-AssetMint-Event"), timestamp: r.Header.Get("webhook-timestamp"),
			verifyErr: v.VerifyStandard(r.Header, body)}
		_ = json.Unmarshal(body, &d.event)
		n := len(rc.got)
		rc.got = append(rc.got, d)
		rc.mu.Unlock()
		w.WriteHeader(rc.respond(n))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

func ok200(int) int { return http.StatusOK }

func webhookSetup(t *testing.T) *bundle {
	return flowSetup(t, func(c *assetmint.Config) { c.Webhooks.AllowPrivate = true })
}

func (b *bundle) endpoint(t *testing.T, biz string, rc *receiver, events ...string) *assetmint.WebhookEndpoint {
	t.Helper()
	w, err := b.engine.CreateWebhookEndpoint(context.Background(), biz, assetmint.NewWebhookEndpoint{URL: rc.srv.URL + "/hook", Events: events})
	require.NoError(t, err)
	rc.mu.Lock()
	rc.secrets = []string{w.Secret}
	rc.mu.Unlock()
	return w
}

// Every event of the business reaches its endpoint once, signed, in the
// Standard Webhooks shape, with the event id as webhook-id.
func TestEventsAreDeliveredSigned(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	rc := newReceiver(t, b.clock.Now, ok200)
	all := b.endpoint(t, biz.ID, rc)
	only := newReceiver(t, b.clock.Now, ok200)
	b.endpoint(t, biz.ID, only, "asset.valuation_complete")

	a := cnc(t, b.engine, biz.ID)
	require.NoError(t, b.engine.RunPending(ctx))

	got := rc.deliveries()
	var types []string
	for _, d := range got {
		require.NoError(t, d.verifyErr)
		require.Equal(t, d.event.ID, d.id)
		require.Equal(t, d.event.Type, d.typ)
		require.Equal(t, "v1", d.event.APIVersion)
		types = append(types, d.typ)
	}
	require.ElementsMatch(t, []string{"asset.submitted", "asset.valuation_complete"}, types)
	filtered := only.deliveries()
	require.Len(t, filtered, 1, "the event filter applies")
	require.Equal(t, "asset.valuation_complete", filtered[0].typ)
	var data map[string]any
	require.NoError(t, json.Unmarshal(filtered[0].event.Data, &data))
	require.Equal(t, a.ID, data["asset_id"])
	for _, k := range []string{"valuation_id", "value", "currency", "confidence"} {
		require.Contains(t, data, k)
	}

	page, err := b.engine.WebhookDeliveries(ctx, biz.ID, all.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	for _, d := range page.Items {
		require.Equal(t, assetmint.DeliveryDelivered, d.Status)
		require.Equal(t, 1, d.Attempts)
		require.Equal(t, 200, d.LastStatusCode)
	}

	// Running the jobs again delivers nothing twice.
	require.NoError(t, b.engine.RunPending(ctx))
	require.Len(t, rc.deliveries(), 2)
}

// A fan-out run again after a crash (its lease lapsed): the endpoint
// whose delivery the earlier run recorded gets nothing more; the one it
// never recorded gets the event, once, from the new run.
func TestFanoutRunAgainSkipsWhatWasRecorded(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	unrecorded := newReceiver(t, b.clock.Now, ok200)
	recorded := newReceiver(t, b.clock.Now, ok200)
	we1 := b.endpoint(t, biz.ID, unrecorded, "asset.submitted")
	we2 := b.endpoint(t, biz.ID, recorded, "asset.submitted")
	_, err = b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	events, err := b.engine.Events(ctx, biz.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, events.Items, 1)
	ev := events.Items[0]

	// The earlier run: it claimed the fan-out job, recorded the delivery
	// to the second endpoint, and died; its lease lapses.
	claimed, err := b.db.ClaimJobs(ctx, jobs.Claim{Worker: "crashed", Kinds: []string{assetmint.JobWebhookFanout}, Limit: 1,
		Lease: time.Minute, Now: b.clock.Now()})
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	now := b.clock.Now()
	earlier := &assetmint.WebhookDelivery{ID: "whd_earlier0000000000001", BusinessID: biz.ID, EndpointID: we2.ID, EventID: ev.ID,
		EventType: ev.Type, Status: assetmint.DeliveryDelivered, Attempts: 1, LastStatusCode: 200, DeliveredAt: now,
		CreatedAt: now, UpdatedAt: now}
	require.NoError(t, b.db.CreateWebhookDelivery(ctx, earlier))
	b.clock.Advance(2 * time.Minute)

	require.NoError(t, b.engine.RunPending(ctx))
	require.Len(t, unrecorded.deliveries(), 1, "the endpoint the earlier run did not record gets the event")
	require.Equal(t, ev.ID, unrecorded.deliveries()[0].id)
	require.Empty(t, recorded.deliveries(), "the recorded one is not sent again")
	for _, w := range []*assetmint.WebhookEndpoint{we1, we2} {
		page, err := b.engine.WebhookDeliveries(ctx, biz.ID, w.ID, assetmint.ListParams{})
		require.NoError(t, err)
		require.Len(t, page.Items, 1, "one delivery of the event per endpoint")
		require.Equal(t, assetmint.DeliveryDelivered, page.Items[0].Status)
	}
}

// A receiver that fails the first attempt gets the retry, 5 s later, with
// the same webhook-id; 410 disables the endpoint with an event.
func TestRetriesKeepTheWebhookIDAndGoneDisables(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	flaky := newReceiver(t, b.clock.Now, func(n int) int {
		if n == 0 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	w := b.endpoint(t, biz.ID, flaky, "asset.submitted")
	_, err = b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Len(t, flaky.deliveries(), 1)
	page, err := b.engine.WebhookDeliveries(ctx, biz.ID, w.ID, assetmint.ListParams{})
	require.NoError(t, err)
	d := page.Items[0]
	require.Equal(t, assetmint.DeliveryPending, d.Status)
	require.Equal(t, 500, d.LastStatusCode)
	wait := d.NextAttemptAt.Sub(b.clock.Now())
	require.True(t, wait >= 5*time.Second && wait <= 5500*time.Millisecond, "first retry after 5 s (+ up to 10%% jitter), got %s", wait)

	_, err = b.engine.RetryWebhookDelivery(ctx, biz.ID, w.ID, d.ID)
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "a pending delivery is already scheduled")

	b.clock.Advance(6 * time.Second)
	require.NoError(t, b.engine.RunPending(ctx))
	got := flaky.deliveries()
	require.Len(t, got, 2)
	require.Equal(t, got[0].id, got[1].id, "webhook-id is stable across retries")
	require.NotEqual(t, got[0].timestamp, got[1].timestamp, "each attempt is signed anew")
	require.NoError(t, got[1].verifyErr)

	// A delivered message can be sent again on request; a pending one is
	// already scheduled.
	_, err = b.engine.RetryWebhookDelivery(ctx, biz.ID, w.ID, d.ID)
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Len(t, flaky.deliveries(), 3)
	require.Equal(t, got[0].id, flaky.deliveries()[2].id)

	gone := newReceiver(t, b.clock.Now, func(int) int { return http.StatusGone })
	gw := b.endpoint(t, biz.ID, gone, "asset.submitted")
	for range 3 { // three deliveries fail in one batch: one disabling, one event
		_, err = b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Lathe", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
		require.NoError(t, err)
	}
	require.NoError(t, b.engine.RunPending(ctx))
	disabled := 0
	for _, typ := range eventTypes(t, b.engine, biz.ID) {
		if typ == "webhook_endpoint.disabled" {
			disabled++
		}
	}
	require.Equal(t, 1, disabled)
	ep, err := b.engine.WebhookEndpoint(ctx, biz.ID, gw.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.EndpointDisabled, ep.Status)
	before := len(gone.deliveries())
	_, err = b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Mill", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Len(t, gone.deliveries(), before, "a disabled endpoint gets nothing more")
}

// An endpoint that has failed for five days without a success is
// disabled; the retry schedule runs out before that for one message.
func TestFiveDaysOfFailureDisables(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	down := newReceiver(t, b.clock.Now, func(int) int { return http.StatusServiceUnavailable })
	w := b.endpoint(t, biz.ID, down, "asset.submitted")
	submit := func() {
		_, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
		require.NoError(t, err)
	}
	submit()
	for range 200 { // walk the clock through the whole schedule
		require.NoError(t, b.engine.RunPending(ctx))
		b.clock.Advance(30 * time.Minute)
	}
	require.Len(t, down.deliveries(), 10, "1 attempt + 9 retries, then failed")
	page, err := b.engine.WebhookDeliveries(ctx, biz.ID, w.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Equal(t, assetmint.DeliveryFailed, page.Items[0].Status)
	ep, err := b.engine.WebhookEndpoint(ctx, biz.ID, w.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.EndpointEnabled, ep.Status, "four days in, still enabled")

	submit()
	for range 100 {
		require.NoError(t, b.engine.RunPending(ctx))
		b.clock.Advance(30 * time.Minute)
	}
	ep, err = b.engine.WebhookEndpoint(ctx, biz.ID, w.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.EndpointDisabled, ep.Status)
	require.Contains(t, ep.DisabledReason, "no successful delivery")
}

// After a rotation both secrets sign for 24 hours, so a receiver holding
// either verifies; then only the new one.
func TestSecretRotation(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	rc := newReceiver(t, b.clock.Now, ok200)
	w := b.endpoint(t, biz.ID, rc, "asset.submitted")
	old := w.Secret
	rotated, err := b.engine.RotateWebhookSecret(ctx, biz.ID, w.ID)
	require.NoError(t, err)
	require.NotEqual(t, old, rotated.Secret)

	check := func(secrets []string, want bool) {
		rc.mu.Lock()
		rc.secrets = secrets
		before := len(rc.got)
		rc.mu.Unlock()
		_, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
		require.NoError(t, err)
		require.NoError(t, b.engine.RunPending(ctx))
		got := rc.deliveries()
		require.Len(t, got, before+1)
		if want {
			require.NoError(t, got[before].verifyErr)
		} else {
			require.ErrorIs(t, got[before].verifyErr, webhooks.ErrSignatureMismatch)
		}
	}
	check([]string{old}, true)
	check([]string{rotated.Secret}, true)
	b.clock.Advance(25 * time.Hour)
	check([]string{old}, false)
	check([]string{rotated.Secret}, true)
}

// One slow endpoint never holds back another.
func TestSlowEndpointDoesNotHoldBackAFastOne(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	release := make(chan struct{})
	slow := newReceiver(t, b.clock.Now, func(int) int { <-release; return http.StatusOK })
	fast := newReceiver(t, b.clock.Now, ok200)
	b.endpoint(t, biz.ID, slow, "asset.submitted")
	b.endpoint(t, biz.ID, fast, "asset.submitted")
	for range 5 {
		_, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
		require.NoError(t, err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- b.engine.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(fast.deliveries()) < 5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	require.Len(t, fast.deliveries(), 5, "the fast endpoint got everything while the slow one hangs")
	close(release)
	cancel()
	require.NoError(t, <-done)
}

func TestEndpointURLsAreChecked(t *testing.T) {
	b := flowSetup(t) // AllowPrivate off, as in production
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	for _, u := range []string{"", "ftp://example.com/x", "http://user:pw@example.com/", "http://127.0.0.1/hook", "http://169.254.169.254/latest", "http://[::1]/", "http://10.0.0.8/x", "not a url"} {
		_, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: u})
		require.Equal(t, "url", assetmint.ErrorParam(err), u)
	}
	_, err = b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/assetmint", Events: []string{"asset.sold"}})
	require.Equal(t, "events", assetmint.ErrorParam(err))
	w, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.example.com/assetmint"})
	require.NoError(t, err)
	require.True(t, webhooks.ValidSecret(w.Secret))
}

// A delivery refused because the endpoint's host resolves to a private
// address tells the business "address not allowed", never the address;
// the server's log has it.
func TestRefusedDeliveryDoesNotRevealTheResolvedAddress(t *testing.T) {
	var logs strings.Builder
	var mu sync.Mutex
	b := flowSetup(t, func(c *assetmint.Config) {
		c.Logger = slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return logs.Write(p)
		}), nil))
		c.Webhooks.Sender = webhooks.NewSender(webhooks.ClientConfig{Resolver: staticResolver{"hooks.corp.example": "10.20.30.40"}})
	})
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	w, err := b.engine.CreateWebhookEndpoint(ctx, biz.ID, assetmint.NewWebhookEndpoint{URL: "https://hooks.corp.example/assetmint", Events: []string{"asset.submitted"}})
	require.NoError(t, err)
	cnc(t, b.engine, biz.ID)
	require.NoError(t, b.engine.RunPending(ctx))

	page, err := b.engine.WebhookDeliveries(ctx, biz.ID, w.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	d := page.Items[0]
	require.Equal(t, 1, d.Attempts)
	require.Contains(t, d.LastError, "address not allowed: hooks.corp.example is or resolves to a private, loopback or reserved address")
	require.NotContains(t, d.LastError, "10.20.30.40")

	mu.Lock()
	defer mu.Unlock()
	require.Contains(t, logs.String(), `msg="webhook delivery refused: the endpoint's host is or resolves to a blocked address"`)
	require.Contains(t, logs.String(), "host=hooks.corp.example addr=10.20.30.40")
}

// staticResolver answers host lookups from a table.
type staticResolver map[string]string

func (r staticResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	a, ok := r[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []net.IPAddr{{IP: net.ParseIP(a)}}, nil
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// workerOutcomes counts the outcomes the workers record per job (through
// the queue, outside a handler's transaction).
type workerOutcomes struct {
	*sqlite.DB
	mu       sync.Mutex
	recorded map[int64]int
}

func (w *workerOutcomes) RecordOutcomes(ctx context.Context, os []jobs.Outcome) ([]error, error) {
	w.mu.Lock()
	for _, o := range os {
		w.recorded[o.ID]++
	}
	w.mu.Unlock()
	return w.DB.RecordOutcomes(ctx, os)
}

func (w *workerOutcomes) count(id int64) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.recorded[id]
}

// The fan-out job of an event with one delivery to make is completed in
// the transaction that records the delivery (the worker records nothing
// for it); with two, by the worker, once both are recorded.
func TestFanoutCompletesItsJobWithItsOnlyDelivery(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "engine.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(context.Background()))
	store := &workerOutcomes{DB: db, recorded: map[int64]int{}}
	clock := testclock.New(time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC))
	engine, err := assetmint.New(store, assetmint.Config{Now: clock.Now, Logger: slog.New(slog.DiscardHandler), MasterKey: testMasterKey,
		Webhooks: assetmint.WebhookConfig{AllowPrivate: true}})
	require.NoError(t, err)
	b := &bundle{engine: engine, db: db, clock: clock}
	ctx := context.Background()

	for _, n := range []int{1, 2} {
		biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: fmt.Sprint("Acme ", n)})
		require.NoError(t, err)
		var receivers []*receiver
		for range n {
			rc := newReceiver(t, clock.Now, ok200)
			b.endpoint(t, biz.ID, rc, "asset.submitted")
			receivers = append(receivers, rc)
		}
		_, err = engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
		require.NoError(t, err)
		require.NoError(t, engine.RunPending(ctx))
		events, err := engine.Events(ctx, biz.ID, assetmint.ListParams{})
		require.NoError(t, err)
		var submitted *assetmint.Event
		for _, ev := range events.Items {
			if ev.Type == "asset.submitted" {
				submitted = ev
			}
		}
		require.NotNil(t, submitted)
		for _, rc := range receivers {
			require.Len(t, rc.deliveries(), 1)
		}
		job, err := db.JobByKey(ctx, "fanout:"+submitted.ID)
		require.NoError(t, err)
		require.Equal(t, jobs.StatusCompleted, job.Status, "%d endpoints", n)
		require.Equal(t, 1, job.Attempt)
		if n == 1 {
			require.Zero(t, store.count(job.ID), "completed with its delivery, not by the worker")
		} else {
			require.Equal(t, 1, store.count(job.ID), "completed by the worker")
		}
	}
}

// A fan-out job carries its event, so the fan-out does not read it back;
// one enqueued without it (before it was carried) reads it, and both send
// the same body.
func TestFanoutSendsTheEventCarriedOrStored(t *testing.T) {
	b := webhookSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	rc := newReceiver(t, b.clock.Now, ok200)
	b.endpoint(t, biz.ID, rc, "asset.submitted")
	_, err = b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	events, err := b.engine.Events(ctx, biz.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, events.Items, 1)
	ev := events.Items[0]
	job, err := b.db.JobByKey(ctx, "fanout:"+ev.ID)
	require.NoError(t, err)
	require.Contains(t, string(job.Payload), `"event_type":"asset.submitted"`, "the job carries its event")

	// An older job's payload: the ids only.
	old := &assetmint.Event{ID: "evt_older0000000000000001", BusinessID: biz.ID, Type: "asset.submitted", CreatedAt: b.clock.Now(),
		Data: json.RawMessage(`{"asset_id":"asset_older","estimated_value":100}`)}
	require.NoError(t, b.db.InTx(ctx, func(tx assetmint.Tx) error {
		if err := tx.AppendEvent(ctx, old); err != nil {
			return err
		}
		_, err := tx.EnqueueJob(ctx, jobs.New{Kind: assetmint.JobWebhookFanout, UniqueKey: "fanout:" + old.ID,
			Payload: json.RawMessage(`{"business_id":"` + biz.ID + `","event_id":"` + old.ID + `"}`)}, b.clock.Now())
		return err
	}))
	require.NoError(t, b.engine.RunPending(ctx))

	got := map[string]webhooks.Event{}
	for _, d := range rc.deliveries() {
		require.NoError(t, d.verifyErr)
		got[d.id] = d.event
	}
	require.Len(t, got, 2)
	for _, want := range []*assetmint.Event{ev, old} {
		e, ok := got[want.ID]
		require.True(t, ok, want.ID)
		require.Equal(t, want.Type, e.Type)
		require.JSONEq(t, string(want.Data), string(e.Data))
		require.True(t, want.CreatedAt.Truncate(time.Second).Equal(e.CreatedAt), "%s: created %s, want %s", want.ID, e.CreatedAt, want.CreatedAt)
	}
}
