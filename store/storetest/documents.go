package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/valuation"
)

// createAssets creates businessID's assets with the ids.
func createAssets(t *testing.T, s assetmint.Store, businessID string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		require.NoError(t, s.CreateAsset(t.Context(), newAsset(businessID, id)))
	}
}

// hashOf is the hex SHA-256 of s, a document's hash.
func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// newDocument is an invoice with every declared fact set, its bytes unique
// to its id.
func newDocument(businessID, assetID, id string) *assetmint.Document {
	return &assetmint.Document{
		ID:          id,
		BusinessID:  businessID,
		AssetID:     assetID,
		Kind:        valuation.KindInvoice,
		Filename:    "invoice-" + id + ".pdf",
		ContentType: "application/pdf",
		Size:        48213,
		SHA256:      hashOf(id),
		Amount:      decimal.NewNullDecimal(decimal.RequireFromString("150000.00")),
		Currency:    "USD",
		Date:        time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC),
		Serial:      "CAT0320X" + id[len(id)-4:],
		Issuer:      "Holt Cat, San Antonio",
		CreatedAt:   t0,
	}
}

// requireDocumentEqual compares documents, the amount by value and the
// parsed facts as JSON.
func requireDocumentEqual(t *testing.T, want, got *assetmint.Document) {
	t.Helper()
	require.NotNil(t, got)
	require.Equal(t, want.Amount.Valid, got.Amount.Valid, "amount declared")
	if want.Amount.Valid {
		require.True(t, want.Amount.Decimal.Equal(got.Amount.Decimal), "amount: want %s, got %s", want.Amount.Decimal, got.Amount.Decimal)
	}
	w := *want
	w.Amount = got.Amount
	if len(want.Parsed) > 0 {
		require.JSONEq(t, string(want.Parsed), string(got.Parsed), "parsed")
		w.Parsed = got.Parsed
	} else {
		require.Empty(t, got.Parsed, "parsed")
		w.Parsed = got.Parsed // nil and empty are the same: none
	}
	require.Equal(t, &w, got)
}

func documentIDs(ds []*assetmint.Document) []string {
	return idsOf(ds, func(d *assetmint.Document) string { return d.ID })
}

// matching runs DocumentsMatching, which must succeed with a non-nil slice.
func matching(t *testing.T, s assetmint.Store, field, value, excludeAssetID string) []string {
	t.Helper()
	ds, err := s.DocumentsMatching(t.Context(), field, value, excludeAssetID)
	require.NoError(t, err)
	require.NotNil(t, ds)
	return documentIDs(ds)
}

var documentTests = []test{
	{"CreateAndRead", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		d := newDocument("biz_0001", "asset_0001", "doc_0001")
		d.VIN = "1HGCM82633A004352"
		d.Parsed = json.RawMessage(`{"Lines":[{"Debtor":"Acme Corp","Current":"1200.50","Days30":"0","Disputed":false}]}`)
		require.NoError(t, s.CreateDocument(t.Context(), d))
		got, err := s.Document(t.Context(), "biz_0001", "doc_0001")
		require.NoError(t, err)
		requireDocumentEqual(t, d, got)
		require.True(t, got.Attached())

		// Nothing declared: no amount, date, serial, VIN or parsed facts.
		bare := &assetmint.Document{ID: "doc_0002", BusinessID: "biz_0001", AssetID: "asset_0001",
			Kind: valuation.KindPhoto, Filename: "front.jpg", ContentType: "image/jpeg", Size: 1, SHA256: hashOf("photo"), CreatedAt: at(time.Second)}
		require.NoError(t, s.CreateDocument(t.Context(), bare))
		got, err = s.Document(t.Context(), "biz_0001", "doc_0002")
		require.NoError(t, err)
		requireDocumentEqual(t, bare, got)
		require.False(t, got.Amount.Valid)
		require.True(t, got.Date.IsZero())
		require.Nil(t, got.Parsed)
		require.True(t, got.Attached())
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		require.NoError(t, s.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0001", "doc_0001")))
		requireCode(t, assetmint.ECONFLICT, s.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0001", "doc_0001")))
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		_, err := s.Document(t.Context(), "biz_0001", "doc_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "document not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.UpdateDocument(t.Context(), newDocument("biz_0001", "asset_0001", "doc_0404")))

		err = s.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0404", "doc_0001"))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.CreateDocument(t.Context(), newDocument("biz_0404", "asset_0001", "doc_0001")))
		_, err = s.Document(t.Context(), "biz_0001", "doc_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001")
		createAssets(t, s, "biz_0002", "asset_0002")
		mine := newDocument("biz_0001", "asset_0001", "doc_0001")
		require.NoError(t, s.CreateDocument(t.Context(), mine))
		require.NoError(t, s.CreateDocument(t.Context(), newDocument("biz_0002", "asset_0002", "doc_0002")))

		_, err := s.Document(t.Context(), "biz_0002", "doc_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		ds, err := s.AssetDocuments(t.Context(), "biz_0002", "asset_0001")
		require.NoError(t, err)
		require.NotNil(t, ds)
		require.Empty(t, ds)

		stolen := newDocument("biz_0002", "asset_0001", "doc_0001")
		stolen.DetachedAt = at(time.Hour)
		requireCode(t, assetmint.ENOTFOUND, s.UpdateDocument(t.Context(), stolen))
		got, err := s.Document(t.Context(), "biz_0001", "doc_0001")
		require.NoError(t, err)
		requireDocumentEqual(t, mine, got)

		// Another business's asset, with the business's own id or the
		// asset owner's: the pairing must hold.
		err = s.CreateDocument(t.Context(), newDocument("biz_0002", "asset_0001", "doc_0003"))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
		_, err = s.Document(t.Context(), "biz_0002", "doc_0003")
		requireCode(t, assetmint.ENOTFOUND, err)
		ds, err = s.AssetDocuments(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, []string{"doc_0001"}, documentIDs(ds))
		ds, err = s.AssetDocuments(t.Context(), "biz_0002", "asset_0002")
		require.NoError(t, err)
		require.Equal(t, []string{"doc_0002"}, documentIDs(ds))
	}},
	{"AmountIsExact", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		amounts := []string{"150000.00", "0.01", "999999999999999.99", "1725.56", "100", "0", ""}
		for i, amount := range amounts {
			d := newDocument("biz_0001", "asset_0001", fmt.Sprintf("doc_%04d", i+1))
			d.Amount = decimal.NullDecimal{} // "" is not declared
			if amount != "" {
				d.Amount = decimal.NewNullDecimal(decimal.RequireFromString(amount))
			}
			require.NoError(t, s.CreateDocument(t.Context(), d))
			got, err := s.Document(t.Context(), "biz_0001", d.ID)
			require.NoError(t, err)
			requireDocumentEqual(t, d, got)
			if amount != "" {
				require.Equal(t, amount, got.Amount.Decimal.StringFixed(int32(max(0, -d.Amount.Decimal.Exponent()))))
			}
		}
		ds, err := s.AssetDocuments(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Len(t, ds, len(amounts))
		for i, d := range ds {
			require.Equal(t, amounts[i] != "", d.Amount.Valid, "list: %s", d.ID)
			if d.Amount.Valid {
				require.True(t, decimal.RequireFromString(amounts[i]).Equal(d.Amount.Decimal), "list: want %s, got %s", amounts[i], d.Amount.Decimal)
			}
		}
	}},
	{"DateIsACalendarDate", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		cases := []struct {
			date, want time.Time
		}{
			{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
			{time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
			{time.Date(2025, 3, 14, 23, 59, 59, 999, time.UTC), time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)}, // the time of day goes
			{time.Time{}, time.Time{}},
		}
		for i, tc := range cases {
			d := newDocument("biz_0001", "asset_0001", fmt.Sprintf("doc_%04d", i+1))
			d.Date = tc.date
			require.NoError(t, s.CreateDocument(t.Context(), d))
			got, err := s.Document(t.Context(), "biz_0001", d.ID)
			require.NoError(t, err)
			require.Equal(t, tc.want, got.Date, "date %s", tc.date)
			if !tc.want.IsZero() {
				require.Equal(t, time.UTC, got.Date.Location())
			}
		}
	}},
	{"ListOldestFirst", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		ds, err := s.AssetDocuments(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.NotNil(t, ds, "no documents is an empty, non-nil slice")
		require.Empty(t, ds)

		for i, asset := range []string{"asset_0001", "asset_0002", "asset_0001", "asset_0001"} {
			d := newDocument("biz_0001", asset, fmt.Sprintf("doc_%04d", i+1))
			d.CreatedAt = at(time.Duration(i) * time.Second)
			require.NoError(t, s.CreateDocument(t.Context(), d))
		}
		detached := newDocument("biz_0001", "asset_0001", "doc_0003")
		detached.DetachedAt = at(time.Hour)
		require.NoError(t, s.UpdateDocument(t.Context(), detached))

		ds, err = s.AssetDocuments(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, []string{"doc_0001", "doc_0003", "doc_0004"}, documentIDs(ds), "attached and detached, oldest first")
		require.True(t, ds[0].Attached())
		require.False(t, ds[1].Attached())
		require.Equal(t, at(time.Hour), ds[1].DetachedAt)
		want := newDocument("biz_0001", "asset_0001", "doc_0004")
		want.CreatedAt = at(3 * time.Second)
		requireDocumentEqual(t, want, ds[2])
	}},
	{"DetachWritesOnlyDetachedAt", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		orig := newDocument("biz_0001", "asset_0001", "doc_0001")
		require.NoError(t, s.CreateDocument(t.Context(), orig))
		require.NoError(t, s.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0001", "doc_0002")))

		d := newDocument("biz_0001", "asset_0001", "doc_0001")
		d.DetachedAt = time.Date(2025, 3, 15, 1, 2, 3, 4, time.FixedZone("EST", -5*3600))
		d.Filename = "changed.pdf" // not written
		d.Amount = decimal.NullDecimal{}
		d.Serial = "OTHER"
		require.NoError(t, s.UpdateDocument(t.Context(), d))
		got, err := s.Document(t.Context(), "biz_0001", "doc_0001")
		require.NoError(t, err)
		want := *orig
		want.DetachedAt = d.DetachedAt.UTC()
		requireDocumentEqual(t, &want, got)
		require.False(t, got.Attached())

		other, err := s.Document(t.Context(), "biz_0001", "doc_0002")
		require.NoError(t, err)
		require.True(t, other.Attached(), "only the one document changes")

		// The zero time attaches it again.
		require.NoError(t, s.UpdateDocument(t.Context(), orig))
		got, err = s.Document(t.Context(), "biz_0001", "doc_0001")
		require.NoError(t, err)
		requireDocumentEqual(t, orig, got)
		require.True(t, got.Attached())
	}},
	{"MatchingBySHA256", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0003")
		createAssets(t, s, "biz_0002", "asset_0002")
		same := hashOf("the same invoice")
		for _, d := range []*assetmint.Document{
			newDocument("biz_0001", "asset_0001", "doc_0001"),
			newDocument("biz_0002", "asset_0002", "doc_0002"),
			newDocument("biz_0001", "asset_0003", "doc_0003"), // detached below
			newDocument("biz_0001", "asset_0001", "doc_0004"),
			newDocument("biz_0002", "asset_0002", "doc_0005"), // other bytes
		} {
			if d.ID != "doc_0005" {
				d.SHA256 = same
			}
			require.NoError(t, s.CreateDocument(t.Context(), d))
		}
		detached := newDocument("biz_0001", "asset_0003", "doc_0003")
		detached.DetachedAt = at(time.Hour)
		require.NoError(t, s.UpdateDocument(t.Context(), detached))

		require.Equal(t, []string{"doc_0002"}, matching(t, s, "sha256", same, "asset_0001"),
			"another business's asset, not the excluded one nor detached documents")
		require.Equal(t, []string{"doc_0001", "doc_0004"}, matching(t, s, "sha256", same, "asset_0002"))
		require.Equal(t, []string{"doc_0001", "doc_0002", "doc_0004"}, matching(t, s, "sha256", same, "asset_0003"))
		require.Empty(t, matching(t, s, "sha256", hashOf("never uploaded"), "asset_0001"))
		require.Empty(t, matching(t, s, "sha256", "", "asset_0001"))

		ds, err := s.DocumentsMatching(t.Context(), "sha256", same, "asset_0001")
		require.NoError(t, err)
		want := newDocument("biz_0002", "asset_0002", "doc_0002")
		want.SHA256 = same
		requireDocumentEqual(t, want, ds[0])
	}},
	{"MatchingBySerialAndVINNormalized", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0003")
		createAssets(t, s, "biz_0002", "asset_0002")
		docs := []struct {
			biz, asset, id, serial, vin string
		}{
			{"biz_0001", "asset_0001", "doc_0001", "SN123A", ""},
			{"biz_0002", "asset_0002", "doc_0002", "sn-123 a", "1hgcm8263-3a004352"},
			{"biz_0001", "asset_0003", "doc_0003", "S/N 123.A", "1HGCM82633A004352"}, // detached below
			{"biz_0001", "asset_0003", "doc_0004", "1HGCM82633A004352", ""},          // a VIN in the serial field
			{"biz_0002", "asset_0002", "doc_0005", "", ""},
			{"biz_0001", "asset_0001", "doc_0006", "SN123B", "1HGCM82633A004352"},
		}
		for _, dd := range docs {
			d := newDocument(dd.biz, dd.asset, dd.id)
			d.Serial, d.VIN = dd.serial, dd.vin
			require.NoError(t, s.CreateDocument(t.Context(), d))
		}
		detached := newDocument("biz_0001", "asset_0003", "doc_0003")
		detached.DetachedAt = at(time.Hour)
		require.NoError(t, s.UpdateDocument(t.Context(), detached))

		require.Equal(t, []string{"doc_0002"}, matching(t, s, "serial", "SN123A", "asset_0001"))
		require.Equal(t, []string{"doc_0001"}, matching(t, s, "serial", "sn-123 a", "asset_0002"), "normalized both ways")
		require.Equal(t, []string{"doc_0001", "doc_0002"}, matching(t, s, "serial", " s.n.1.2.3.a ", "asset_0003"))
		require.Equal(t, []string{"doc_0004"}, matching(t, s, "serial", "1HGCM82633A004352", "asset_0001"), "serials match serials only")

		require.Equal(t, []string{"doc_0002"}, matching(t, s, "vin", "1HGCM82633A004352", "asset_0001"))
		require.Equal(t, []string{"doc_0006"}, matching(t, s, "vin", "1hgcm82633a004352", "asset_0002"))
		require.Equal(t, []string{"doc_0002", "doc_0006"}, matching(t, s, "vin", "1HGCM-82633-A004352", "asset_0003"))
		require.Empty(t, matching(t, s, "vin", "SN123A", "asset_0003"), "VINs match VINs only")

		// Nothing declared never matches the documents that declare nothing.
		require.Empty(t, matching(t, s, "serial", "", "asset_0001"))
		require.Empty(t, matching(t, s, "serial", " -/- ", "asset_0001"))
		require.Empty(t, matching(t, s, "vin", "", "asset_0003"))
	}},
	{"MatchingUnknownFieldIsInvalid", func(t *testing.T, s assetmint.Store) {
		for _, field := range []string{"filename", "serial_norm", "SHA256", ""} {
			_, err := s.DocumentsMatching(t.Context(), field, "x", "asset_0001")
			requireCode(t, assetmint.EINVALID, err)
		}
	}},
	{"InTx", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			d := newDocument("biz_0001", "asset_0001", "doc_0001")
			require.NoError(t, tx.CreateDocument(t.Context(), d))
			got, err := tx.Document(t.Context(), "biz_0001", "doc_0001")
			require.NoError(t, err, "reads its own writes")
			requireDocumentEqual(t, d, got)
			ds, err := tx.DocumentsMatching(t.Context(), "sha256", d.SHA256, "asset_0404")
			require.NoError(t, err)
			require.Equal(t, []string{"doc_0001"}, documentIDs(ds))
			d.DetachedAt = at(time.Hour)
			require.NoError(t, tx.UpdateDocument(t.Context(), d))
			require.NoError(t, tx.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0001", "val_0001", t0)))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.Document(t.Context(), "biz_0001", "doc_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		ds, err := s.AssetDocuments(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Empty(t, ds)
		require.Empty(t, matching(t, s, "sha256", hashOf("doc_0001"), "asset_0404"))
		_, err = s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		require.NoError(t, s.InTx(t.Context(), func(tx assetmint.Tx) error {
			return tx.CreateDocument(t.Context(), newDocument("biz_0001", "asset_0001", "doc_0001"))
		}))
		got, err := s.Document(t.Context(), "biz_0001", "doc_0001")
		require.NoError(t, err)
		requireDocumentEqual(t, newDocument("biz_0001", "asset_0001", "doc_0001"), got)
	}},
}

// newReport is a valuation report with every kind of field set: money with
// trailing zeros, floats, maps, flags and times.
func newReport(assetID string) *valuation.Report {
	d := decimal.RequireFromString
	return &valuation.Report{
		AssetID:        assetID,
		Currency:       "USD",
		Value:          d("84250.00"),
		Low:            d("69506.25"),
		High:           d("98993.75"),
		FSD:            0.175,
		Confidence:     83,
		ConfidenceTier: "MEDIUM_HIGH",
		Premises:       valuation.Premises{FMV: d("84250.00"), OLV: d("63187.50"), FLV: d("46337.50"), NOLV: d("58975.00")},
		LendingValue:   d("52136.16"),
		AdvanceRate:    d("0.80"),
		MaxLoan:        d("41708.93"),
		RiskGrade:      "B",
		Method:         "cost_depreciation",
		Anchor: valuation.Anchor{
			Source:     valuation.AnchorInvoice,
			Amount:     d("150000.00"),
			Date:       time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC),
			DocumentID: "doc_0001",
		},
		Factors: []valuation.Factor{
			{
				ID: "age_curve", Label: "Age (3.79 years)", Inputs: map[string]string{"age": "3.79", "d1": "0.175", "dn": "0.10"},
				Evidence: "doc_0001", Multiplier: 0.6321456789012345, LogContribution: -0.45863112354567,
				Contribution: d("-55178.15"),
			},
			{
				ID: "condition", Label: "Condition: good", Inputs: map[string]string{"condition": "good"},
				Evidence: "metadata.condition", Multiplier: 0.9, LogContribution: -0.10536051565782628,
				Contribution: d("-10571.85"),
			},
			{ID: "usage", Label: "Usage unknown", Multiplier: 1}, // no inputs, zero contribution
		},
		Flags: []valuation.Flag{
			{Code: "DECLARED_VALUE_DIVERGENCE", Severity: valuation.SeverityWarning, Message: "Declared 85000.10 vs valued 84250.00",
				Evidence: map[string]string{"declared": "85000.10", "valued": "84250.00"}},
			{Code: "DUPLICATE_SERIAL", Severity: valuation.SeverityHigh, Blocking: true, Message: "Serial on another asset",
				Evidence: map[string]string{"serial": "CAT0320X0001"}},
		},
		Model: valuation.ModelInfo{Name: "deterministic", Version: "1.0.0", ParamsSHA256: hashOf("params"), FallbackUsed: true,
			External: "ai@2", Note: "timed out after 10s"},
		AsOf: time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC),
	}
}

func newValuation(businessID, assetID, id string, created time.Time) *assetmint.Valuation {
	return &assetmint.Valuation{ID: id, BusinessID: businessID, AssetID: assetID, Report: newReport(assetID), CreatedAt: created}
}

// requireValuationEqual compares valuations, the reports through their
// JSON, where every amount has one canonical form (a store may keep
// 84250.00 as 84250) and a field added to Report later is compared too.
func requireValuationEqual(t *testing.T, want, got *assetmint.Valuation) {
	t.Helper()
	require.NotNil(t, got)
	require.NotNil(t, got.Report)
	require.True(t, want.Report.Value.Equal(got.Report.Value), "value: want %s, got %s", want.Report.Value, got.Report.Value)
	wantJSON, err := json.Marshal(want.Report)
	require.NoError(t, err)
	gotJSON, err := json.Marshal(got.Report)
	require.NoError(t, err)
	require.JSONEq(t, string(wantJSON), string(gotJSON))
	w, g := *want, *got
	w.Report, g.Report = nil, nil
	require.Equal(t, &w, &g)
}

func valuationIDs(p assetmint.Page[*assetmint.Valuation]) []string {
	return idsOf(p.Items, func(v *assetmint.Valuation) string { return v.ID })
}

var valuationTests = []test{
	{"ReadsAreIndependent", func(t *testing.T, s assetmint.Store) {
		// A store may remember decoded reports (store/sqlite does): each
		// read still gets a report of its own.
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		v := newValuation("biz_0001", "asset_0001", "val_0001", t0)
		require.NoError(t, s.CreateValuation(t.Context(), v))
		first, err := s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		first.Report.Factors[0].Inputs["age"] = "changed"
		first.Report.Flags[1].Evidence["serial"] = "changed"
		first.Report.Factors = first.Report.Factors[:1]
		for range 2 {
			again, err := s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err)
			requireValuationEqual(t, newValuation("biz_0001", "asset_0001", "val_0001", t0), again)
		}
	}},
	{"CreateAndReadReport", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		v := newValuation("biz_0001", "asset_0001", "val_0001", t0)
		require.NoError(t, s.CreateValuation(t.Context(), v))
		got, err := s.Valuation(t.Context(), "biz_0001", "val_0001")
		require.NoError(t, err)
		requireValuationEqual(t, v, got)
		r := got.Report
		require.Equal(t, "0.80", r.AdvanceRate.StringFixed(2))
		require.Equal(t, 0.175, r.FSD)
		require.Equal(t, 0.6321456789012345, r.Factors[0].Multiplier, "floats are exact")
		require.True(t, r.Factors[2].Contribution.IsZero())
		require.Equal(t, time.UTC, r.AsOf.Location())
		require.Equal(t, 589793238, r.AsOf.Nanosecond())
		require.Equal(t, time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC), r.Anchor.Date)
		require.Equal(t, map[string]string{"serial": "CAT0320X0001"}, r.Flags[1].Evidence)

		// A report without anchor date, factors or flags.
		v = newValuation("biz_0001", "asset_0001", "val_0002", at(time.Second))
		v.Report.Anchor = valuation.Anchor{Source: valuation.AnchorDeclared, Amount: decimal.RequireFromString("85000.10")}
		v.Report.Factors, v.Report.Flags = nil, nil
		require.NoError(t, s.CreateValuation(t.Context(), v))
		got, err = s.Valuation(t.Context(), "biz_0001", "val_0002")
		require.NoError(t, err)
		requireValuationEqual(t, v, got)
		require.True(t, got.Report.Anchor.Date.IsZero())
	}},
	{"DuplicateIsConflict", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		first := newValuation("biz_0001", "asset_0001", "val_0001", t0)
		require.NoError(t, s.CreateValuation(t.Context(), first))
		again := newValuation("biz_0001", "asset_0001", "val_0001", at(time.Minute))
		again.Report.Value = decimal.RequireFromString("1")
		requireCode(t, assetmint.ECONFLICT, s.CreateValuation(t.Context(), again))
		got, err := s.Valuation(t.Context(), "biz_0001", "val_0001")
		require.NoError(t, err)
		requireValuationEqual(t, first, got) // the first report stands
	}},
	{"AbsentIsNotFound", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		_, err := s.Valuation(t.Context(), "biz_0001", "val_0404")
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "valuation not found", assetmint.ErrorMessage(err))
		_, err = s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)

		err = s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0404", "val_0001", t0))
		requireCode(t, assetmint.ENOTFOUND, err)
		require.Equal(t, "asset not found", assetmint.ErrorMessage(err))
		requireCode(t, assetmint.ENOTFOUND, s.CreateValuation(t.Context(), newValuation("biz_0404", "asset_0001", "val_0001", t0)))
		_, err = s.Valuation(t.Context(), "biz_0001", "val_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
	}},
	{"ScopedByBusiness", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001", "biz_0002")
		createAssets(t, s, "biz_0001", "asset_0001")
		createAssets(t, s, "biz_0002", "asset_0002")
		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0001", "val_0001", t0)))
		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0002", "asset_0002", "val_0002", t0)))

		_, err := s.Valuation(t.Context(), "biz_0002", "val_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		_, err = s.LatestValuation(t.Context(), "biz_0002", "asset_0001")
		requireCode(t, assetmint.ENOTFOUND, err)
		p, err := s.Valuations(t.Context(), "biz_0002", "asset_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.NotNil(t, p.Items)
		require.Empty(t, p.Items)

		err = s.CreateValuation(t.Context(), newValuation("biz_0002", "asset_0001", "val_0003", at(time.Second)))
		requireCode(t, assetmint.ENOTFOUND, err)
		latest, err := s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, "val_0001", latest.ID)
		p, err = s.Valuations(t.Context(), "biz_0001", "asset_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"val_0001"}, valuationIDs(p))
	}},
	{"LatestIsHighestID", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		for i, id := range []string{"val_0001", "val_0003", "val_0002"} { // ids order, not insertion
			require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0001", id, at(time.Duration(i)*time.Second))))
		}
		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0002", "val_0004", t0)))
		got, err := s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		requireValuationEqual(t, newValuation("biz_0001", "asset_0001", "val_0003", at(time.Second)), got)
		got, err = s.LatestValuation(t.Context(), "biz_0001", "asset_0002")
		require.NoError(t, err)
		require.Equal(t, "val_0004", got.ID)
	}},
	{"ListNewestFirst", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001", "asset_0002")
		for i := 1; i <= 8; i++ {
			asset := "asset_0001"
			if i%3 == 2 { // 2, 5, 8 value the other asset
				asset = "asset_0002"
			}
			require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", asset, fmt.Sprintf("val_%04d", i), at(time.Duration(i)*time.Second))))
		}
		// asset_0001 has, newest first: 0007 0006 0004 0003 0001.
		cases := []struct {
			name    string
			params  assetmint.ListParams
			want    []string
			hasMore bool
		}{
			{"first page", assetmint.ListParams{Limit: 2}, []string{"val_0007", "val_0006"}, true},
			{"starting after", assetmint.ListParams{Limit: 2, StartingAfter: "val_0006"}, []string{"val_0004", "val_0003"}, true},
			{"last page", assetmint.ListParams{Limit: 2, StartingAfter: "val_0003"}, []string{"val_0001"}, false},
			{"ending before", assetmint.ListParams{Limit: 2, EndingBefore: "val_0001"}, []string{"val_0004", "val_0003"}, true},
			{"ending before, first page", assetmint.ListParams{Limit: 2, EndingBefore: "val_0004"}, []string{"val_0007", "val_0006"}, false},
			{"all", assetmint.ListParams{Limit: 10}, []string{"val_0007", "val_0006", "val_0004", "val_0003", "val_0001"}, false},
			{"default limit", assetmint.ListParams{}, []string{"val_0007", "val_0006", "val_0004", "val_0003", "val_0001"}, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := s.Valuations(t.Context(), "biz_0001", "asset_0001", tc.params)
				require.NoError(t, err)
				require.NotNil(t, p.Items)
				require.Equal(t, tc.want, valuationIDs(p))
				require.Equal(t, tc.hasMore, p.HasMore)
			})
		}
		p, err := s.Valuations(t.Context(), "biz_0001", "asset_0001", assetmint.ListParams{Limit: 1})
		require.NoError(t, err)
		requireValuationEqual(t, newValuation("biz_0001", "asset_0001", "val_0007", at(7*time.Second)), p.Items[0])

		// A cursor must name one of this asset's valuations.
		for _, p := range []assetmint.ListParams{
			{StartingAfter: "val_0005"}, {EndingBefore: "val_0002"}, {StartingAfter: "val_0009"},
		} {
			requireCursorNotFound[*assetmint.Valuation](t)(s.Valuations(t.Context(), "biz_0001", "asset_0001", p))
		}
		requireCursorNotFound[*assetmint.Valuation](t)(s.Valuations(t.Context(), "biz_0002", "asset_0001", assetmint.ListParams{StartingAfter: "val_0006"}))
	}},
	{"InTx", func(t *testing.T, s assetmint.Store) {
		createBusinesses(t, s, "biz_0001")
		createAssets(t, s, "biz_0001", "asset_0001")
		require.NoError(t, s.CreateValuation(t.Context(), newValuation("biz_0001", "asset_0001", "val_0001", t0)))
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(tx assetmint.Tx) error {
			v := newValuation("biz_0001", "asset_0001", "val_0002", at(time.Second))
			require.NoError(t, tx.CreateValuation(t.Context(), v))
			got, err := tx.LatestValuation(t.Context(), "biz_0001", "asset_0001")
			require.NoError(t, err, "reads its own writes")
			requireValuationEqual(t, v, got)
			p, err := tx.Valuations(t.Context(), "biz_0001", "asset_0001", assetmint.ListParams{Limit: 10})
			require.NoError(t, err)
			require.Equal(t, []string{"val_0002", "val_0001"}, valuationIDs(p))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = s.Valuation(t.Context(), "biz_0001", "val_0002")
		requireCode(t, assetmint.ENOTFOUND, err)
		latest, err := s.LatestValuation(t.Context(), "biz_0001", "asset_0001")
		require.NoError(t, err)
		require.Equal(t, "val_0001", latest.ID)
		p, err := s.Valuations(t.Context(), "biz_0001", "asset_0001", assetmint.ListParams{Limit: 10})
		require.NoError(t, err)
		require.Equal(t, []string{"val_0001"}, valuationIDs(p))
	}},
}
