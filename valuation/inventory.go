package valuation

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// turnClasses are the inventory turn classes, fastest first.
func turnClasses() []string { return []string{"fast", "average", "slow", "dead"} }

// valueInventory values the latest stock report at cost (Σ quantity × unit
// cost): FMV writes slow and dead stock down (FMVByTurn × category factor),
// OLV is the orderly recovery (Recovery × category factor), NOLV = OLV less
// disposal costs, FLV a fraction of OLV. Eligible stock (finished and raw
// goods turning fast or average) is lent against at min(advance × eligible
// NOLV, CostAdvance × eligible cost). Without a stock report the declared
// value is the anchor.
func (s *state) valueInventory() {
	doc, ok := s.latestReport(func(d Document) bool { return d.Stock != nil && len(d.Stock.Lines) > 0 })
	if !ok {
		s.anchorDeclared("declared")
		return
	}
	ip := s.p.Inventory
	cost, fmv, olv := decimal.Zero, decimal.Zero, decimal.Zero
	eligCost, eligOLV := decimal.Zero, decimal.Zero
	ineligible := map[string]decimal.Decimal{}
	for _, l := range doc.Stock.Lines {
		c := l.Quantity.Mul(l.UnitCost)
		if c.Sign() == 0 {
			continue
		}
		cat := strings.ToLower(strings.TrimSpace(l.Category))
		turn := strings.ToLower(strings.TrimSpace(l.Turn))
		if !slices.Contains(turnClasses(), turn) {
			turn = "slow" // unknown turn: conservative
		}
		if cat == "obsolete" {
			turn = "dead"
		}
		cf, known := ip.CategoryFactor[cat]
		if !known {
			cf = 1
		}
		cost = cost.Add(c)
		fmv = fmv.Add(c.Mul(decFloat(ip.FMVByTurn[turn] * cf)))
		lineOLV := c.Mul(decFloat(ip.Recovery[turn] * cf))
		olv = olv.Add(lineOLV)
		switch {
		case !known || !slices.Contains(ip.EligibleCategories, cat):
			ineligible["category_"+nonEmpty(cat)] = ineligible["category_"+nonEmpty(cat)].Add(c)
		case !slices.Contains(ip.EligibleTurns, turn):
			ineligible["turn_"+turn] = ineligible["turn_"+turn].Add(c)
		default:
			eligCost = eligCost.Add(c)
			eligOLV = eligOLV.Add(lineOLV)
		}
	}
	disposal := decFloat(1 - s.p.Premises[Inventory].Disposal)
	s.setAnchor(AnchorStockReport, cost, &doc, "inventory_recovery")
	s.setTo("obsolescence", "Slow and dead stock written down", fmv, map[string]string{
		"cost": cost.Round(2).String()}, "stock report "+doc.ID)
	s.premises = &premiseValues{fmv: fmv, olv: olv, flv: olv.Mul(decFloat(ip.FLVOfOLV)), nolv: olv.Mul(disposal)}
	eligNOLV := eligOLV.Mul(disposal)
	s.eligible = &eligNOLV
	s.caps = append(s.caps, loanCap{reason: "cost_advance", amount: eligCost.Mul(decFloat(ip.CostAdvance))})
	if len(ineligible) > 0 {
		ev := map[string]string{}
		for _, k := range sortedKeys(ineligible) {
			ev[k] = ineligible[k].Round(2).String()
		}
		s.flag(Flag{Code: FlagIneligibleCollateral, Severity: SeverityInfo,
			Message: "part of the inventory is ineligible for lending (at cost)", Evidence: ev})
	}
}

func nonEmpty(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
