package valuation

import (
	"math"

	"github.com/shopspring/decimal"
)

// premisesOf derives OLV, FLV and NOLV from FMV by the table's ratios,
// unless the type computed them itself.
func (s *state) premisesOf(fmv decimal.Decimal) premiseValues {
	if s.premises != nil {
		return *s.premises
	}
	r := s.p.Premises[s.in.Type]
	olv := fmv.Mul(decFloat(r.OLV))
	return premiseValues{fmv: fmv, olv: olv, flv: fmv.Mul(decFloat(r.FLV)), nolv: olv.Mul(decFloat(1 - r.Disposal))}
}

// lendingResult is the lending side of a report, unrounded.
type lendingResult struct {
	premise  Premise
	eligible decimal.Decimal
	value    decimal.Decimal
	advance  decimal.Decimal
	maxLoan  decimal.Decimal
}

// lend computes the lending value and max loan (research §4):
//
//	lending value = premise × (1 − z·FSD), z = ZAuto up to AutoFSD, else ZBand
//	max loan      = min(advance × lending value, caps) − senior liens, >= 0
//
// with caps for a declared-only anchor, a referral (FSD > ReferFSD) and
// inventory's cost advance; IP without a documented royalty lends nothing.
func (s *state) lend(pv premiseValues, fsd float64) lendingResult {
	lp := s.p.Lending[s.in.Type]
	u := s.p.Uncertainty
	res := lendingResult{premise: lp.Premise}
	var base decimal.Decimal
	switch lp.Premise {
	case PremiseFMV:
		base = pv.fmv
	case PremiseOLV:
		base = pv.olv
	case PremiseFLV:
		base = pv.flv
	case PremiseNOLV:
		base = pv.nolv
	case PremiseEligible:
		if s.eligible != nil {
			base = *s.eligible
			res.eligible = base
		} else {
			base, res.premise = pv.nolv, PremiseNOLV
		}
	}
	z := u.ZAuto
	if fsd > u.AutoFSD {
		z = u.ZBand
	}
	haircut := math.Max(0, math.Min(1, 1-z*fsd))
	adv := lp.AdvanceRate
	if s.advance != nil {
		adv = *s.advance
	}
	res.advance = decFloat(adv).Round(4)
	res.value = base.Mul(decFloat(haircut))
	if s.noLoan != "" {
		res.value = decimal.Zero
	}
	ml := res.value.Mul(res.advance)
	full := ml
	for _, c := range s.caps {
		limit := c.amount
		if c.relative {
			limit = full.Mul(decFloat(c.fraction))
		}
		ml = decimal.Min(ml, limit)
	}
	if fsd > u.ReferFSD {
		ml = decimal.Min(ml, full.Mul(decFloat(u.ReferLoanCap)))
	}
	ml = ml.Sub(s.liens)
	if ml.Sign() < 0 {
		ml = decimal.Zero
	}
	res.maxLoan = ml
	return res
}

func decimalMin(a, b decimal.Decimal) decimal.Decimal { return decimal.Min(a, b) }
