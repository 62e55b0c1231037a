package assetmint_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/auth"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/store/sqlite"
)

// testMasterKey seals the test engines' secrets at rest.
var testMasterKey = []byte("0123456789abcdef0123456789abcdef")

type bundle struct {
	engine *assetmint.Engine
	db     *sqlite.DB
	clock  *testclock.Clock
}

func setup(t *testing.T) *bundle {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "engine.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(context.Background()))
	clock := testclock.New(time.Date(2026, 3, 31, 14, 0, 0, 0, time.UTC))
	engine, err := assetmint.New(db, assetmint.Config{
		Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MasterKey: testMasterKey,
		Jobs: jobs.WorkerConfig{PollInterval: 5 * time.Millisecond},
	})
	require.NoError(t, err)
	return &bundle{engine: engine, db: db, clock: clock}
}

func TestSubmitAssetValidation(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	require.Equal(t, auth.PlanDeveloper, biz.Plan, "developer is the default plan")

	valid := func() assetmint.NewAsset {
		return assetmint.NewAsset{Name: "Truck", Type: assetmint.AssetVehicle, EstimatedValue: decimal.RequireFromString("42000.50")}
	}
	cases := []struct {
		param  string
		mutate func(*assetmint.NewAsset)
	}{
		{"name", func(a *assetmint.NewAsset) { a.Name = "" }},
		{"type", func(a *assetmint.NewAsset) { a.Type = "" }},
		{"type", func(a *assetmint.NewAsset) { a.Type = "spaceship" }},
		{"estimated_value", func(a *assetmint.NewAsset) { a.EstimatedValue = decimal.Zero }},
		{"estimated_value", func(a *assetmint.NewAsset) { a.EstimatedValue = decimal.RequireFromString("-1") }},
		{"estimated_value", func(a *assetmint.NewAsset) { a.EstimatedValue = decimal.RequireFromString("0.001") }},
		{"currency", func(a *assetmint.NewAsset) { a.Currency = "US" }},
		{"metadata", func(a *assetmint.NewAsset) {
			a.Metadata = map[string]any{}
			for i := range 51 {
				a.Metadata[string(rune('a'+i%26))+string(rune('a'+i/26))] = i
			}
		}},
	}
	for _, tc := range cases {
		in := valid()
		tc.mutate(&in)
		_, err := b.engine.SubmitAsset(ctx, biz.ID, in)
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), tc.param)
		require.Equal(t, tc.param, assetmint.ErrorParam(err))
	}
	page, err := b.engine.Assets(ctx, biz.ID, assetmint.AssetFilter{}, assetmint.ListParams{})
	require.NoError(t, err)
	require.Empty(t, page.Items, "nothing was written")

	a, err := b.engine.SubmitAsset(ctx, biz.ID, valid())
	require.NoError(t, err)
	require.Equal(t, "USD", a.Currency)
	require.Equal(t, assetmint.AssetPendingValuation, a.Status)
	require.True(t, a.EstimatedValue.Equal(decimal.RequireFromString("42000.5")))
}

// A change to what a valuation rests on (any field: metadata holds
// attributes) sends the asset back to pending_valuation; once on chain or
// rejected only metadata may change, without a revaluation.
func TestUpdateAssetStatusRules(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	setStatus := func(s assetmint.AssetStatus) {
		cur, err := b.db.Asset(ctx, biz.ID, a.ID)
		require.NoError(t, err)
		cur.Status = s
		require.NoError(t, b.db.UpdateAsset(ctx, cur))
	}
	desc := func(s string) *string { return &s }

	for _, from := range []assetmint.AssetStatus{assetmint.AssetValued, assetmint.AssetVerified} {
		setStatus(from)
		got, err := b.engine.UpdateAsset(ctx, biz.ID, a.ID, assetmint.AssetUpdate{Description: desc("now " + string(from))})
		require.NoError(t, err)
		require.Equal(t, assetmint.AssetPendingValuation, got.Status, "from %s", from)

		setStatus(from)
		got, err = b.engine.UpdateAsset(ctx, biz.ID, a.ID, assetmint.AssetUpdate{Metadata: map[string]any{"k": string(from)}})
		require.NoError(t, err)
		require.Equal(t, assetmint.AssetPendingValuation, got.Status, "metadata holds valuation attributes: a change revalues")
	}
	for _, from := range []assetmint.AssetStatus{assetmint.AssetRejected, assetmint.AssetTokenized, assetmint.AssetPledged, assetmint.AssetLiquidated} {
		setStatus(from)
		_, err := b.engine.UpdateAsset(ctx, biz.ID, a.ID, assetmint.AssetUpdate{Description: desc("changed")})
		require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "from %s", from)
		got, err := b.engine.UpdateAsset(ctx, biz.ID, a.ID, assetmint.AssetUpdate{Metadata: map[string]any{"k": "v2" + string(from)}})
		if from == assetmint.AssetPledged {
			require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "a pledged asset cannot change at all")
			continue
		}
		require.NoError(t, err)
		require.Equal(t, from, got.Status)
	}

	// An update that changes nothing writes nothing, not even an event.
	before, err := b.engine.Events(ctx, biz.ID, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	cur, err := b.engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	_, err = b.engine.UpdateAsset(ctx, biz.ID, a.ID, assetmint.AssetUpdate{Name: &cur.Name})
	require.NoError(t, err)
	after, err := b.engine.Events(ctx, biz.ID, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, after.Items, len(before.Items))
}

func TestEnsureClient(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, err := b.engine.Operator().EnsureClient(ctx, "your_client_id", "your_client_secret_at_least_32_chars", assetmint.NewBusiness{Name: "Bootstrap", Plan: auth.PlanBusiness})
	require.NoError(t, err)
	require.Equal(t, auth.PlanBusiness, biz.Plan)
	_, err = b.engine.IssueToken(ctx, "your_client_id", "your_client_secret_at_least_32_chars")
	require.NoError(t, err)

	again, err := b.engine.Operator().EnsureClient(ctx, "your_client_id", "a-new-secret-also-32-characters-long", assetmint.NewBusiness{Name: "Bootstrap", Plan: auth.PlanEnterprise})
	require.NoError(t, err)
	require.Equal(t, biz.ID, again.ID, "the same business")
	require.Equal(t, auth.PlanEnterprise, again.Plan)
	_, err = b.engine.IssueToken(ctx, "your_client_id", "your_client_secret_at_least_32_chars")
	require.ErrorIs(t, err, assetmint.ErrInvalidClient, "the configured secret replaces the old one")
	_, err = b.engine.IssueToken(ctx, "your_client_id", "a-new-secret-also-32-characters-long")
	require.NoError(t, err)

	require.NoError(t, b.engine.Operator().RevokeClient(ctx, "your_client_id"))
	_, err = b.engine.Operator().EnsureClient(ctx, "your_client_id", "a-new-secret-also-32-characters-long", assetmint.NewBusiness{})
	require.NoError(t, err)
	_, err = b.engine.IssueToken(ctx, "your_client_id", "a-new-secret-also-32-characters-long")
	require.NoError(t, err, "ensuring a revoked client re-enables it")

	_, err = b.engine.Operator().EnsureClient(ctx, "", "x", assetmint.NewBusiness{})
	require.Equal(t, "client_id", assetmint.ErrorParam(err))
	short := strings.Repeat("s", assetmint.MinClientSecretLength-1)
	_, err = b.engine.Operator().EnsureClient(ctx, "your_client_id", short, assetmint.NewBusiness{})
	require.Equal(t, "client_secret", assetmint.ErrorParam(err))
	require.Equal(t, "client_secret must be at least 32 characters", assetmint.ErrorMessage(err))
	_, err = b.engine.IssueToken(ctx, "your_client_id", "a-new-secret-also-32-characters-long")
	require.NoError(t, err, "a refused secret changes nothing")
	_, err = b.engine.Operator().EnsureClient(ctx, "your_client_id", strings.Repeat("é", 31)+"x", assetmint.NewBusiness{})
	require.NoError(t, err, "characters, not bytes")
}

// The hourly maintenance job prunes idempotency records and completed jobs
// past their retention, and nothing younger.
func TestMaintenancePrunes(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	old, now := b.clock.Now().Add(-72*time.Hour), b.clock.Now()
	for key, at := range map[string]time.Time{"old": old, "fresh": now.Add(-time.Hour)} {
		rec := assetmint.IdempotencyRecord{Scope: "operator", Key: key, RequestHash: "h", LockedUntil: at.Add(time.Minute), CreatedAt: at}
		_, err := b.db.ReserveIdempotencyKey(ctx, rec, at, at.Add(-24*time.Hour))
		require.NoError(t, err)
		require.NoError(t, b.db.CompleteIdempotencyKey(ctx, rec, 201, []byte(`{}`)))
	}

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- b.engine.Run(runCtx) }()
	key := assetmint.JobMaintenance + "@2026-03-31T14:00:00Z"
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if j, err := b.db.JobByKey(ctx, key); err == nil && j.Status == jobs.StatusCompleted {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	require.NoError(t, <-done)
	j, err := b.db.JobByKey(ctx, key)
	require.NoError(t, err)
	require.Equal(t, jobs.StatusCompleted, j.Status)

	for key, kept := range map[string]bool{"old": false, "fresh": true} {
		rec := assetmint.IdempotencyRecord{Scope: "operator", Key: key, RequestHash: "other", LockedUntil: now.Add(time.Minute), CreatedAt: now}
		prev, err := b.db.ReserveIdempotencyKey(ctx, rec, now, now.Add(-7*24*time.Hour))
		require.NoError(t, err)
		require.Equal(t, kept, prev != nil, key)
	}
}

// Two instances starting together with the same bootstrap client make one
// client and one business.
func TestEnsureClientConcurrently(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	other, err := assetmint.New(b.db, assetmint.Config{Now: b.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MasterKey: testMasterKey})
	require.NoError(t, err)
	const secret = "bootstrap-secret-0123456789abcdef-xyz"
	results := make(chan *assetmint.Business, 8)
	errs := make(chan error, 8)
	for i := range 8 {
		e := b.engine
		if i%2 == 1 {
			e = other
		}
		go func() {
			biz, err := e.Operator().EnsureClient(ctx, "boot_client", secret, assetmint.NewBusiness{Name: "Bootstrap"})
			errs <- err
			results <- biz
		}()
	}
	var ids []string
	for range 8 {
		require.NoError(t, <-errs)
		ids = append(ids, (<-results).ID)
	}
	for _, id := range ids {
		require.Equal(t, ids[0], id, "one business for the client")
	}
	page, err := b.engine.Operator().Businesses(ctx, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	_, err = b.engine.IssueToken(ctx, "boot_client", secret)
	require.NoError(t, err)
}

// A list's cursor must name one of the list's objects: the store reports
// one that does not (ErrCursorNotFound) and the Engine answers EINVALID
// naming the parameter, while a missing parent stays ENOTFOUND.
func TestListCursorOutsideTheList(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	other, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Bolt"})
	require.NoError(t, err)
	a, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	theirs, err := b.engine.SubmitAsset(ctx, other.ID, assetmint.NewAsset{Name: "Lathe", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)

	page, err := b.engine.Assets(ctx, biz.ID, assetmint.AssetFilter{}, assetmint.ListParams{EndingBefore: a.ID})
	require.NoError(t, err)
	require.Empty(t, page.Items, "its own asset is a cursor")
	for _, tc := range []struct {
		p     assetmint.ListParams
		param string
	}{
		{assetmint.ListParams{StartingAfter: "asset_nope"}, "starting_after"},
		{assetmint.ListParams{EndingBefore: "asset_nope"}, "ending_before"},
		{assetmint.ListParams{StartingAfter: theirs.ID}, "starting_after"},
	} {
		_, err := b.engine.Assets(ctx, biz.ID, assetmint.AssetFilter{}, tc.p)
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), "%+v", tc.p)
		require.Equal(t, tc.param, assetmint.ErrorParam(err))
		require.ErrorIs(t, err, assetmint.ErrCursorNotFound)
		require.Contains(t, assetmint.ErrorMessage(err), "asset_")
	}

	_, err = b.engine.Valuations(ctx, biz.ID, "asset_nope", assetmint.ListParams{StartingAfter: "val_nope"})
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "the asset is missing, not the cursor")
	_, err = b.engine.Valuations(ctx, biz.ID, a.ID, assetmint.ListParams{StartingAfter: "val_nope"})
	require.Equal(t, "starting_after", assetmint.ErrorParam(err))
}

func TestAssetsFilterByStatus(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)

	for _, st := range assetmint.AssetStatuses() {
		require.True(t, st.Valid(), st)
		page, err := b.engine.Assets(ctx, biz.ID, assetmint.AssetFilter{Status: st}, assetmint.ListParams{})
		require.NoError(t, err)
		if st == assetmint.AssetPendingValuation {
			require.Len(t, page.Items, 1)
			require.Equal(t, a.ID, page.Items[0].ID)
		} else {
			require.Empty(t, page.Items, st)
		}
	}
	for _, st := range []assetmint.AssetStatus{"sold", "Verified", " verified"} {
		require.False(t, st.Valid(), st)
		_, err := b.engine.Assets(ctx, biz.ID, assetmint.AssetFilter{Status: st}, assetmint.ListParams{})
		require.Equal(t, assetmint.EINVALID, assetmint.ErrorCode(err), st)
		require.Equal(t, "status", assetmint.ErrorParam(err))
	}
}
