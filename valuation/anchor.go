package valuation

import (
	"errors"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// step is one factor from the anchor toward the value: a multiplier, or,
// for the floor and report-based types, an exact target amount.
type step struct {
	id, label string
	mult      float64
	to        *decimal.Decimal // exact value after the step; mult is then informative
	inputs    map[string]string
	evidence  string
}

func (s *state) multiply(id, label string, mult float64, inputs map[string]string, evidence string) {
	if mult == 1 {
		return
	}
	s.prod *= mult
	s.steps = append(s.steps, step{id: id, label: label, mult: mult, inputs: inputs, evidence: evidence})
}

func (s *state) setTo(id, label string, to decimal.Decimal, inputs map[string]string, evidence string) {
	s.prod = 0
	if s.anchorAmt.Sign() > 0 {
		s.prod = to.DivRound(s.anchorAmt, 16).InexactFloat64()
	}
	s.steps = append(s.steps, step{id: id, label: label, to: &to, inputs: inputs, evidence: evidence})
}

// floorAt adds a floor step when the steps so far leave less than floor ×
// anchor.
func (s *state) floorAt(floor float64, evidence string) {
	p := s.prod
	if p >= floor {
		return
	}
	s.setTo("floor", "Value floor", s.anchorAmt.Mul(decimal.NewFromFloat(floor)),
		map[string]string{"floor": ftoa(floor, 4), "before": ftoa(p, 6)}, evidence)
	s.prod = floor
}

// apply runs the steps: v0 = anchor, v_k = v_{k−1} × m_k (exact decimal
// arithmetic) or the step's target. It returns the unrounded value and the
// factors, whose contributions are differences of the cent-rounded
// running values, so Anchor.Amount + Σ Contribution = Value exactly.
func (s *state) apply() (decimal.Decimal, []Factor) {
	v := s.anchorAmt
	factors := make([]Factor, 0, len(s.steps))
	for _, st := range s.steps {
		prev := v
		if st.to != nil {
			v = *st.to
		} else {
			v = v.Mul(decimal.NewFromFloat(st.mult))
		}
		mult := st.mult
		if st.to != nil || mult <= 0 {
			mult = 0
			if prev.Sign() > 0 {
				mult = v.DivRound(prev, 12).InexactFloat64()
			}
		}
		logc := 0.0
		if mult > 0 && !math.IsInf(mult, 0) {
			logc = math.Log(mult)
		}
		factors = append(factors, Factor{
			ID: st.id, Label: st.label, Inputs: st.inputs, Evidence: st.evidence,
			Multiplier: round(mult, 6), LogContribution: round(logc, 6),
			Contribution: v.Round(2).Sub(prev.Round(2)),
		})
	}
	return v, factors
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// parseComparables reads the `comparables` attribute: prices of comparable
// sales separated by commas, semicolons or spaces.
func parseComparables(v string) ([]decimal.Decimal, error) {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '|' })
	out := make([]decimal.Decimal, 0, len(fields))
	for _, f := range fields {
		d, err := decimal.NewFromString(f)
		if err != nil {
			return nil, errors.New("not a list of prices")
		}
		if d.Sign() <= 0 {
			return nil, errors.New("prices must be positive")
		}
		out = append(out, d)
	}
	return out, nil
}

// anchorComparables anchors on the mean of the comparables attribute, when
// there is one; FSD is the larger of the type's base and the comps'
// relative standard deviation, plus a penalty for few comps.
func (s *state) anchorComparables(method string) bool {
	v, ok := s.in.Attributes["comparables"]
	if !ok {
		return false
	}
	comps, err := parseComparables(v)
	if err != nil || len(comps) == 0 {
		return false
	}
	sort.Slice(comps, func(i, j int) bool { return comps[i].LessThan(comps[j]) })
	sum := decimal.Zero
	for _, c := range comps {
		sum = sum.Add(c)
	}
	n := decimal.NewFromInt(int64(len(comps)))
	mean := sum.DivRound(n, 16)
	s.setAnchor(AnchorComparables, mean, nil, method)
	if len(comps) > 1 {
		ss := decimal.Zero
		for _, c := range comps {
			d := c.Sub(mean)
			ss = ss.Add(d.Mul(d))
		}
		variance := ss.DivRound(n.Sub(decimal.NewFromInt(1)), 16).InexactFloat64()
		rel := math.Sqrt(variance) / mean.InexactFloat64()
		if base := s.fsd[len(s.fsd)-1].Amount; rel > base {
			s.addFSD("comparables_dispersion", round(rel-base, 4), itoa(len(comps))+" comparables, relative SD "+ftoa(rel, 4))
		}
	}
	if len(comps) < s.p.Uncertainty.MinComparables {
		s.addFSD("few_comparables", s.p.Uncertainty.FewComparables, itoa(len(comps))+" comparables")
	}
	return true
}
