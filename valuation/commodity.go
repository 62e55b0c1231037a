package valuation

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// gramsPerTroyOunce converts `weight_g`.
const gramsPerTroyOunce = "31.1034768"

// valueCommodity: value = weight (troy oz) × purity × min(30-day average,
// previous close) from the table's price snapshot, for the metal of the
// `metal` attribute (else the first metal named in the name/description).
// Without a usable price it falls back to an appraisal, an invoice, or the
// declared value.
func (s *state) valueCommodity() {
	if s.commodityMarket() {
		return
	}
	if doc, ok := s.latestAmount(KindAppraisal); ok {
		s.setAnchor(AnchorAppraisal, doc.Amount, &doc, "appraisal")
		s.staleAppraisal(doc)
		return
	}
	if doc, ok := s.latestAmount(KindInvoice); ok {
		s.setAnchor(AnchorInvoice, doc.Amount, &doc, "cost")
		return
	}
	s.anchorDeclared("declared")
}

func (s *state) commodityMarket() bool {
	metal, metalEv := s.metal()
	weight, wEv, okW := s.weightOz()
	purity, okP := s.purity()
	if metal == "" || !okW || !okP {
		return false
	}
	price, ok := s.p.Commodity.Prices[metal]
	if !ok || !strings.EqualFold(price.Currency, s.in.Currency) {
		s.flag(Flag{Code: FlagPriceUnavailable, Severity: SeverityWarning,
			Message:  "no " + metal + " price in " + s.in.Currency + " in the parameter table",
			Evidence: map[string]string{"metal": metal, "currency": s.in.Currency}})
		return false
	}
	px := decimal.Min(price.Avg30, price.PrevClose)
	var assay *Document
	if a := s.docsOf(KindAssay); len(a) > 0 {
		assay = &a[0]
	}
	s.setAnchor(AnchorMarketPrice, weight.Mul(px), assay, "metal_content")
	s.anchor.Date = time.Time{}
	if d, err := parseDate(price.AsOf); err == nil {
		s.anchor.Date = d
		days := int(s.asOf.Sub(d).Hours() / 24)
		if days > s.p.Commodity.StaleDays {
			s.addFSD("stale_price", s.p.Uncertainty.StaleReport, metal+" price is "+itoa(days)+" days old")
			s.flag(Flag{Code: FlagStalePrice, Severity: SeverityWarning,
				Message:  "the " + metal + " price snapshot is older than " + itoa(s.p.Commodity.StaleDays) + " days",
				Evidence: map[string]string{"metal": metal, "price_as_of": price.AsOf, "days": itoa(days)}})
		}
	}
	s.multiply("purity", "Fine metal content", purity, map[string]string{"purity": ftoa(purity, 6), "metal": metal,
		"metal_source": metalEv, "weight_oz": weight.String(), "weight_source": wEv, "price_per_oz": px.String(),
		"avg30": price.Avg30.String(), "prev_close": price.PrevClose.String(), "price_as_of": price.AsOf}, "attribute purity")
	adv := price.AdvanceRate
	s.advance = &adv
	return true
}

func (s *state) metal() (string, string) {
	if v := strings.ToLower(strings.TrimSpace(s.in.Attributes["metal"])); v != "" {
		return v, "attribute metal"
	}
	metals := sortedKeys(s.p.Commodity.Prices)
	for _, t := range []struct{ src, text string }{{"name", s.in.Name}, {"description", s.in.Description}} {
		for _, tok := range tokenize(t.text) {
			for _, m := range metals {
				if tok.text == m {
					return m, t.src + " word " + m
				}
			}
		}
	}
	return "", ""
}

// weightOz reads `weight_oz` (troy ounces) or `weight_g` (grams).
func (s *state) weightOz() (decimal.Decimal, string, bool) {
	if w, ok := s.attrMoney("weight_oz"); ok && w.Sign() > 0 {
		return w, "attribute weight_oz", true
	}
	if g, ok := s.attrMoney("weight_g"); ok && g.Sign() > 0 {
		return g.DivRound(decimal.RequireFromString(gramsPerTroyOunce), 12), "attribute weight_g", true
	}
	return decimal.Zero, "", false
}

// purity reads `purity` as a fraction (0.9999), per mille (999.9) or
// karats ("22k").
func (s *state) purity() (float64, bool) {
	v := strings.ToLower(strings.TrimSpace(s.in.Attributes["purity"]))
	if v == "" {
		return 0, false
	}
	if k, ok := strings.CutSuffix(v, "k"); ok {
		x, err := decimal.NewFromString(strings.TrimSpace(k))
		if err != nil || x.Sign() <= 0 || x.GreaterThan(decimal.NewFromInt(24)) {
			s.invalidAttribute("purity", v)
			return 0, false
		}
		return x.InexactFloat64() / 24, true
	}
	x, ok := s.attrFloat("purity")
	switch {
	case !ok || x <= 0 || x > 1000:
		if ok {
			s.invalidAttribute("purity", v)
		}
		return 0, false
	case x > 1:
		return x / 1000, true
	}
	return x, true
}
