package valuation

import "github.com/shopspring/decimal"

// valueArt anchors on an appraisal, else an auction estimate (attributes
// `auction_low`, `auction_high`; FMV the midpoint, FSD (s−1)/(s+1) for a
// spread s = high/low) or comparables, else the purchase invoice, else the
// declared value. Art is not depreciated.
func (s *state) valueArt() {
	if doc, ok := s.latestAmount(KindAppraisal); ok {
		s.setAnchor(AnchorAppraisal, doc.Amount, &doc, "appraisal")
		s.staleAppraisal(doc)
		return
	}
	if s.auctionEstimate() || s.anchorComparables("comparables") {
		return
	}
	if doc, ok := s.latestAmount(KindInvoice); ok {
		s.setAnchor(AnchorInvoice, doc.Amount, &doc, "cost")
		return
	}
	s.anchorDeclared("declared")
}

func (s *state) auctionEstimate() bool {
	lo, okL := s.attrMoney("auction_low")
	hi, okH := s.attrMoney("auction_high")
	okL, okH = okL && lo.Sign() > 0, okH && hi.Sign() > 0
	spread := decFloat(s.p.Art.AuctionSpread)
	switch {
	case okL && okH:
		if hi.LessThan(lo) {
			lo, hi = hi, lo
		}
	case okL:
		hi = lo.Mul(spread)
	case okH:
		lo = hi.DivRound(spread, 16)
	default:
		return false
	}
	mid := lo.Add(hi).DivRound(decimal.NewFromInt(2), 16)
	s.setAnchor(AnchorComparables, mid, nil, "auction_estimate")
	sp := hi.DivRound(lo, 16).InexactFloat64()
	fsd := (sp - 1) / (sp + 1)
	if base := s.fsd[len(s.fsd)-1].Amount; fsd != base {
		s.addFSD("auction_spread", round(fsd-base, 4), "estimate "+lo.Round(2).String()+"-"+hi.Round(2).String()+", spread "+ftoa(sp, 3))
	}
	return true
}
