package assetmint_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// countingDetails is the store with its AssetDetailsReader counted.
type countingDetails struct {
	assetmint.Store
	r     assetmint.AssetDetailsReader
	calls int
}

func (c *countingDetails) AssetDetails(ctx context.Context, businessID, id string) (*assetmint.AssetDetails, error) {
	c.calls++
	return c.r.AssetDetails(ctx, businessID, id)
}

func (c *countingDetails) AssetDetailVersion(ctx context.Context, businessID, id string) (int64, error) {
	return c.r.AssetDetailVersion(ctx, businessID, id)
}

// Engine.AssetDetails reads through the store's AssetDetailsReader when it
// has one, and otherwise as before (in a read transaction, or read by read);
// every way gives the asset, its attached documents in id order and its
// newest valuation.
func TestAssetDetailsWithAndWithoutOneStatement(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	other, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Other"})
	require.NoError(t, err)
	a, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Press", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(100)})
	require.NoError(t, err)
	bare, err := b.engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "Lathe", Type: assetmint.AssetEquipment, EstimatedValue: decimal.NewFromInt(7)})
	require.NoError(t, err)
	now := b.clock.Now()
	for _, id := range []string{"doc_3", "doc_1", "doc_2"} {
		d := &assetmint.Document{ID: id, BusinessID: biz.ID, AssetID: a.ID, Kind: valuation.KindInvoice, Filename: id + ".pdf",
			ContentType: "application/pdf", Size: 10, SHA256: "ab", Amount: decimal.NewNullDecimal(decimal.RequireFromString("12.50")),
			Currency: "USD", CreatedAt: now}
		if id == "doc_2" {
			d.DetachedAt = now
		}
		require.NoError(t, b.db.CreateDocument(ctx, d))
	}
	for i, id := range []string{"val_2", "val_1"} {
		r := &valuation.Report{AssetID: a.ID, Currency: "USD", Value: decimal.NewFromInt(int64(90 + i))}
		require.NoError(t, b.db.CreateValuation(ctx, &assetmint.Valuation{ID: id, BusinessID: biz.ID, AssetID: a.ID, Report: r, CreatedAt: now}))
	}

	counted := &countingDetails{Store: b.db, r: b.db}
	readTxOnly := struct {
		assetmint.Store
		assetmint.ReadTxer
	}{b.db, b.db}
	stores := map[string]assetmint.Store{
		"one statement":    counted,
		"read transaction": readTxOnly,
		"read by read":     struct{ assetmint.Store }{b.db},
	}
	for name, s := range stores {
		e, err := assetmint.New(s, assetmint.Config{Now: b.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MasterKey: testMasterKey})
		require.NoError(t, err)

		d, err := e.AssetDetails(ctx, biz.ID, a.ID)
		require.NoError(t, err, name)
		require.Equal(t, a.ID, d.ID, name)
		require.Equal(t, "Press", d.Name, name)
		var ids []string
		for _, doc := range d.Documents {
			ids = append(ids, doc.ID)
			require.True(t, doc.Amount.Decimal.Equal(decimal.RequireFromString("12.5")), name)
		}
		require.Equal(t, []string{"doc_1", "doc_3"}, ids, "%s: attached, in id order", name)
		require.NotNil(t, d.Valuation, name)
		require.Equal(t, "val_2", d.Valuation.ID, "%s: the highest id is the newest", name)
		require.True(t, d.Valuation.Report.Value.Equal(decimal.NewFromInt(90)), name)
		v, ok, err := e.AssetDetailVersion(ctx, biz.ID, a.ID)
		require.NoError(t, err, name)
		require.Equal(t, s == counted, ok, "%s: only a store that reads details in one statement keeps versions", name)
		require.Equal(t, d.Version, v, name)
		if ok {
			// created at 0, then three documents inserted (one of them
			// already detached) and two valuations: five changes
			require.Equal(t, int64(5), v, name)
			_, _, err = e.AssetDetailVersion(ctx, other.ID, a.ID)
			require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "%s: another business's asset", name)
		}

		d, err = e.AssetDetails(ctx, biz.ID, bare.ID)
		require.NoError(t, err, name)
		require.NotNil(t, d.Documents, name)
		require.Empty(t, d.Documents, name)
		require.Nil(t, d.Valuation, name)

		_, err = e.AssetDetails(ctx, other.ID, a.ID)
		require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "%s: another business's asset", name)
		_, err = e.AssetDetails(ctx, biz.ID, "asset_none")
		require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), name)
	}
	require.Equal(t, 4, counted.calls, "the one-statement read served every call of its engine")
}
