package valuation

import (
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// valueRealEstate anchors on an appraisal (moved by the table's market
// trend, penalized when stale), else the income approach NOI / cap rate
// (attributes `noi`, `cap_rate`), else comparables, else the declared
// value. The advance rate is the supervisory LTV cap of the `re_category`
// attribute; `senior_liens` is subtracted from the max loan.
func (s *state) valueRealEstate() {
	s.realEstateLending()
	if doc, ok := s.latestAmount(KindAppraisal); ok {
		s.setAnchor(AnchorAppraisal, doc.Amount, &doc, "appraisal")
		s.staleAppraisal(doc)
		if g := s.p.RealEstate.MarketTrend; g != 0 && !doc.Date.IsZero() {
			yrs := yearsBetween(doc.Date.UTC(), s.asOf)
			s.multiply("time_adjustment", "Market trend from the appraisal date", math.Pow(1+g, yrs),
				map[string]string{"years": ftoa(yrs, 2), "trend": ftoa(g, 4)}, "appraisal "+doc.ID)
		}
		return
	}
	noi, okN := s.attrMoney("noi")
	capRate, okC := s.attrRate("cap_rate")
	if okN && okC && noi.Sign() > 0 && capRate > 0 {
		s.setAnchor(AnchorIncome, noi, nil, "income_capitalization")
		s.multiply("capitalization", "Income capitalized at the cap rate (V = NOI / cap rate)", 1/capRate,
			map[string]string{"noi": noi.String(), "cap_rate": ftoa(capRate, 4)}, "attributes noi, cap_rate")
		return
	}
	if s.anchorComparables("comparables") {
		return
	}
	s.anchorDeclared("declared")
}

func (s *state) realEstateLending() {
	re := s.p.RealEstate
	cat := strings.ToLower(strings.TrimSpace(s.in.Attributes["re_category"]))
	ltv, ok := re.LTV[cat]
	if !ok {
		if cat != "" {
			s.invalidAttribute("re_category", s.in.Attributes["re_category"])
		}
		ltv = re.LTV[re.DefaultCategory]
	}
	s.advance = &ltv
	if liens, ok := s.attrMoney("senior_liens"); ok {
		s.liens = liens
	}
}

// attrMoney parses a money attribute (validated non-negative by Value).
func (s *state) attrMoney(key string) (decimal.Decimal, bool) {
	v, ok := s.in.Attributes[key]
	if !ok {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(strings.TrimSpace(v))
	if err != nil {
		s.invalidAttribute(key, v)
		return decimal.Zero, false
	}
	return d, true
}
