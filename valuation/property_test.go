package valuation_test

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/assetmint/assetmint/valuation"
)

// genInput draws a random but plausible input of the given type: documents
// of every kind with random amounts and dates on or before AsOf, the type's
// attributes, and free text with conditions, years and meters.
func genInput(t *rapid.T, typ valuation.AssetType) valuation.Input {
	base := day(2025, 7, 1).AddDate(0, 0, rapid.IntRange(0, 400).Draw(t, "asof_days"))
	money := func(label string, lo, hi int) decimal.Decimal {
		return decimal.NewFromInt(int64(rapid.IntRange(lo, hi).Draw(t, label)))
	}
	past := func(label string) time.Time {
		if rapid.IntRange(0, 5).Draw(t, label+"_undated") == 0 {
			return time.Time{}
		}
		return day(2015, 1, 1).AddDate(0, 0, rapid.IntRange(0, 3833).Draw(t, label))
	}
	words := []string{"excellent", "good", "fair", "poor", "not", "new", "like new", "needs repair", "refurbished",
		"2016", "2019", "2021", "cnc", "excavator", "forklift", "gold", "silver", "1,200 hours", "45,000 miles", "clean title", "worn"}
	text := func(label string) string {
		n := rapid.IntRange(0, 6).Draw(t, label+"_n")
		s := ""
		for i := 0; i < n; i++ {
			s += rapid.SampledFrom(words).Draw(t, label) + rapid.SampledFrom([]string{" ", ", ", ". "}).Draw(t, label+"_sep")
		}
		return s
	}
	in := valuation.Input{
		AssetID: "ast_prop", Type: typ, Name: text("name"), Description: text("description"),
		DeclaredValue: money("declared", 0, 2_000_000), Currency: "USD", AsOf: base,
		Attributes: map[string]string{},
	}
	attr := func(key string, values ...string) {
		if rapid.Bool().Draw(t, "has_"+key) {
			in.Attributes[key] = rapid.SampledFrom(values).Draw(t, key)
		}
	}
	attr("year", "2012", "2016", "2019", "2021", "2024")
	attr("condition", "new", "excellent", "very_good", "good", "fair", "poor", "scrap")
	switch typ {
	case valuation.Equipment:
		attr("subtype", "cnc", "excavator", "forklift", "truck", "computer")
		attr("hours", "500", "4000", "20000")
		attr("usage", "low", "average", "high")
	case valuation.Vehicle:
		attr("subtype", "car", "truck")
		attr("mileage", "5000", "60000", "250000")
		attr("vin", "1M8GDM9AXKP042788", "11111111111111111", "1M8GDM9A1KP042788")
	case valuation.RealEstate:
		attr("noi", "50000", "120000", "900000")
		attr("cap_rate", "0.05", "0.08", "11%")
		attr("re_category", "raw_land", "improved", "owner_occupied")
		attr("senior_liens", "0", "100000")
		attr("comparables", "300000,320000,310000", "500000")
	case valuation.Receivables:
		attr("dilution", "0.02", "0.10")
	case valuation.IntellectualProperty:
		attr("annual_revenue", "100000", "5000000")
		attr("royalty_rate", "0.03", "7%")
		attr("remaining_life_years", "3", "12")
	case valuation.Commodity:
		attr("metal", "gold", "silver", "platinum", "copper")
		attr("weight_oz", "1", "10", "400")
		attr("purity", "0.9999", "0.75", "22k", "925")
	case valuation.Art:
		attr("auction_low", "50000", "200000")
		attr("auction_high", "90000", "300000")
		attr("comparables", "100000 120000 90000")
	}
	kinds := []valuation.DocumentKind{valuation.KindInvoice, valuation.KindAppraisal, valuation.KindTitle, valuation.KindDeed,
		valuation.KindPhoto, valuation.KindInspection, valuation.KindAgingReport, valuation.KindStockReport,
		valuation.KindRegistration, valuation.KindAssay, valuation.KindProvenance, valuation.KindOther}
	n := rapid.IntRange(0, 5).Draw(t, "docs")
	for i := 0; i < n; i++ {
		k := rapid.SampledFrom(kinds).Draw(t, "kind")
		doc := valuation.Document{ID: "doc_" + strconv.Itoa(i), Kind: k, SHA256: "h" + strconv.Itoa(i), Date: past("date")}
		switch k {
		case valuation.KindInvoice, valuation.KindAppraisal:
			doc.Amount = money("amount", 1000, 1_000_000)
		case valuation.KindTitle:
			doc.VIN = rapid.SampledFrom([]string{"", "1M8GDM9AXKP042788", "1M8GDM9A1KP042788"}).Draw(t, "vin")
		case valuation.KindInspection, valuation.KindOther:
			doc.Text = rapid.SampledFrom([]string{"", "Inspection: fair condition, built 2018, 3,000 hrs",
				"Machine not in excellent condition", "Licence: royalty rate of 5% of sales", "like new, year 2023"}).Draw(t, "text")
		case valuation.KindAgingReport:
			var lines []valuation.AgingLine
			for j := rapid.IntRange(1, 5).Draw(t, "lines"); j > 0; j-- {
				lines = append(lines, valuation.AgingLine{Debtor: "D" + strconv.Itoa(rapid.IntRange(0, 4).Draw(t, "debtor")),
					Current: money("cur", 0, 100000), Days30: money("d30", 0, 50000), Days60: money("d60", 0, 20000),
					Days90: money("d90", 0, 10000), Over90: money("o90", 0, 30000), Disputed: rapid.IntRange(0, 6).Draw(t, "disp") == 0})
			}
			doc.Aging = &valuation.AgingReport{Lines: lines}
		case valuation.KindStockReport:
			var lines []valuation.StockLine
			for j := rapid.IntRange(1, 5).Draw(t, "lines"); j > 0; j-- {
				lines = append(lines, valuation.StockLine{SKU: "S" + strconv.Itoa(j), Quantity: money("qty", 0, 1000), UnitCost: money("cost", 1, 500),
					Category: rapid.SampledFrom([]string{"finished", "raw", "wip", "obsolete", "consigned", ""}).Draw(t, "cat"),
					Turn:     rapid.SampledFrom([]string{"fast", "average", "slow", "dead", ""}).Draw(t, "turn")})
			}
			doc.Stock = &valuation.StockReport{Lines: lines}
		}
		in.Documents = append(in.Documents, doc)
	}
	if rapid.IntRange(0, 4).Draw(t, "conflict") == 0 {
		in.Conflicts = append(in.Conflicts, valuation.Conflict{Kind: rapid.SampledFrom([]string{"serial", "vin", "document_hash"}).Draw(t, "ckind"),
			Value: "X1", DocumentID: "doc_0", OtherAssetID: "ast_other"})
	}
	return in
}

func value(t require.TestingT, m *valuation.Deterministic, in valuation.Input) *valuation.Report {
	r, err := m.Value(context.Background(), in)
	require.NoError(t, err)
	return r
}

// forEachType runs a rapid property for every asset type.
func forEachType(t *testing.T, prop func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType)) {
	m := newModel(t)
	for _, typ := range valuation.AssetTypes() {
		t.Run(string(typ), func(t *testing.T) {
			rapid.Check(t, func(rt *rapid.T) { prop(rt, m, typ) })
		})
	}
}

func TestPropReportIsCoherent(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		r := value(t, m, in)
		le := func(a, b decimal.Decimal, what string) {
			require.True(t, a.LessThanOrEqual(b), "%s: %s > %s", what, a, b)
		}
		le(decimal.Zero, r.Low, "0 <= low")
		le(r.Low, r.Value, "low <= value")
		le(r.Value, r.High, "value <= high")
		le(r.Premises.FLV, r.Premises.OLV, "FLV <= OLV")
		le(r.Premises.OLV, r.Premises.FMV, "OLV <= FMV")
		le(r.Premises.NOLV, r.Premises.OLV, "NOLV <= OLV")
		le(decimal.Zero, r.MaxLoan, "0 <= max loan")
		le(r.MaxLoan, r.LendingValue.Mul(r.AdvanceRate).Add(d("0.01")), "max loan <= advance × lending value")
		le(r.MaxLoan, r.LendingValue, "max loan <= lending value")
		require.True(t, r.Premises.FMV.Equal(r.Value))
		require.InDelta(t, math.Round(100*(1-r.FSD)), float64(r.Confidence), 0)
		require.Contains(t, "ABCDE", r.RiskGrade)
		again := value(t, m, in)
		require.Equal(t, mustJSON(t, r), mustJSON(t, again), "deterministic")
	})
}

func TestPropOlderNeverWorthMore(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		older := in
		older.AsOf = in.AsOf.AddDate(0, 0, rapid.IntRange(1, 3650).Draw(t, "later"))
		a, b := value(t, m, in), value(t, m, older)
		require.True(t, b.Value.LessThanOrEqual(a.Value), "value rose with age: %s -> %s", a.Value, b.Value)
	})
}

func TestPropBetterConditionNeverWorthLess(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		conds := valuation.Conditions()
		i := rapid.IntRange(0, len(conds)-2).Draw(t, "worse")
		j := rapid.IntRange(i+1, len(conds)-1).Draw(t, "better")
		worse, better := withAttr(in, "condition", string(conds[i])), withAttr(in, "condition", string(conds[j]))
		a, b := value(t, m, worse), value(t, m, better)
		require.True(t, a.Value.LessThanOrEqual(b.Value), "%s %s > %s %s", conds[i], a.Value, conds[j], b.Value)
	})
}

func TestPropMoreUseNeverWorthMore(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		lo, hi := rapid.IntRange(0, 200000).Draw(t, "lo"), rapid.IntRange(0, 200000).Draw(t, "hi")
		if lo > hi {
			lo, hi = hi, lo
		}
		for _, key := range []string{"hours", "mileage"} {
			a := value(t, m, withAttr(in, key, strconv.Itoa(lo)))
			b := value(t, m, withAttr(in, key, strconv.Itoa(hi)))
			require.True(t, b.Value.LessThanOrEqual(a.Value), "%s %d: %s, %d: %s", key, lo, a.Value, hi, b.Value)
		}
		usages := []string{"low", "average", "high"}
		var prev *valuation.Report
		for _, u := range usages {
			r := value(t, m, withAttr(in, "usage", u))
			if prev != nil {
				require.True(t, r.Value.LessThanOrEqual(prev.Value), "usage %s raised the value", u)
			}
			prev = r
		}
	})
}

func TestPropScalingMoneyScalesOutputs(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		k := d(rapid.SampledFrom([]string{"2", "3", "10", "1000", "0.5"}).Draw(t, "k"))
		scaled, params := scaleMoney(in, valuation.DefaultParameters(), k)
		m2, err := valuation.NewDeterministic(params)
		require.NoError(t, err)
		a, b := value(t, m, in), value(t, m2, scaled)
		tol := k.Mul(d("0.005")).Add(d("0.0051"))
		for _, pair := range [][3]any{
			{"value", a.Value, b.Value}, {"low", a.Low, b.Low}, {"high", a.High, b.High},
			{"olv", a.Premises.OLV, b.Premises.OLV}, {"flv", a.Premises.FLV, b.Premises.FLV}, {"nolv", a.Premises.NOLV, b.Premises.NOLV},
			{"eligible", a.Eligible, b.Eligible}, {"lending", a.LendingValue, b.LendingValue},
		} {
			x, y := pair[1].(decimal.Decimal), pair[2].(decimal.Decimal)
			require.True(t, y.Sub(x.Mul(k)).Abs().LessThanOrEqual(tol), "%s: %s × %s != %s", pair[0], x, k, y)
		}
		// the max loan multiplies two rounded amounts by rates: allow a cent more
		require.True(t, b.MaxLoan.Sub(a.MaxLoan.Mul(k)).Abs().LessThanOrEqual(tol.Add(d("0.01"))), "max loan %s × %s != %s", a.MaxLoan, k, b.MaxLoan)
		require.Equal(t, a.FSD, b.FSD)
		require.Equal(t, a.Confidence, b.Confidence)
		require.Equal(t, flagCodes(a), flagCodes(b))
	})
}

func TestPropShufflingDocumentsChangesNothing(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		in.Conflicts = append(in.Conflicts, valuation.Conflict{Kind: "serial", Value: "Y2", OtherAssetID: "ast_b"},
			valuation.Conflict{Kind: "serial", Value: "Y2", OtherAssetID: "ast_a"})
		shuffled := in
		shuffled.Documents = rapid.Permutation(in.Documents).Draw(t, "docs")
		shuffled.Conflicts = rapid.Permutation(in.Conflicts).Draw(t, "conflicts")
		require.Equal(t, mustJSON(t, value(t, m, in)), mustJSON(t, value(t, m, shuffled)))
	})
}

func TestPropFactorContributionsSum(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		r := value(t, m, genInput(t, typ))
		sum := r.Anchor.Amount
		logSum := 0.0
		for _, f := range r.Factors {
			sum = sum.Add(f.Contribution)
			logSum += f.LogContribution
		}
		require.True(t, sum.Equal(r.Value), "anchor %s + Σ contributions = %s, value %s", r.Anchor.Amount, sum, r.Value)
		if r.Value.GreaterThan(d("100")) && r.Anchor.Amount.GreaterThan(d("100")) {
			want := math.Log(r.Value.InexactFloat64() / r.Anchor.Amount.InexactFloat64())
			require.InDelta(t, want, logSum, 1e-4, "Σ log contributions")
		}
	})
}

func TestPropHugeDeclaredValueNeverRaisesValue(t *testing.T) {
	forEachType(t, func(t *rapid.T, m *valuation.Deterministic, typ valuation.AssetType) {
		in := genInput(t, typ)
		base := value(t, m, in)
		huge := in
		huge.DeclaredValue = base.Value.Mul(d("1000")).Add(d("1000000000"))
		r := value(t, m, huge)
		if base.Anchor.Source == valuation.AnchorDeclared {
			// the estimate is all there is: it is never trusted for lending
			require.Contains(t, flagCodes(r), valuation.FlagDeclaredOnly)
			require.Less(t, r.Confidence, 75)
			return
		}
		require.True(t, r.Value.Equal(base.Value), "value moved: %s -> %s", base.Value, r.Value)
		require.True(t, r.MaxLoan.Equal(base.MaxLoan))
		require.True(t, r.Blocking())
		require.Contains(t, flagCodes(r), valuation.FlagDeclaredValueDivergence)
	})
}

func withAttr(in valuation.Input, key, v string) valuation.Input {
	attrs := make(map[string]string, len(in.Attributes)+1)
	for k, x := range in.Attributes {
		attrs[k] = x
	}
	attrs[key] = v
	in.Attributes = attrs
	return in
}

func flagCodes(r *valuation.Report) []string {
	var out []string
	for _, f := range r.Flags {
		out = append(out, f.Code)
	}
	return out
}

func mustJSON(t require.TestingT, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// scaleMoney multiplies every money input by k: declared value, document
// amounts, aging buckets, unit costs, money attributes and metal prices.
func scaleMoney(in valuation.Input, p valuation.Parameters, k decimal.Decimal) (valuation.Input, valuation.Parameters) {
	out := in
	out.DeclaredValue = in.DeclaredValue.Mul(k)
	out.Attributes = map[string]string{}
	for key, v := range in.Attributes {
		switch key {
		case "noi", "annual_revenue", "senior_liens", "auction_low", "auction_high":
			v = d(v).Mul(k).String()
		case "comparables":
			var parts []string
			for _, f := range splitPrices(v) {
				parts = append(parts, d(f).Mul(k).String())
			}
			v = joinComma(parts)
		}
		out.Attributes[key] = v
	}
	out.Documents = nil
	for _, doc := range in.Documents {
		doc.Amount = doc.Amount.Mul(k)
		if doc.Aging != nil {
			a := &valuation.AgingReport{}
			for _, l := range doc.Aging.Lines {
				l.Current, l.Days30, l.Days60, l.Days90, l.Over90 = l.Current.Mul(k), l.Days30.Mul(k), l.Days60.Mul(k), l.Days90.Mul(k), l.Over90.Mul(k)
				a.Lines = append(a.Lines, l)
			}
			doc.Aging = a
		}
		if doc.Stock != nil {
			s := &valuation.StockReport{}
			for _, l := range doc.Stock.Lines {
				l.UnitCost = l.UnitCost.Mul(k)
				s.Lines = append(s.Lines, l)
			}
			doc.Stock = s
		}
		out.Documents = append(out.Documents, doc)
	}
	prices := map[string]valuation.MetalPrice{}
	for name, mp := range p.Commodity.Prices {
		mp.Avg30, mp.PrevClose = mp.Avg30.Mul(k), mp.PrevClose.Mul(k)
		prices[name] = mp
	}
	p.Commodity.Prices = prices
	return out, p
}

func splitPrices(v string) []string {
	var out []string
	cur := ""
	for _, r := range v + "," {
		if r == ',' || r == ' ' || r == ';' {
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
			continue
		}
		cur += string(r)
	}
	return out
}

func joinComma(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ","
		}
		s += x
	}
	return s
}
