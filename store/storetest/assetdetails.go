package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// assetDetailsReader is the store as an assetmint.AssetDetailsReader, or
// a skip when it is not one (the capability is optional).
func assetDetailsReader(t *testing.T, s assetmint.Store) assetmint.AssetDetailsReader {
	t.Helper()
	r, ok := s.(assetmint.AssetDetailsReader)
	if !ok {
		t.Skip("the store has no AssetDetails (assetmint.AssetDetailsReader)")
	}
	return r
}

// requireDetailsAsSeparateReads reads the asset's details in one call and
// checks them against the three reads the Engine makes without the
// capability: Asset, AssetDocuments keeping only the attached documents,
// and LatestValuation (nil when ENOTFOUND). It returns the one-call read's
// documents and valuation for checks against the fixtures.
func requireDetailsAsSeparateReads(t *testing.T, s assetmint.Store, businessID, id string) ([]*assetmint.Document, *assetmint.Valuation) {
	t.Helper()
	r := assetDetailsReader(t, s)
	d, err := r.AssetDetails(t.Context(), businessID, id)
	require.NoError(t, err)
	a, docs, v := d.Asset, d.Documents, d.Valuation
	version, err := r.AssetDetailVersion(t.Context(), businessID, id)
	require.NoError(t, err)
	require.Equal(t, version, d.Version, "the version read alone is the details' version")

	wantAsset, err := s.Asset(t.Context(), businessID, id)
	require.NoError(t, err)
	requireAssetEqual(t, wantAsset, a)

	all, err := s.AssetDocuments(t.Context(), businessID, id)
	require.NoError(t, err)
	wantDocs := []*assetmint.Document{}
	for _, d := range all {
		if d.Attached() {
			wantDocs = append(wantDocs, d)
		}
	}
	require.NotNil(t, docs, "no documents is an empty list")
	require.Equal(t, documentIDs(wantDocs), documentIDs(docs))
	for i := range wantDocs {
		requireDocumentEqual(t, wantDocs[i], docs[i])
	}

	wantVal, err := s.LatestValuation(t.Context(), businessID, id)
	if assetmint.ErrorCode(err) == assetmint.ENOTFOUND {
		require.Nil(t, v, "no valuation")
	} else {
		require.NoError(t, err)
		requireValuationEqual(t, wantVal, v)
	}
	return docs, v
}

var assetDetailsTests = []test{
	{"NoDocumentsNoValuation", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		docs, v := requireDetailsAsSeparateReads(t, s, "biz_0001", "asset_0001")
		require.Empty(t, docs)
		require.Nil(t, v)
	}},
	{"SeveralDocuments", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		// Created out of id order; doc_0002 detached; doc_0004 declares
		// nothing; doc_0003 has parsed facts and text that JSON must
		// escape; doc_0005 is another asset's.
		d1 := newDocument("biz_0001", "asset_0001", "doc_0003")
		d1.Filename = "aging \"Q1\" \\ état\n\t✓.csv"
		d1.ContentType = "text/csv"
		d1.Kind = valuation.KindAgingReport
		d1.Amount = decimal.NewNullDecimal(decimal.RequireFromString("999999999999999.99"))
		d1.Parsed = json.RawMessage(`{"Lines":[{"Debtor":"Acme \"Corp\"","Current":"1200.50","Days30":"0","Disputed":false}]}`)
		d1.Issuer = "Ünïcode <&> Issuer"
		d1.CreatedAt = at(3 * time.Second)
		d2 := newDocument("biz_0001", "asset_0001", "doc_0001")
		d2.VIN = "1HGCM82633A004352"
		d3 := newDocument("biz_0001", "asset_0001", "doc_0002")
		d4 := &assetmint.Document{ID: "doc_0004", BusinessID: "biz_0001", AssetID: "asset_0001",
			Kind: valuation.KindPhoto, Filename: "front.jpg", ContentType: "image/jpeg", Size: 1, SHA256: hashOf("photo"), CreatedAt: at(time.Second)}
		d5 := newDocument("biz_0001", "asset_0002", "doc_0005")
		for _, d := range []*assetmint.Document{d1, d2, d3, d4, d5} {
			require.NoError(t, s.CreateDocument(t.Context(), d))
		}
		d3.DetachedAt = at(time.Hour)
		require.NoError(t, s.UpdateDocument(t.Context(), d3))

		docs, v := requireDetailsAsSeparateReads(t, s, "biz_0001", "asset_0001")
		require.Nil(t, v)
		require.Equal(t, []string{"doc_0001", "doc_0003", "doc_0004"}, documentIDs(docs), "attached, in id order")
		requireDocumentEqual(t, d2, docs[0])
		requireDocumentEqual(t, d1, docs[1])
		requireDocumentEqual(t, d4, docs[2])
		require.False(t, docs[2].Amount.Valid)
		require.True(t, docs[2].Date.IsZero())
		require.Nil(t, docs[2].Parsed)

		docs, _ = requireDetailsAsSeparateReads(t, s, "biz_0001", "asset_0002")
		require.Equal(t, []string{"doc_0005"}, documentIDs(docs))
	}},
	{"NewestValuationWins", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		// The newest is the highest id (ids are time-ordered), whatever
		// the creation times say; another asset's later valuation is not
		// this one's.
		for _, v := range []*assetmint.Valuation{
			newValuation("biz_0001", "asset_0001", "val_0002", at(time.Minute)),
			newValuation("biz_0001", "asset_0001", "val_0003", at(time.Second)),
			newValuation("biz_0001", "asset_0001", "val_0001", at(time.Hour)),
			newValuation("biz_0001", "asset_0002", "val_0004", at(2*time.Hour)),
		} {
			if v.ID == "val_0003" {
				v.Report.Value = decimal.RequireFromString("91000.00")
			}
			require.NoError(t, s.CreateValuation(t.Context(), v))
		}
		require.NoError(t, s.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0001", "doc_0001")))

		docs, v := requireDetailsAsSeparateReads(t, s, "biz_0001", "asset_0001")
		require.Equal(t, []string{"doc_0001"}, documentIDs(docs))
		want := newValuation("biz_0001", "asset_0001", "val_0003", at(time.Second))
		want.Report.Value = decimal.RequireFromString("91000.00")
		requireValuationEqual(t, want, v)

		_, v = requireDetailsAsSeparateReads(t, s, "biz_0001", "asset_0002")
		requireValuationEqual(t, newValuation("biz_0001", "asset_0002", "val_0004", at(2*time.Hour)), v)
	}},
	{"AnotherBusinessIsNotFound", func(t *testing.T, s assetmint.Store) {
		r := assetDetailsReader(t, s)
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0002", "asset_0002")
		require.NoError(t, s.CreateDocument(t.Context(), newDocument("biz_0002", "asset_0002", "doc_0001")))
		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0002", "asset_0002", "val_0001", t0)))

		for _, c := range []struct{ business, asset string }{
			{"biz_0001", "asset_0002"}, // another business's
			{"biz_0002", "asset_0404"}, // absent
			{"biz_0404", "asset_0002"}, // no such business
		} {
			d, err := r.AssetDetails(t.Context(), c.business, c.asset)
			requireCode(t, assetmint.ENOTFOUND, err)
			require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
			require.Nil(t, d)
			_, err = r.AssetDetailVersion(t.Context(), c.business, c.asset)
			requireCode(t, assetmint.ENOTFOUND, err)
			require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
			_, err = s.Asset(t.Context(), c.business, c.asset)
			requireCode(t, assetmint.ENOTFOUND, err) // as the separate read says
		}
		docs, v := requireDetailsAsSeparateReads(t, s, "biz_0002", "asset_0002")
		require.Equal(t, []string{"doc_0001"}, documentIDs(docs))
		requireValuationEqual(t, newValuation("biz_0002", "asset_0002", "val_0001", t0), v)
	}},
	{"VersionMovesWithEveryChangeToTheDetail", func(t *testing.T, s assetmint.Store) {
		// httpapi serves a kept detail while AssetDetailVersion says it is
		// current: every write that changes what AssetDetails returns must
		// move the version, and nothing else's writes may be needed.
		r := assetDetailsReader(t, s)
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		version := func(id string) int64 {
			t.Helper()
			v, err := r.AssetDetailVersion(t.Context(), "biz_0001", id)
			require.NoError(t, err)
			return v
		}
		seen := map[int64]bool{version("asset_0001"): true}
		moved := func(what string) {
			t.Helper()
			v := version("asset_0001")
			require.False(t, seen[v], "%s: the version %d was seen before", what, v)
			seen[v] = true
			requireDetailsAsSeparateReads(t, s, "biz_0001", "asset_0001")
		}
		other := version("asset_0002")

		a, err := s.Asset(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		a.Status = assetmint.AssetVerified
		a.UpdatedAt = at(time.Minute)
		require.NoError(t, s.UpdateAsset(t.Context(), a))
		moved("the asset updated")

		require.NoError(t, s.UpdateAsset(t.Context(), a))
		moved("the asset written again unchanged") // a write is a change as far as the version knows

		d := newDocument("biz_0001", "asset_0001", "doc_0001")
		require.NoError(t, s.CreateDocument(t.Context(), d))
		moved("a document attached")

		d.DetachedAt = at(time.Hour)
		require.NoError(t, s.UpdateDocument(t.Context(), d))
		moved("the document detached")

		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0001", "val_0001", t0)))
		moved("a valuation added")

		require.Equal(t, other, version("asset_0002"), "another asset's version stays")
		require.NoError(t, s.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0002", "doc_0002")))
		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0002", "val_0002", t0)))
		require.NotEqual(t, other, version("asset_0002"))
		require.True(t, seen[version("asset_0001")], "another asset's changes leave this one's version")
	}},
}
