package valuation

import (
	"math"

	"github.com/shopspring/decimal"
)

// valueIP values intellectual property by relief from royalty:
// V = Σ_{t=1..T} revenue × royalty × (1−tax) / (1+r)^t, with T the
// remaining life (`remaining_life_years`), r the discount rate
// (`discount_rate`, else the table's), revenue `annual_revenue`. The royalty
// rate must come from a document ("royalty rate 5%" in a document's text);
// a `royalty_rate` attribute alone still gives a value but no lending
// value. Precedence: appraisal, documented royalty, undocumented royalty,
// declared value (no lending value either).
func (s *state) valueIP() {
	if doc, ok := s.latestAmount(KindAppraisal); ok {
		s.setAnchor(AnchorAppraisal, doc.Amount, &doc, "appraisal")
		s.staleAppraisal(doc)
		return
	}
	f := s.facts
	rev, okRev := s.attrMoney("annual_revenue")
	if f.royalty > 0 && okRev && rev.Sign() > 0 {
		s.reliefFromRoyalty(rev)
		if !f.royaltyDocumented {
			s.undocumentedRoyalty("the royalty rate is not in any document")
		}
		return
	}
	s.anchorDeclared("declared")
	s.undocumentedRoyalty("no documented royalty rate and revenue")
}

func (s *state) undocumentedRoyalty(why string) {
	s.addFSD("royalty_undocumented", s.p.Uncertainty.RoyaltyUndocumented, why)
	s.noLoan = "intellectual property without a documented royalty rate has no lending value"
	s.flag(Flag{Code: FlagRoyaltyUndocumented, Severity: SeverityWarning,
		Message:  s.noLoan,
		Evidence: map[string]string{"reason": why}})
}

func (s *state) reliefFromRoyalty(rev decimal.Decimal) {
	ip := s.p.IP
	f := s.facts
	life, ok := s.attrFloat("remaining_life_years")
	lifeEv := "attribute remaining_life_years"
	if !ok || life <= 0 {
		life, lifeEv = ip.DefaultLifeYears, "default"
		s.addFSD("life_unknown", s.p.Uncertainty.AgeUnknown, "remaining life assumed "+ftoa(life, 1)+" years")
	}
	life = math.Min(life, ip.MaxLifeYears)
	r, ok := s.attrRate("discount_rate")
	rEv := "attribute discount_rate"
	if !ok || r <= 0 {
		r, rEv = ip.DiscountRate, "default"
	}
	royalty := rev.Mul(decFloat(f.royalty))
	s.setAnchor(AnchorIncome, royalty, nil, "relief_from_royalty")
	s.multiply("after_tax", "Royalty saved after tax", 1-ip.TaxRate,
		map[string]string{"tax_rate": ftoa(ip.TaxRate, 4), "annual_revenue": rev.String(), "royalty_rate": ftoa(f.royalty, 4)}, f.royaltyEv)
	annuity := (1 - math.Pow(1+r, -life)) / r
	s.multiply("present_value", "Present value over the remaining life", annuity,
		map[string]string{"years": ftoa(life, 2), "discount_rate": ftoa(r, 4), "life_source": lifeEv, "rate_source": rEv}, lifeEv)
}
