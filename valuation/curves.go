package valuation

import (
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

func decFloat(x float64) decimal.Decimal { return decimal.NewFromFloat(x) }

// maxAgeYears bounds ages so retention stays a positive float.
const maxAgeYears = 150

// retention is an age curve: R(0) = 1, positive, non-increasing.
type retention struct {
	name      string
	r         func(age float64) float64
	inputs    map[string]string // the curve's parameters, for the explanation
	classLife float64           // 0 when unknown
	perYear   float64           // meter baseline (hours or miles a year); 0: no meter rule
	floor     float64
}

// curveRetention is the declining-balance curve of the research:
// R(a) = 1 − d1·a for a < 1, (1−d1)(1−r)^(a−1) after.
func curveRetention(c Curve) func(float64) float64 {
	return func(a float64) float64 {
		if a <= 0 {
			return 1
		}
		if a < 1 {
			return 1 - c.D1*a
		}
		return (1 - c.D1) * math.Pow(1-c.R, a-1)
	}
}

// tableRetention interpolates a retention table linearly by year and
// declines geometrically after it.
func tableRetention(table []float64, after float64) func(float64) float64 {
	return func(a float64) float64 {
		if a <= 0 {
			return 1
		}
		last := len(table) - 1
		if a >= float64(last) {
			return table[last] * math.Pow(1-after, a-float64(last))
		}
		i := int(a)
		frac := a - float64(i)
		return table[i] + (table[i+1]-table[i])*frac
	}
}

// manufactured is the assumed date of manufacture: mid-year.
func manufactured(year int) time.Time { return time.Date(year, time.July, 1, 0, 0, 0, 0, time.UTC) }

func clampAge(a float64) float64 { return math.Max(0, math.Min(maxAgeYears, a)) }

// depreciate adds the age, usage, meter and condition factors and the
// floor. An appraisal is only moved along the curve from its date (it
// already reflects condition and use); an invoice is aged from its date,
// or from the year of manufacture; comparables are current market prices,
// so they get condition and meter only.
func (s *state) depreciate(rt retention, doc *Document) {
	src := s.anchor.Source
	u := s.p.Usage
	f := s.facts
	// Ages.
	var ageAt, ageNow float64
	known := true
	hasMfg := f.year != 0
	mfg := manufactured(f.year)
	switch {
	case src == AnchorComparables:
		known = false
	case doc != nil && !doc.Date.IsZero():
		d := doc.Date.UTC()
		switch {
		case hasMfg:
			if d.Year() < f.year {
				s.flag(Flag{Code: FlagYearMismatch, Severity: SeverityWarning,
					Message:  "document " + doc.ID + " predates the year of manufacture " + itoa(f.year),
					Evidence: map[string]string{"document_id": doc.ID, "date": d.Format(time.DateOnly), "year": f.yearEv}})
			}
			ageAt = clampAge(yearsBetween(mfg, d))
		case src == AnchorAppraisal:
			ageAt = 1 // past year one: the curve's steady decline
		}
		ageNow = clampAge(ageAt + yearsBetween(d, s.asOf))
	case hasMfg && src == AnchorInvoice:
		ageNow = clampAge(yearsBetween(mfg, s.asOf))
	case src == AnchorInvoice:
		ageNow = s.p.Depreciation.AssumedAgeYears
		s.addFSD("age_unknown", s.p.Uncertainty.AgeUnknown, "no invoice date and no year; age "+ftoa(ageNow, 2)+" assumed")
	default:
		known = false // an undated appraisal: taken as current
	}
	usage := 1.0
	meterYears := -1.0
	if f.hoursKnown && s.in.Type == Equipment && rt.perYear > 0 {
		meterYears = f.hours / rt.perYear
	}
	if f.milesKnown && s.in.Type == Vehicle && rt.perYear > 0 {
		meterYears = f.miles / rt.perYear
	}
	if meterYears < 0 && src != AnchorAppraisal {
		switch f.usage {
		case "low":
			usage = u.Low
		case "high":
			usage = u.High
		}
	}
	if known {
		inputs := map[string]string{"age": ftoa(ageNow, 2), "age_at_anchor": ftoa(ageAt, 2), "curve": rt.name}
		for k, v := range rt.inputs {
			inputs[k] = v
		}
		ev := "anchor " + s.anchor.DocumentID
		if hasMfg {
			ev += "; year " + f.yearEv
		}
		id, label := "age_curve", "Depreciation by age"
		if src == AnchorAppraisal {
			id, label = "time_adjustment", "Appraisal moved along the age curve to the valuation date"
		}
		base := rt.r(ageNow) / rt.r(ageAt)
		s.multiply(id, label, base, inputs, ev)
		if usage != 1 && base < 1 {
			// Scaling the (continuous) depreciation rate by u raises the
			// retained fraction to the power u.
			s.multiply("usage", "Usage class scales the depreciation rate", math.Pow(base, usage-1),
				map[string]string{"usage": f.usage, "rate_multiplier": ftoa(usage, 3)}, f.usageEv)
		}
		if rt.classLife > 0 && ageNow > rt.classLife {
			s.addFSD("beyond_class_life", s.p.Uncertainty.BeyondClassLife, "age "+ftoa(ageNow, 2)+" > class life "+ftoa(rt.classLife, 1))
			s.flag(Flag{Code: FlagBeyondClassLife, Severity: SeverityInfo,
				Message:  "the asset is older than its class life; the curve is extrapolated",
				Evidence: map[string]string{"age": ftoa(ageNow, 2), "class_life": ftoa(rt.classLife, 1)}})
		}
	}
	if src == AnchorAppraisal {
		return // the appraisal saw condition and use; floor not applied to an appraisal
	}
	if known && meterYears >= 0 {
		eff := (1-u.MeterWeight)*ageNow + u.MeterWeight*meterYears
		m := math.Max(u.MeterMin, math.Min(u.MeterMax, rt.r(clampAge(eff))/rt.r(ageNow)))
		id, ev := "hours", f.hoursEv
		if s.in.Type == Vehicle {
			id, ev = "mileage", f.milesEv
		}
		s.multiply(id, "Meter reading against the yearly baseline", m, map[string]string{
			"meter_years": ftoa(meterYears, 2), "effective_age": ftoa(eff, 2), "per_year": ftoa(rt.perYear, 0),
			"weight": ftoa(u.MeterWeight, 2)}, ev)
	}
	s.applyCondition()
	s.floorAt(rt.floor, "floor "+ftoa(rt.floor, 2)+" of the anchor")
}

// applyCondition multiplies by the condition multiplier; good is assumed,
// with an FSD penalty, when nothing states a condition; a condition that
// is only declared (attribute or text) costs a smaller penalty. Scrap goes
// to the floor.
func (s *state) applyCondition() {
	f := s.facts
	un := s.p.Uncertainty
	if f.cond == "" {
		s.addFSD("condition_unknown", un.ConditionUnknown, "no condition stated; good assumed")
		return
	}
	if f.condSource != "document" {
		s.addFSD("condition_from_text", un.ConditionFromText, "condition from the "+f.condSource+" only")
	}
	m := f.cond.multiplier(s.p.Condition)
	inputs := map[string]string{"condition": string(f.cond), "source": f.condSource}
	floor := s.floorFor()
	if m*s.prod < floor {
		s.setTo("condition", "Condition", s.anchorAmt.Mul(decFloat(floor)), inputs, f.condEv)
		return
	}
	s.multiply("condition", "Condition", m, inputs, f.condEv)
}

func (s *state) floorFor() float64 {
	if s.in.Type == Vehicle && !s.vehicleOnCurve() {
		return s.p.Vehicle.Floor
	}
	return s.p.Depreciation.Floor
}

// subtypeAttr returns the normalized `subtype` attribute.
func (s *state) subtypeAttr() string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s.in.Attributes["subtype"])), " ", "_")
}
