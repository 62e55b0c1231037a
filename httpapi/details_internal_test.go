package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// detailValuation is a valuation whose strings carry what encoding/json
// escapes by default (<, >, &), which the API sends unescaped.
func detailValuation(id string) *assetmint.Valuation {
	at := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	return &assetmint.Valuation{ID: id, AssetID: "asset_0001", CreatedAt: at, Report: &valuation.Report{
		Value: decimal.RequireFromString("85000.50"), Low: decimal.RequireFromString("80000"), High: decimal.RequireFromString("90000"),
		Currency: "USD", Confidence: 72, ConfidenceTier: "medium", FSD: 0.1234567, AsOf: at, Method: "cost <depreciated> & adjusted",
		Factors: []valuation.Factor{{ID: "age_curve", Label: "Age <4 years> & wear", Inputs: map[string]string{"age": "4.00"},
			Multiplier: 0.8, LogContribution: -0.2231435, Contribution: decimal.RequireFromString("-12345.67")}},
		Flags: []valuation.Flag{{Code: "B_FLAG", Severity: "warning", Message: "b > a"}, {Code: "A_FLAG", Severity: "info", Message: "a & b"}},
	}}
}

// A detail answered from its encoded bytes (writeEncodedData, as a kept
// detail is) is byte for byte the answer writeData gives for it.
func TestEncodedDetailAnswersWhatWriteDataDoes(t *testing.T) {
	asset := &assetmint.Asset{ID: "asset_0001", Name: "Press <hydraulic> & co", Type: assetmint.AssetEquipment, Currency: "USD",
		EstimatedValue: decimal.NewFromInt(85000), Status: assetmint.AssetValued, Metadata: map[string]any{"site": "Bay 3 \"north\""}}
	doc := &assetmint.Document{ID: "doc_0001", AssetID: asset.ID, Kind: valuation.KindInvoice, Filename: "inv<1>.pdf",
		ContentType: "application/pdf", Size: 10, SHA256: "ab", Amount: decimal.NewNullDecimal(decimal.RequireFromString("12.5"))}
	ctx := context.WithValue(context.Background(), ctxKey{}, &reqState{id: "req_0123456789"})
	for name, d := range map[string]*assetmint.AssetDetails{
		"bare":                     {Asset: asset},
		"with documents and value": {Asset: asset, Documents: []*assetmint.Document{doc}, Valuation: detailValuation("val_0001")},
	} {
		r := httptest.NewRequest("GET", "/v1/assets/asset_0001", nil).WithContext(ctx)
		want := httptest.NewRecorder()
		writeData(want, r, http.StatusOK, toAssetDetail(d))

		data, err := encode(toAssetDetail(d))
		require.NoError(t, err)
		got := httptest.NewRecorder()
		writeEncodedData(got, r, http.StatusOK, data[:len(data)-1])
		require.Equal(t, want.Code, got.Code, name)
		require.Equal(t, want.Header(), got.Header(), name)
		require.Equal(t, want.Body.String(), got.Body.String(), name)
		require.Contains(t, got.Body.String(), `"request_id":"req_0123456789"`, name)
	}
	body := httptest.NewRecorder()
	writeEncodedData(body, httptest.NewRequest("GET", "/", nil).WithContext(ctx), http.StatusOK, []byte(`{"label":"a <b> & c"}`))
	require.Equal(t, `{"data":{"label":"a <b> & c"},"meta":{"request_id":"req_0123456789"},"error":null}`+"\n", body.Body.String())
}

// The cache answers only for the business and the version it was given,
// keeps the newer of two versions, and holds at most maxCachedDetails
// entries and maxCachedDetailBytes of data.
func TestDetailCacheKeepsTheVersionItWasGiven(t *testing.T) {
	c := newDetailCache()
	_, ok := c.get("biz_1", "asset_1", 0)
	require.False(t, ok, "empty")
	c.put("biz_1", "asset_1", 3, []byte("three"))
	got, ok := c.get("biz_1", "asset_1", 3)
	require.True(t, ok)
	require.Equal(t, "three", string(got))
	for _, miss := range []struct {
		business, asset string
		version         int64
	}{{"biz_1", "asset_1", 4}, {"biz_1", "asset_1", 2}, {"biz_2", "asset_1", 3}, {"biz_1", "asset_2", 3}} {
		_, ok := c.get(miss.business, miss.asset, miss.version)
		require.False(t, ok, "%+v", miss)
	}
	c.put("biz_1", "asset_1", 2, []byte("two")) // a slower reader of an older detail
	got, _ = c.get("biz_1", "asset_1", 3)
	require.Equal(t, "three", string(got), "the newer version stays")
	c.put("biz_1", "asset_1", 4, []byte("four"))
	_, ok = c.get("biz_1", "asset_1", 3)
	require.False(t, ok)
	got, _ = c.get("biz_1", "asset_1", 4)
	require.Equal(t, "four", string(got))

	c = newDetailCache()
	for i := range maxCachedDetails + 10 {
		c.put("biz_1", fmt.Sprintf("asset_%04d", i), 0, []byte("x"))
		require.LessOrEqual(t, len(c.m), maxCachedDetails)
	}
	require.Len(t, c.m, 10, "emptied once, then filled with the last ten")

	c = newDetailCache()
	big := make([]byte, maxCachedDetailBytes/8)
	for i := range 20 {
		c.put("biz_1", fmt.Sprintf("asset_%04d", i), 0, big)
		require.LessOrEqual(t, c.bytes, maxCachedDetailBytes)
		require.Equal(t, len(c.m)*len(big), c.bytes)
	}
	c.put("biz_1", "asset_0019", 1, []byte("small"))
	require.Equal(t, (len(c.m)-1)*len(big)+5, c.bytes, "a replaced entry's bytes are given back")
	c.put("biz_1", "asset_huge", 0, make([]byte, maxCachedDetailBytes/8+1))
	_, ok = c.get("biz_1", "asset_huge", 0)
	require.False(t, ok, "a detail larger than an eighth of the room is not kept")
}
