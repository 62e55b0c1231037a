package valuation_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/valuation"
)

func TestCNCReferenceCase(t *testing.T) {
	r := value(t, newModel(t), cncInput())
	require.Equal(t, valuation.AnchorInvoice, r.Anchor.Source)
	require.Equal(t, "doc_invoice", r.Anchor.DocumentID)
	require.Equal(t, "101490.47", r.Value.String()) // research §2: ≈ $101.5k
	require.Equal(t, "71043.33", r.Premises.OLV.String())
	require.Equal(t, "45670.71", r.Premises.FLV.String())
	require.Equal(t, "63939", r.Premises.NOLV.String())
	require.False(t, r.Blocking())
	require.GreaterOrEqual(t, r.Confidence, 75, "auto-verifiable")
	require.Equal(t, "B", r.RiskGrade)
	require.Equal(t, valuation.ModelName, r.Model.Name)
	require.Equal(t, valuation.DefaultParameters().Hash(), r.Model.ParamsSHA256)
}

func TestDeclaredOnlyIsNotAutoVerifiable(t *testing.T) {
	m := newModel(t)
	for _, typ := range valuation.AssetTypes() {
		r := value(t, m, valuation.Input{AssetID: "a", Type: typ, Currency: "USD", DeclaredValue: d("85000"), AsOf: asOf})
		require.Equal(t, valuation.AnchorDeclared, r.Anchor.Source, typ)
		require.Less(t, r.Confidence, 75, typ)
		require.True(t, r.Blocking(), "%s: required documents missing", typ)
		require.Contains(t, flagCodes(r), valuation.FlagDeclaredOnly)
	}
}

func TestInputErrors(t *testing.T) {
	m := newModel(t)
	for _, tc := range []struct {
		field  string
		mutate func(*valuation.Input)
	}{
		{"type", func(in *valuation.Input) { in.Type = "spaceship" }},
		{"as_of", func(in *valuation.Input) { in.AsOf = time.Time{} }},
		{"currency", func(in *valuation.Input) { in.Currency = "" }},
		{"declared_value", func(in *valuation.Input) { in.DeclaredValue = d("-1") }},
		{"documents[0].amount", func(in *valuation.Input) { in.Documents[0].Amount = d("-0.01") }},
		{"attributes.noi", func(in *valuation.Input) { in.Attributes = map[string]string{"noi": "-5"} }},
		{"attributes.comparables", func(in *valuation.Input) { in.Attributes = map[string]string{"comparables": "1,-2"} }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			in := cncInput()
			tc.mutate(&in)
			_, err := m.Value(context.Background(), in)
			var ie *valuation.InputError
			require.True(t, errors.As(err, &ie), "got %v", err)
			require.Equal(t, tc.field, ie.Field)
		})
	}
}

func TestDivergenceBoundary(t *testing.T) {
	m := newModel(t)
	base := value(t, m, cncInput())
	limit := 2 * base.FSD
	for _, tc := range []struct {
		name     string
		logRatio float64
		fires    bool
		severity valuation.Severity
		blocking bool
	}{
		{"just inside above", limit * (1 - 1e-6), false, "", false},
		{"just outside above", limit * (1 + 1e-6), true, valuation.SeverityWarning, false},
		{"just inside below", -limit * (1 - 1e-6), false, "", false},
		{"just outside below", -limit * (1 + 1e-6), true, valuation.SeverityInfo, false},
		{"severe above", math.Log(2.01), true, valuation.SeverityHigh, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := cncInput()
			in.DeclaredValue = base.Value.Mul(decimal.NewFromFloat(math.Exp(tc.logRatio))).Round(2)
			r := value(t, m, in)
			require.True(t, r.Value.Equal(base.Value))
			var got *valuation.Flag
			for i := range r.Flags {
				if r.Flags[i].Code == valuation.FlagDeclaredValueDivergence {
					got = &r.Flags[i]
				}
			}
			require.Equal(t, tc.fires, got != nil)
			if got != nil {
				require.Equal(t, tc.severity, got.Severity)
				require.Equal(t, tc.blocking, got.Blocking)
			}
		})
	}
}

func TestFraudFlagsBlock(t *testing.T) {
	m := newModel(t)
	for _, tc := range []struct {
		code   string
		mutate func(*valuation.Input)
	}{
		{valuation.FlagDuplicateSerial, func(in *valuation.Input) {
			in.Conflicts = []valuation.Conflict{{Kind: "serial", Value: "X200-0042", OtherAssetID: "ast_9"}}
		}},
		{valuation.FlagDuplicateVIN, func(in *valuation.Input) {
			in.Conflicts = []valuation.Conflict{{Kind: "vin", Value: "1M8GDM9AXKP042788", OtherAssetID: "ast_9"}}
		}},
		{valuation.FlagDocumentReused, func(in *valuation.Input) {
			in.Conflicts = []valuation.Conflict{{Kind: "document_hash", Value: "9f2c", DocumentID: "doc_invoice", OtherAssetID: "ast_9"}}
		}},
		{valuation.FlagInvalidVIN, func(in *valuation.Input) {
			in.Type = valuation.Vehicle
			in.Attributes = map[string]string{"vin": "1M8GDM9A1KP042788"}
			in.Documents = append(in.Documents, valuation.Document{ID: "t", Kind: valuation.KindTitle, SHA256: "t"})
		}},
		{valuation.FlagMissingDocuments, func(in *valuation.Input) { in.Documents[0].Kind = valuation.KindPhoto }},
	} {
		t.Run(tc.code, func(t *testing.T) {
			in := cncInput()
			tc.mutate(&in)
			r := value(t, m, in)
			require.Contains(t, flagCodes(r), tc.code)
			require.True(t, r.Blocking())
			require.Contains(t, "DE", r.RiskGrade)
		})
	}
}

func TestMissingDocumentsPenalizeFSD(t *testing.T) {
	m := newModel(t)
	with := value(t, m, fixtureNamed(t, "real_estate_appraisal"))
	in := fixtureNamed(t, "real_estate_appraisal")
	in.Documents = in.Documents[1:] // drop the deed
	without := value(t, m, in)
	require.InDelta(t, with.FSD+valuation.DefaultParameters().Uncertainty.MissingDocument, without.FSD, 1e-9)
	require.Contains(t, flagCodes(without), valuation.FlagMissingDocuments)
}

func TestPhotosRaiseConfidenceButAreNeverRequired(t *testing.T) {
	m := newModel(t)
	in := cncInput()
	without := value(t, m, in)
	in.Documents = append(in.Documents, valuation.Document{ID: "p", Kind: valuation.KindPhoto, SHA256: "p"})
	with := value(t, m, in)
	require.Greater(t, with.Confidence, without.Confidence)
	p := valuation.DefaultParameters()
	for _, typ := range valuation.AssetTypes() {
		for _, group := range p.RequiredDocuments(typ) {
			require.NotContains(t, group, valuation.KindPhoto)
		}
	}
}

func TestRequiredDocumentDefaults(t *testing.T) {
	p := valuation.DefaultParameters()
	K := func(k ...valuation.DocumentKind) []valuation.DocumentKind { return k }
	want := map[valuation.AssetType][][]valuation.DocumentKind{
		valuation.Equipment:            {K(valuation.KindInvoice, valuation.KindAppraisal)},
		valuation.Vehicle:              {K(valuation.KindTitle)},
		valuation.RealEstate:           {K(valuation.KindDeed), K(valuation.KindAppraisal)},
		valuation.Receivables:          {K(valuation.KindAgingReport)},
		valuation.Inventory:            {K(valuation.KindStockReport)},
		valuation.IntellectualProperty: {K(valuation.KindRegistration)},
		valuation.Commodity:            {K(valuation.KindAssay)},
		valuation.Art:                  {K(valuation.KindProvenance), K(valuation.KindAppraisal)},
	}
	for typ, w := range want {
		require.Equal(t, w, p.RequiredDocuments(typ), typ)
	}
}

func TestExternalAnchorIgnoresDeclaredValue(t *testing.T) {
	m := newModel(t)
	a := cncInput()
	b := cncInput()
	b.DeclaredValue = d("1")
	ra, rb := value(t, m, a), value(t, m, b)
	require.True(t, ra.Value.Equal(rb.Value))
	require.True(t, ra.MaxLoan.Equal(rb.MaxLoan))
}

func TestIrrelevantTextEditsChangeNothing(t *testing.T) {
	m := newModel(t)
	a := cncInput()
	b := cncInput()
	b.Description = "  industrial   CNC MACHINE; excellent condition , 2021 "
	b.Name = "cnc milling machine model x200 (acme borrower)"
	require.True(t, value(t, m, a).Value.Equal(value(t, m, b).Value))
}

func TestRealEstateIncomeMonotone(t *testing.T) {
	m := newModel(t)
	v := func(noi, capRate string) decimal.Decimal {
		in := fixtureNamed(t, "real_estate_income")
		in.Attributes = map[string]string{"noi": noi, "cap_rate": capRate}
		return value(t, m, in).Value
	}
	require.True(t, v("130000", "0.075").GreaterThan(v("120000", "0.075")))
	require.True(t, v("120000", "0.08").LessThan(v("120000", "0.075")))
	require.Equal(t, "1600000", v("120000", "0.075").String())
}

func TestReceivablesRules(t *testing.T) {
	m := newModel(t)
	aging := func(lines ...valuation.AgingLine) valuation.Input {
		return valuation.Input{AssetID: "ar", Type: valuation.Receivables, Currency: "USD", AsOf: asOf,
			Documents: []valuation.Document{{ID: "ag", Kind: valuation.KindAgingReport, SHA256: "ag", Date: asOf,
				Aging: &valuation.AgingReport{Lines: lines}}}}
	}
	many := func(first valuation.AgingLine) valuation.Input {
		lines := []valuation.AgingLine{first}
		for _, n := range []string{"B", "C", "D", "E", "F"} {
			lines = append(lines, valuation.AgingLine{Debtor: n, Current: d("100")})
		}
		return aging(lines...)
	}
	t.Run("cross-age trips strictly above the threshold", func(t *testing.T) {
		at := value(t, m, many(valuation.AgingLine{Debtor: "A", Current: d("50"), Over90: d("50")}))
		above := value(t, m, many(valuation.AgingLine{Debtor: "A", Current: d("49.99"), Over90: d("50.01")}))
		require.True(t, above.Eligible.LessThan(at.Eligible), "at %s above %s", at.Eligible, above.Eligible)
		require.Equal(t, "cross_aged", firstEvidenceKey(above, valuation.FlagIneligibleCollateral, "cross_aged"))
	})
	t.Run("older bucket never worth more", func(t *testing.T) {
		cur := value(t, m, many(valuation.AgingLine{Debtor: "A", Current: d("100")}))
		d30 := value(t, m, many(valuation.AgingLine{Debtor: "A", Days30: d("100")}))
		d90 := value(t, m, many(valuation.AgingLine{Debtor: "A", Days90: d("100")}))
		require.True(t, d30.Value.LessThan(cur.Value))
		require.True(t, d90.Value.LessThan(d30.Value))
		require.True(t, d90.Eligible.LessThan(d30.Eligible))
	})
	t.Run("dilution lowers the advance", func(t *testing.T) {
		in := many(valuation.AgingLine{Debtor: "A", Current: d("100")})
		base := value(t, m, in)
		in.Attributes = map[string]string{"dilution": "0.08"}
		dil := value(t, m, in)
		require.Equal(t, "0.85", base.AdvanceRate.String())
		require.Equal(t, "0.77", dil.AdvanceRate.String())
	})
}

func TestInventorySlowerTurnNeverRaisesNOLV(t *testing.T) {
	m := newModel(t)
	var prev *valuation.Report
	for _, turn := range []string{"fast", "average", "slow", "dead"} {
		in := fixtureNamed(t, "inventory_stock")
		in.Documents[0].Stock = &valuation.StockReport{Lines: []valuation.StockLine{{SKU: "A", Quantity: d("10"), UnitCost: d("100"), Category: "finished", Turn: turn}}}
		r := value(t, m, in)
		if prev != nil {
			require.True(t, r.Premises.NOLV.LessThanOrEqual(prev.Premises.NOLV), turn)
			require.True(t, r.Value.LessThanOrEqual(prev.Value), turn)
		}
		prev = r
	}
}

func TestCommodityContent(t *testing.T) {
	m := newModel(t)
	r := value(t, m, fixtureNamed(t, "commodity_gold_bars"))
	gold := valuation.DefaultParameters().Commodity.Prices["gold"]
	ceiling := decimal.Min(gold.Avg30, gold.PrevClose).Mul(d("100")).Mul(d("0.9999"))
	require.True(t, r.Value.LessThanOrEqual(ceiling.Round(2)))
	require.Equal(t, "0.85", r.AdvanceRate.String())
	heavier := fixtureNamed(t, "commodity_gold_bars")
	heavier.Attributes = map[string]string{"metal": "gold", "weight_oz": "101", "purity": "0.9999"}
	require.True(t, value(t, m, heavier).Value.GreaterThan(r.Value))
	purer := fixtureNamed(t, "commodity_gold_bars")
	purer.Attributes = map[string]string{"metal": "gold", "weight_oz": "100", "purity": "24k"}
	require.True(t, value(t, m, purer).Value.GreaterThan(r.Value))
}

func TestIPWithoutDocumentedRoyaltyLendsNothing(t *testing.T) {
	m := newModel(t)
	r := value(t, m, fixtureNamed(t, "ip_undocumented_royalty"))
	require.True(t, r.Value.IsPositive())
	require.True(t, r.LendingValue.IsZero())
	require.True(t, r.MaxLoan.IsZero())
	require.Contains(t, flagCodes(r), valuation.FlagRoyaltyUndocumented)
	doc := value(t, m, fixtureNamed(t, "ip_documented_royalty"))
	require.True(t, doc.MaxLoan.IsPositive())
}

func TestFutureDatedDocumentIsNotUsed(t *testing.T) {
	in := cncInput()
	in.Documents[0].Date = asOf.AddDate(0, 0, 1)
	r := value(t, newModel(t), in)
	require.Equal(t, valuation.AnchorDeclared, r.Anchor.Source)
	require.Contains(t, flagCodes(r), valuation.FlagFutureDatedDocument)
}

func TestParameters(t *testing.T) {
	p := valuation.DefaultParameters()
	require.NoError(t, p.Validate())
	require.Len(t, p.Hash(), 64)
	require.Equal(t, p.Hash(), valuation.DefaultParameters().Hash())
	q := valuation.DefaultParameters()
	q.Condition.Excellent = 1.13
	require.NotEqual(t, p.Hash(), q.Hash())
	bad := valuation.DefaultParameters()
	bad.Condition.Fair = 1.5 // fair above good
	_, err := valuation.NewDeterministic(bad)
	var pe *valuation.ParamError
	require.True(t, errors.As(err, &pe))
	// The model keeps its own copy.
	own := valuation.DefaultParameters()
	m, err := valuation.NewDeterministic(own)
	require.NoError(t, err)
	own.Uncertainty.Base[valuation.Equipment][valuation.AnchorInvoice] = 0.9
	require.Equal(t, 80, value(t, m, cncInput()).Confidence)
}

func TestValidVINAndNormalizeSerial(t *testing.T) {
	for vin, ok := range map[string]bool{
		"1M8GDM9AXKP042788":   true,
		"11111111111111111":   true,
		"1m8gdm9axkp042788":   true,
		"1M8GDM9A1KP042788":   false,
		"1M8GDM9AXKP04278":    false,
		"1M8GDM9AXKP04278O":   false,
		"":                    false,
		"1M8-GDM9AX-KP042788": true,
	} {
		require.Equal(t, ok, valuation.ValidVIN(vin), vin)
	}
	require.Equal(t, "CAT3200042", valuation.NormalizeSerial(" cat-320/0042 "))
}

func fixtureNamed(t *testing.T, name string) valuation.Input {
	for _, fx := range fixtures() {
		if fx.name == name {
			return fx.in
		}
	}
	t.Fatalf("no fixture %s", name)
	return valuation.Input{}
}

func firstEvidenceKey(r *valuation.Report, code, key string) string {
	for _, f := range r.Flags {
		if _, ok := f.Evidence[key]; ok && f.Code == code {
			return key
		}
	}
	return ""
}
