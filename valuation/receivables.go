package valuation

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// valueReceivables values the latest aging report: FMV is the collectible
// value Σ bucket × (1 − loss rate); the eligible base removes debtors that
// are foreign, disputed, related-party or cross-aged (more than CrossAge
// of their balance over 90 days), buckets more than 60 days past due, and
// each debtor's excess over the concentration cap. The advance rate is the
// table's less the `dilution` attribute. Without an aging report the
// declared value is the anchor.
func (s *state) valueReceivables() {
	doc, ok := s.latestReport(func(d Document) bool { return d.Aging != nil && len(d.Aging.Lines) > 0 })
	if !ok {
		s.anchorDeclared("declared")
		return
	}
	rp := s.p.Receivables
	type debtor struct {
		name                       string
		b                          [5]decimal.Decimal
		foreign, disputed, related bool
	}
	byName := map[string]*debtor{}
	for _, l := range doc.Aging.Lines {
		key := strings.ToUpper(strings.Join(strings.Fields(l.Debtor), " "))
		d := byName[key]
		if d == nil {
			d = &debtor{name: key}
			for i := range d.b {
				d.b[i] = decimal.Zero
			}
			byName[key] = d
		}
		for i, x := range []decimal.Decimal{l.Current, l.Days30, l.Days60, l.Days90, l.Over90} {
			d.b[i] = d.b[i].Add(x)
		}
		d.foreign = d.foreign || l.Foreign
		d.disputed = d.disputed || l.Disputed
		d.related = d.related || l.RelatedParty
	}
	loss := []float64{rp.LossCurrent, rp.LossDays30, rp.LossDays60, rp.LossDays90, rp.LossOver90}
	eligibleBucket := []bool{true, true, true, rp.EligibleDays90, false}
	face, collectible := decimal.Zero, decimal.Zero
	ineligible := map[string]decimal.Decimal{}
	addInel := func(reason string, x decimal.Decimal) {
		if x.Sign() > 0 {
			ineligible[reason] = ineligible[reason].Add(x)
		}
	}
	type elig struct {
		name       string
		face, coll decimal.Decimal
	}
	var eligible []elig
	totalEligible := decimal.Zero
	for _, key := range sortedKeys(byName) {
		d := byName[key]
		bal := decimal.Sum(decimal.Zero, d.b[:]...)
		face = face.Add(bal)
		var eFace, eColl decimal.Decimal
		for i, x := range d.b {
			c := x.Mul(decFloat(1 - loss[i]))
			collectible = collectible.Add(c)
			if eligibleBucket[i] {
				eFace, eColl = eFace.Add(x), eColl.Add(c)
			}
		}
		reason := ""
		switch {
		case bal.Sign() == 0:
			continue
		case d.foreign && rp.ExcludeForeign:
			reason = "foreign"
		case d.disputed && rp.ExcludeDisputed:
			reason = "disputed"
		case d.related && rp.ExcludeRelatedParty:
			reason = "related_party"
		case d.b[4].DivRound(bal, 16).InexactFloat64() > rp.CrossAge:
			reason = "cross_aged"
		}
		if reason != "" {
			addInel(reason, bal)
			continue
		}
		addInel("past_due", bal.Sub(eFace))
		if eFace.Sign() > 0 {
			eligible = append(eligible, elig{name: key, face: eFace, coll: eColl})
			totalEligible = totalEligible.Add(eFace)
		}
	}
	// Concentration: each debtor counts up to cap × total eligible.
	limit := totalEligible.Mul(decFloat(rp.Concentration))
	eligColl := decimal.Zero
	for _, e := range eligible {
		if e.face.GreaterThan(limit) {
			keep := limit.DivRound(e.face, 16)
			excess := e.face.Sub(limit)
			addInel("concentration", excess)
			s.flag(Flag{Code: FlagConcentrationExcess, Severity: SeverityInfo,
				Message:  "debtor " + e.name + " exceeds the concentration cap; the excess is ineligible",
				Evidence: map[string]string{"debtor": e.name, "eligible": e.face.Round(2).String(), "cap": limit.Round(2).String()}})
			eligColl = eligColl.Add(e.coll.Mul(keep))
			continue
		}
		eligColl = eligColl.Add(e.coll)
	}
	s.setAnchor(AnchorAgingReport, face, &doc, "aging_collectible")
	s.setTo("expected_loss", "Expected credit loss by aging bucket", collectible, map[string]string{
		"loss_rates": joinFloats(loss), "face": face.Round(2).String()}, "aging report "+doc.ID)
	s.eligible = &eligColl
	if len(ineligible) > 0 {
		ev := map[string]string{}
		for _, k := range sortedKeys(ineligible) {
			ev[k] = ineligible[k].Round(2).String()
		}
		s.flag(Flag{Code: FlagIneligibleCollateral, Severity: SeverityInfo,
			Message: "part of the receivables is ineligible for lending", Evidence: ev})
	}
	adv := s.p.Lending[Receivables].AdvanceRate
	if dil, ok := s.attrRate("dilution"); ok {
		adv -= dil
		if adv < 0 {
			adv = 0
		}
	}
	s.advance = &adv
}

// latestReport picks the latest-dated document matching ok and penalizes
// a stale or undated one.
func (s *state) latestReport(ok func(Document) bool) (Document, bool) {
	var best Document
	found := false
	for _, d := range s.docs {
		if ok(d) && (!found || d.Date.After(best.Date)) {
			best, found = d, true
		}
	}
	if !found {
		return best, false
	}
	u := s.p.Uncertainty
	if best.Date.IsZero() {
		s.addFSD("stale_report", u.StaleReport, "report "+best.ID+" is undated")
		return best, true
	}
	if days := int(s.asOf.Sub(best.Date).Hours() / 24); days > u.StaleReportDays {
		s.addFSD("stale_report", u.StaleReport, "report "+best.ID+" is "+itoa(days)+" days old")
		s.flag(Flag{Code: FlagStaleReport, Severity: SeverityWarning,
			Message:  "the report is older than " + itoa(u.StaleReportDays) + " days",
			Evidence: map[string]string{"document_id": best.ID, "date": best.Date.UTC().Format(time.DateOnly), "days": itoa(days)}})
	}
	return best, true
}

func joinFloats(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = ftoa(x, 4)
	}
	return strings.Join(parts, ",")
}
