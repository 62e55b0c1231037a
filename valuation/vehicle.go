package valuation

import "strings"

// valueVehicle: FMV = anchor × retention(age) × M(mileage) × C(condition),
// floored, on the Edmunds retention table (or an equipment curve for trucks
// and trailers); the anchor precedence is that of equipment. VINs from the
// documents and the `vin` attribute are checked.
func (s *state) valueVehicle() {
	s.checkVINs()
	s.anchorAndDepreciate(s.vehicleCurve(), "retention_curve")
}

func (s *state) vehicleCurve() retention {
	v := s.p.Vehicle
	if s.vehicleOnCurve() {
		st := s.subtypeAttr()
		c := s.p.Depreciation.Curves[st]
		return retention{
			name: "equipment/" + st, r: curveRetention(c),
			inputs:    map[string]string{"subtype": st, "d1": ftoa(c.D1, 3), "r": ftoa(c.R, 3)},
			classLife: c.ClassLifeYears, perYear: v.MilesPerYear, floor: s.p.Depreciation.Floor,
		}
	}
	table := make([]string, len(v.Retention))
	for i, x := range v.Retention {
		table[i] = ftoa(x, 3)
	}
	return retention{
		name: "vehicle/retention", r: tableRetention(v.Retention, v.AfterRate),
		inputs:  map[string]string{"table": strings.Join(table, ","), "after_rate": ftoa(v.AfterRate, 3)},
		perYear: v.MilesPerYear, floor: v.Floor,
	}
}

// checkVINs flags invalid check digits and disagreeing VINs.
func (s *state) checkVINs() {
	type seen struct{ raw, where string }
	vins := map[string][]seen{}
	if v := strings.TrimSpace(s.in.Attributes["vin"]); v != "" {
		vins[NormalizeSerial(v)] = append(vins[NormalizeSerial(v)], seen{v, "attribute vin"})
	}
	for _, d := range s.docs {
		if strings.TrimSpace(d.VIN) != "" {
			n := NormalizeSerial(d.VIN)
			vins[n] = append(vins[n], seen{d.VIN, "document " + d.ID})
		}
	}
	keys := sortedKeys(vins)
	for _, k := range keys {
		if !ValidVIN(k) {
			var where []string
			for _, w := range vins[k] {
				where = append(where, w.where)
			}
			s.flag(Flag{Code: FlagInvalidVIN, Severity: SeverityHigh, Blocking: true,
				Message:  "VIN " + k + " fails the ISO 3779 check digit",
				Evidence: map[string]string{"vin": k, "source": strings.Join(where, "; ")}})
		}
	}
	if len(keys) > 1 {
		s.flag(Flag{Code: FlagVINMismatch, Severity: SeverityHigh, Blocking: true,
			Message:  "the asset's documents and metadata give different VINs",
			Evidence: map[string]string{"vins": strings.Join(keys, ",")}})
	}
}
