package assetmint_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/valuation"
)

// flowSetup is an engine with document storage, on a clock set to the
// research's valuation date. Background jobs run when a test calls settle.
func flowSetup(t *testing.T, mutate ...func(*assetmint.Config)) *bundle {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "engine.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(context.Background()))
	blobs, err := fsblob.New(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	clock := testclock.New(time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC))
	cfg := assetmint.Config{
		Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Blobs: blobs, MasterKey: testMasterKey,
		Jobs: jobs.WorkerConfig{PollInterval: 2 * time.Millisecond},
	}
	for _, m := range mutate {
		m(&cfg)
	}
	engine, err := assetmint.New(db, cfg)
	require.NoError(t, err)
	return &bundle{engine: engine, db: db, clock: clock}
}

// settle runs the pending background jobs and checks the asset's status.
func (b *bundle) settle(t *testing.T, biz, id string, want assetmint.AssetStatus) *assetmint.Asset {
	t.Helper()
	require.NoError(t, b.engine.RunPending(context.Background()))
	a, err := b.engine.Asset(context.Background(), biz, id)
	require.NoError(t, err)
	require.Equal(t, want, a.Status)
	return a
}

func cnc(t *testing.T, e *assetmint.Engine, biz string) *assetmint.Asset {
	a, err := e.SubmitAsset(context.Background(), biz, assetmint.NewAsset{
		Name:           "CNC Milling Machine — Model X200",
		Type:           assetmint.AssetEquipment,
		Description:    "Industrial CNC machine, 2021, excellent condition",
		EstimatedValue: decimal.NewFromInt(85000),
	})
	require.NoError(t, err)
	return a
}

const pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func invoice(assetID, serial string) assetmint.NewDocument {
	return assetmint.NewDocument{
		AssetID: assetID, Kind: valuation.KindInvoice, Filename: "invoice-x200.pdf", Content: strings.NewReader(pdf + serial),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(150000)), Currency: "USD",
		Date: new(time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)), Serial: serial, Issuer: "Haas Automation",
	}
}

func eventTypes(t *testing.T, e *assetmint.Engine, biz string) []string {
	page, err := e.Events(context.Background(), biz, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	var out []string
	for i := len(page.Items) - 1; i >= 0; i-- {
		out = append(out, page.Items[i].Type)
	}
	return out
}

// The reference's CNC machine with its invoice: valued on the invoice,
// depreciated by age and condition, coherent, and verified.
func TestCNCWithInvoiceIsValuedAndVerified(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", Plan: auth.PlanBusiness})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	doc, err := b.engine.UploadDocument(ctx, biz.ID, invoice(a.ID, "X200-0042"))
	require.NoError(t, err)
	require.Equal(t, "application/pdf", doc.ContentType)
	require.Len(t, doc.SHA256, 64)

	b.settle(t, biz.ID, a.ID, assetmint.AssetVerified)
	v, err := b.engine.LatestValuation(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	r := v.Report
	require.Equal(t, valuation.AnchorInvoice, r.Anchor.Source)
	require.Equal(t, doc.ID, r.Anchor.DocumentID)
	require.True(t, r.Anchor.Amount.Equal(decimal.NewFromInt(150000)))
	require.True(t, r.Value.LessThan(r.Anchor.Amount), "depreciated")
	require.InDelta(t, 101500, r.Value.InexactFloat64(), 2500, "the research's worked example")
	require.True(t, r.Low.LessThanOrEqual(r.Value) && r.Value.LessThanOrEqual(r.High))
	require.True(t, r.Premises.FLV.LessThanOrEqual(r.Premises.OLV) && r.Premises.OLV.LessThanOrEqual(r.Premises.FMV))
	require.True(t, r.MaxLoan.LessThanOrEqual(r.LendingValue))
	require.False(t, r.Blocking())
	require.GreaterOrEqual(t, r.Confidence, 75)

	require.Equal(t, []string{"asset.submitted", "document.uploaded", "asset.valuation_complete", "asset.verified"}, eventTypes(t, b.engine, biz.ID))
	page, err := b.engine.Events(ctx, biz.ID, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	for _, ev := range page.Items {
		if ev.Type == "asset.valuation_complete" {
			var data map[string]any
			require.NoError(t, json.Unmarshal(ev.Data, &data))
			require.Equal(t, a.ID, data["asset_id"])
			require.Equal(t, v.ID, data["valuation_id"])
			require.Equal(t, "USD", data["currency"])
			require.Equal(t, r.Value.StringFixed(2), decimal.NewFromFloat(data["value"].(float64)).StringFixed(2))
			require.EqualValues(t, r.Confidence, data["confidence"])
		}
	}
	hist, err := b.engine.Valuations(ctx, biz.ID, a.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, hist.Items, 1, "the submit's job was overtaken by the upload's and valued nothing")
}

// Without the required evidence the asset is valued but waits for an
// operator, who can verify or reject it.
func TestDeclaredOnlyAssetWaitsForAnOperator(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	b.settle(t, biz.ID, a.ID, assetmint.AssetValued)
	v, err := b.engine.LatestValuation(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, valuation.AnchorDeclared, v.Report.Anchor.Source)

	_, err = b.engine.Operator().RejectAsset(ctx, a.ID, " ")
	require.Equal(t, "reason", assetmint.ErrorParam(err))
	got, err := b.engine.Operator().VerifyAsset(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetVerified, got.Status)
	require.Contains(t, eventTypes(t, b.engine, biz.ID), "asset.verified")

	other := cnc(t, b.engine, biz.ID)
	b.settle(t, biz.ID, other.ID, assetmint.AssetValued)
	got, err = b.engine.Operator().RejectAsset(ctx, other.ID, "appraisal could not be confirmed")
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetRejected, got.Status)
	_, err = b.engine.Operator().RejectAsset(ctx, other.ID, "again")
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))
	_, err = b.engine.Operator().VerifyAsset(ctx, "asset_missing")
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err))
}

// The same serial on two businesses' assets is flagged as possible double
// pledging, and the second asset is not verified automatically.
func TestDuplicateSerialAcrossBusinessesBlocksVerification(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	first, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "First"})
	require.NoError(t, err)
	second, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Second"})
	require.NoError(t, err)
	a1 := cnc(t, b.engine, first.ID)
	_, err = b.engine.UploadDocument(ctx, first.ID, invoice(a1.ID, "X200-0042"))
	require.NoError(t, err)
	b.settle(t, first.ID, a1.ID, assetmint.AssetVerified)

	a2 := cnc(t, b.engine, second.ID)
	_, err = b.engine.UploadDocument(ctx, second.ID, invoice(a2.ID, "x200 0042"))
	require.NoError(t, err)
	b.settle(t, second.ID, a2.ID, assetmint.AssetValued)
	v, err := b.engine.LatestValuation(ctx, second.ID, a2.ID)
	require.NoError(t, err)
	var codes []string
	for _, f := range v.Report.Flags {
		codes = append(codes, f.Code)
	}
	require.Contains(t, codes, "DUPLICATE_SERIAL")
	require.True(t, v.Report.Blocking())
	require.NotContains(t, string(mustJSON(t, v.Report)), first.ID, "another business's id never reaches the report")
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// A valuation job that runs again (a crash after recording, before the
// queue heard of it) records nothing twice.
func TestValuationJobIsIdempotent(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	b.settle(t, biz.ID, a.ID, assetmint.AssetValued)
	events := eventTypes(t, b.engine, biz.ID)

	v, err := b.engine.LatestValuation(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	// The valuation was queued with its asset (the store's ValuationQueue)
	// and taken off the queue as its report was recorded; its job, as a
	// valuation handed over to the job queue runs (valuationJob's fields).
	payload := fmt.Sprintf(`{"business_id":%q,"asset_id":%q,"valuation_id":%q,"as_of":%q,"revision":0}`,
		biz.ID, a.ID, v.ID, v.CreatedAt.Format(time.RFC3339Nano))
	_, err = b.db.EnqueueJob(ctx, jobs.New{Kind: assetmint.JobValuation, Lane: "asset:" + a.ID, UniqueKey: "rerun", Payload: []byte(payload)}, b.clock.Now())
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	j, err := b.db.JobByKey(ctx, "rerun")
	require.NoError(t, err)
	require.Equal(t, jobs.StatusCompleted, j.Status)
	hist, err := b.engine.Valuations(ctx, biz.ID, a.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, hist.Items, 1)
	require.Equal(t, events, eventTypes(t, b.engine, biz.ID))
}

// gate is an External valuation model whose calls wait until release is
// closed, then fail (the report falls back to the deterministic one),
// counting the calls in flight.
type gate struct {
	release   chan struct{}
	mu        sync.Mutex
	now, most int
	calls     int
}

func (g *gate) Name() string    { return "gate" }
func (g *gate) Version() string { return "1" }

func (g *gate) Value(ctx context.Context, _ valuation.Input) (*valuation.Report, error) {
	g.mu.Lock()
	g.now++
	g.calls++
	g.most = max(g.most, g.now)
	g.mu.Unlock()
	defer func() { g.mu.Lock(); g.now--; g.mu.Unlock() }()
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	return nil, errors.New("gate: closed")
}

func (g *gate) counts() (now, most, calls int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.now, g.most, g.calls
}

// Valuations run in a worker of their own, ValuationConfig.Concurrency at
// once, whatever the other jobs' concurrency.
func TestValuationsRunConcurrencyAtOnce(t *testing.T) {
	g := &gate{release: make(chan struct{})}
	b := flowSetup(t, func(c *assetmint.Config) {
		c.Valuation.External, c.Valuation.ExternalTimeout, c.Valuation.Concurrency = g, time.Minute, 2
		c.Jobs.Concurrency = 16
	})
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	var ids []string
	for range 5 {
		ids = append(ids, cnc(t, b.engine, biz.ID).ID)
	}
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- b.engine.Run(runCtx) }()
	defer func() { stop(); require.NoError(t, <-ran) }()

	require.Eventually(t, func() bool { now, _, _ := g.counts(); return now == 2 }, 10*time.Second, 2*time.Millisecond,
		"two valuations in flight")
	time.Sleep(100 * time.Millisecond) // time for a third to start, were the bound not kept
	_, most, calls := g.counts()
	require.Equal(t, 2, most, "valuations in flight at once")
	require.Equal(t, 2, calls)
	close(g.release)
	require.Eventually(t, func() bool {
		for _, id := range ids {
			a, err := b.engine.Asset(ctx, biz.ID, id)
			require.NoError(t, err)
			if a.Status == assetmint.AssetPendingValuation {
				return false
			}
		}
		return true
	}, 10*time.Second, 5*time.Millisecond, "every asset valued")
	_, most, calls = g.counts()
	require.Equal(t, 2, most)
	require.Equal(t, 5, calls)

	_, err = assetmint.New(b.db, assetmint.Config{MasterKey: testMasterKey, Valuation: assetmint.ValuationConfig{Concurrency: -1}})
	require.ErrorContains(t, err, "ValuationConfig.Concurrency")
}

// A valuation that fails leaves the store's valuation queue for the job
// queue, whose dead letters the operator sees: one whose input the model
// refuses (a negative net operating income) is dead-lettered there after
// one more run, and the asset stays pending valuation.
func TestFailedValuationIsDeadLetteredForTheOperator(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Warehouse", Type: assetmint.AssetRealEstate,
		EstimatedValue: decimal.NewFromInt(900000), Metadata: map[string]any{"noi": json.Number("-5")}})
	require.NoError(t, err)
	b.settle(t, biz.ID, a.ID, assetmint.AssetPendingValuation)
	dead, total, err := b.engine.Operator().DeadJobs(ctx, 5)
	require.NoError(t, err)
	require.Equal(t, 1, total)
	require.Equal(t, assetmint.JobValuation, dead[0].Kind)
	require.Contains(t, dead[0].LastError, "attributes.noi")
	require.Contains(t, string(dead[0].Payload), a.ID)

	// Nothing of it is left to run: not in the queue, whose leases expire.
	b.clock.Advance(time.Hour)
	b.settle(t, biz.ID, a.ID, assetmint.AssetPendingValuation)
	_, total, err = b.engine.Operator().DeadJobs(ctx, 5)
	require.NoError(t, err)
	require.Equal(t, 1, total)
	_, err = b.engine.LatestValuation(ctx, biz.ID, a.ID)
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err))
}

// A queued valuation whose claims never finished (three processes died
// while valuing it) is handed over to the job queue at its next claim,
// whose attempt limit stops a valuation that kills its process; there it
// runs as before.
func TestValuationClaimedTooOftenMovesToTheJobQueue(t *testing.T) {
	b := flowSetup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	for i := range 3 { // three claims whose holders died
		got, err := b.db.ClaimValuations(ctx, jobs.Claim{Worker: fmt.Sprintf("dead_%d", i), Limit: 1, Lease: time.Minute, Now: b.clock.Now()})
		require.NoError(t, err)
		require.Len(t, got, 1)
		b.clock.Advance(time.Minute)
	}
	b.settle(t, biz.ID, a.ID, assetmint.AssetValued)
	v, err := b.engine.LatestValuation(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	j, err := b.db.JobByKey(ctx, "valuation:"+v.ID)
	require.NoError(t, err, "valued by a job")
	require.Equal(t, jobs.StatusCompleted, j.Status)
	left, err := b.db.ClaimValuations(ctx, jobs.Claim{Worker: "w", Limit: 1, Lease: time.Minute, Now: b.clock.Now().Add(time.Hour)})
	require.NoError(t, err)
	require.Empty(t, left, "nothing left in the valuation queue")
}
