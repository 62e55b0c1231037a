package valuation

import "strings"

// valueEquipment: FMV = anchor × R(age) × U(usage) × M(hours) × C(condition),
// floored at floor × anchor, the anchor being an appraisal (moved along the
// curve from its date), an invoice (aged from its date or the year of
// manufacture), comparables, or the declared value.
func (s *state) valueEquipment() {
	s.anchorAndDepreciate(s.equipmentCurve(), "cost_depreciation")
}

// anchorAndDepreciate is the anchor precedence of depreciating assets
// (equipment, vehicles): an appraisal moved along curve rt from its date,
// else an invoice aged along it (method names that case), else comparables,
// else the declared value, which is not depreciated.
func (s *state) anchorAndDepreciate(rt retention, invoiceMethod string) {
	if doc, ok := s.latestAmount(KindAppraisal); ok {
		s.setAnchor(AnchorAppraisal, doc.Amount, &doc, "appraisal")
		s.staleAppraisal(doc)
		s.depreciate(rt, &doc)
		return
	}
	if doc, ok := s.latestAmount(KindInvoice); ok {
		s.setAnchor(AnchorInvoice, doc.Amount, &doc, invoiceMethod)
		s.depreciate(rt, &doc)
		return
	}
	if s.anchorComparables("comparables") {
		s.depreciate(rt, nil)
		return
	}
	s.anchorDeclared("declared")
}

// equipmentCurve picks the curve by the `subtype` attribute, else by the
// first word of the name or description naming one, else the default.
func (s *state) equipmentCurve() retention {
	d := s.p.Depreciation
	name, ev := "", ""
	if st := s.subtypeAttr(); st != "" {
		if _, ok := d.Curves[st]; ok {
			name, ev = st, "attribute subtype"
		} else if a, ok := d.Aliases[st]; ok {
			name, ev = a, "attribute subtype (alias "+st+")"
		} else {
			s.invalidAttribute("subtype", s.in.Attributes["subtype"])
		}
	}
	if name == "" {
	scan:
		for _, t := range []struct{ src, text string }{{"name", s.in.Name}, {"description", s.in.Description}} {
			for _, tok := range tokenize(t.text) {
				if _, ok := d.Curves[tok.text]; ok {
					name, ev = tok.text, t.src+" word "+tok.text
					break scan
				}
				if a, ok := d.Aliases[tok.text]; ok {
					name, ev = a, t.src+" word "+tok.text
					break scan
				}
			}
		}
	}
	if name == "" {
		name, ev = d.DefaultSubtype, "default"
	}
	c := d.Curves[name]
	return retention{
		name: "equipment/" + name, r: curveRetention(c),
		inputs:    map[string]string{"subtype": name, "subtype_source": ev, "d1": ftoa(c.D1, 3), "r": ftoa(c.R, 3)},
		classLife: c.ClassLifeYears, perYear: c.HoursPerYear, floor: d.Floor,
	}
}

// vehicleOnCurve reports whether a vehicle's subtype uses an equipment
// curve (trucks, trailers) rather than the retention table.
func (s *state) vehicleOnCurve() bool {
	st := s.subtypeAttr()
	for _, c := range s.p.Vehicle.CurveSubtypes {
		if strings.EqualFold(c, st) {
			return true
		}
	}
	return false
}
