package storetest

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/jobs"
)

// Exercise runs the conformance suite against the store newStore returns.
// Every subtest calls newStore for a fresh, empty, migrated store.
func Exercise(t *testing.T, newStore func(t *testing.T) assetmint.Store) {
	t.Helper()
	groups := []struct {
		name  string
		tests []test
	}{
		{"Businesses", businessTests},
		{"Clients", clientTests},
		{"Assets", assetTests},
		{"Pagination", paginationTests},
		{"Events", eventTests},
		{"Documents", documentTests},
		{"Valuations", valuationTests},
		{"AssetDetails", assetDetailsTests},
		{"WebhookEndpoints", webhookEndpointTests},
		{"WebhookDeliveries", webhookDeliveryTests},
		{"Tokens", tokenTests},
		{"Loans", loanTests},
		{"Settings", settingTests},
		{"InTx", txTests},
		{"SigningKeys", signingKeyTests},
		{"Idempotency", idempotencyTests},
		{"Operator", operatorTests},
		{"Intents", intentTests},
		{"ValuationQueue", valuationQueueTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.run(t, newStore(t))
				})
			}
		})
	}
	t.Run("Jobs", func(t *testing.T) {
		ExerciseQueue(t, func(t *testing.T) jobs.Queue { return newStore(t) })
	})
}

// test is one subtest: it gets a fresh store.
type test struct {
	name string
	run  func(t *testing.T, s assetmint.Store)
}

// t0 is the suite's "now": a fixed instant with nanoseconds, so that lost
// precision shows.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)

// at is t0 moved by d.
func at(d time.Duration) time.Time { return t0.Add(d) }

func newBusiness(id string) *assetmint.Business {
	return &assetmint.Business{ID: id, Name: "Business " + id, Plan: "developer", CreatedAt: t0, UpdatedAt: t0}
}

func newAsset(businessID, id string) *assetmint.Asset {
	return &assetmint.Asset{
		ID:             id,
		BusinessID:     businessID,
		Name:           "Excavator " + id,
		Type:           assetmint.AssetEquipment,
		Description:    "CAT 320 hydraulic excavator",
		EstimatedValue: decimal.RequireFromString("85000.10"),
		Currency:       "USD",
		Metadata:       map[string]any{"serial": "CAT-320-" + id},
		Status:         assetmint.AssetPendingValuation,
		CreatedAt:      t0,
		UpdatedAt:      t0,
	}
}

// createBusinesses creates businesses with the ids.
func createBusinesses(t *testing.T, s assetmint.Store, ids ...string) {
	t.Helper()
	for _, id := range ids {
		require.NoError(t, s.CreateBusiness(t.Context(), newBusiness(id)))
	}
}

// requireCode asserts err is an *assetmint.Error with code.
func requireCode(t *testing.T, code string, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, assetmint.ErrorCode(err), "error: %v", err)
}

// requireCursorNotFound asserts that a list refused its cursor, which names
// no object in the list's scope: ENOTFOUND wrapping
// assetmint.ErrCursorNotFound. Pass it the list call, as
// requireCursorNotFound(t)(s.Assets(...)).
func requireCursorNotFound[T any](t *testing.T) func(assetmint.Page[T], error) {
	return func(p assetmint.Page[T], err error) {
		t.Helper()
		requireCode(t, assetmint.ENOTFOUND, err)
		require.ErrorIs(t, err, assetmint.ErrCursorNotFound)
		require.Empty(t, p.Items)
	}
}

// requireAssetEqual compares assets, the amount by value (a store may keep
// 85000.10 as 85000.1).
func requireAssetEqual(t *testing.T, want, got *assetmint.Asset) {
	t.Helper()
	require.NotNil(t, got)
	require.True(t, want.EstimatedValue.Equal(got.EstimatedValue),
		"estimated value: want %s, got %s", want.EstimatedValue, got.EstimatedValue)
	w := *want
	w.EstimatedValue = got.EstimatedValue
	if len(w.Metadata) == 0 && len(got.Metadata) == 0 {
		w.Metadata = got.Metadata // nil and empty are the same metadata
	}
	require.Equal(t, &w, got)
}

// idsOf lists the ids of a page's items.
func idsOf[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

func assetIDs(p assetmint.Page[*assetmint.Asset]) []string {
	return idsOf(p.Items, func(a *assetmint.Asset) string { return a.ID })
}
