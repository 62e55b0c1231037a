package valuation

import (
	"math"
	"strconv"
	"strings"
)

// facts are the asset's features merged from documents, attributes and
// free text. Documents win over attributes, attributes over the
// name/description text.
type facts struct {
	year       int
	yearSource string // document, attribute, text
	yearEv     string

	cond       Condition
	condSource string // document, attribute, text
	condEv     string

	hours, miles     float64 // meter readings; valid when the ...Known flag is set
	hoursKnown       bool
	milesKnown       bool
	hoursEv, milesEv string

	royalty           float64
	royaltyDocumented bool
	royaltyEv         string

	usage   string // low, average, high; "" when unknown
	usageEv string
}

func matchEvidence(source string, m textMatch) string {
	return source + "[" + itoa(m.Start) + ":" + itoa(m.End) + "] " + strconv.Quote(m.Token) + " (" + m.Rule + ")"
}

func (s *state) gatherFacts() facts {
	var f facts
	maxYear := s.asOf.Year()
	// Documents: inspection and appraisal reports are the best evidence of
	// condition; across documents the conservative reading wins.
	var docCond Condition
	var docCondEv string
	docYear := 0
	var docYearEv string
	for _, d := range s.docs {
		if d.Text == "" {
			continue
		}
		src := "document " + d.ID
		x := extract(d.Text, maxYear, true)
		if x.Condition != "" && (docCond == "" || x.Condition.Rank() < docCond.Rank()) {
			docCond, docCondEv = x.Condition, matchEvidence(src, x.ConditionMatch)
		}
		if x.Year != 0 && (docYear == 0 || x.Year < docYear) {
			docYear, docYearEv = x.Year, matchEvidence(src, x.YearMatch)
		}
		if x.Hours > f.hours {
			f.hours, f.hoursEv = x.Hours, matchEvidence(src, x.HoursMatch)
		}
		if x.Miles > f.miles {
			f.miles, f.milesEv = x.Miles, matchEvidence(src, x.MilesMatch)
		}
		if x.Royalty > 0 && (!f.royaltyDocumented || x.Royalty < f.royalty) {
			f.royalty, f.royaltyDocumented, f.royaltyEv = x.Royalty, true, matchEvidence(src, x.RoyaltyMatch)
		}
	}
	// Name and description.
	var txtCond Condition
	var txtCondEv string
	txtYear := 0
	var txtYearEv string
	var txtHours, txtMiles float64
	var txtHoursEv, txtMilesEv string
	for _, t := range []struct{ src, text string }{{"name", s.in.Name}, {"description", s.in.Description}} {
		if t.text == "" {
			continue
		}
		x := extract(t.text, maxYear, false)
		if x.Condition != "" && (txtCond == "" || x.Condition.Rank() < txtCond.Rank()) {
			txtCond, txtCondEv = x.Condition, matchEvidence(t.src, x.ConditionMatch)
		}
		if x.Year != 0 && (txtYear == 0 || x.Year < txtYear) {
			txtYear, txtYearEv = x.Year, matchEvidence(t.src, x.YearMatch)
		}
		if x.Hours > txtHours {
			txtHours, txtHoursEv = x.Hours, matchEvidence(t.src, x.HoursMatch)
		}
		if x.Miles > txtMiles {
			txtMiles, txtMilesEv = x.Miles, matchEvidence(t.src, x.MilesMatch)
		}
	}
	// Declared condition and year: the attribute, else the text.
	declCond, declCondSrc, declCondEv := txtCond, "text", txtCondEv
	if v, ok := s.in.Attributes["condition"]; ok {
		if c, ok := ParseCondition(v); ok {
			declCond, declCondSrc, declCondEv = c, "attribute", "attribute condition="+strconv.Quote(v)
		} else {
			s.invalidAttribute("condition", v)
		}
	}
	declYear, declYearSrc, declYearEv := txtYear, "text", txtYearEv
	if y, ok := s.attrInt("year"); ok {
		if y >= 1900 && y <= maxYear {
			declYear, declYearSrc, declYearEv = y, "attribute", "attribute year="+itoa(y)
		} else {
			s.invalidAttribute("year", s.in.Attributes["year"])
		}
	}
	switch {
	case docCond != "":
		f.cond, f.condSource, f.condEv = docCond, "document", docCondEv
		if declCond != "" && declCond != docCond {
			sev := SeverityInfo
			if declCond.Rank() > docCond.Rank() {
				sev = SeverityWarning
			}
			s.flag(Flag{Code: FlagConditionConflict, Severity: sev,
				Message:  "the documents say " + string(docCond) + ", the business says " + string(declCond) + "; the documents win",
				Evidence: map[string]string{"document": docCondEv, "declared": declCondEv}})
		}
	case declCond != "":
		f.cond, f.condSource, f.condEv = declCond, declCondSrc, declCondEv
	}
	switch {
	case docYear != 0:
		f.year, f.yearSource, f.yearEv = docYear, "document", docYearEv
		if declYear != 0 && declYear != docYear {
			s.flag(Flag{Code: FlagYearMismatch, Severity: SeverityWarning,
				Message:  "the documents give year " + itoa(docYear) + ", the business " + itoa(declYear) + "; the documents win",
				Evidence: map[string]string{"document": docYearEv, "declared": declYearEv}})
		}
	case declYear != 0:
		f.year, f.yearSource, f.yearEv = declYear, declYearSrc, declYearEv
	}
	// Meters: documents, else attributes, else text; the highest reading.
	f.hoursKnown, f.milesKnown = f.hours > 0, f.miles > 0
	if !f.hoursKnown {
		if h, ok := s.attrFloat("hours"); ok {
			f.hoursKnown = true
			f.hours, f.hoursEv = h, "attribute hours="+s.in.Attributes["hours"]
		} else if txtHours > 0 {
			f.hours, f.hoursEv, f.hoursKnown = txtHours, txtHoursEv, true
		}
	}
	if !f.milesKnown {
		if m, ok := s.attrFloat("mileage"); ok {
			f.milesKnown = true
			f.miles, f.milesEv = m, "attribute mileage="+s.in.Attributes["mileage"]
		} else if txtMiles > 0 {
			f.miles, f.milesEv, f.milesKnown = txtMiles, txtMilesEv, true
		}
	}
	if !f.royaltyDocumented {
		if r, ok := s.attrRate("royalty_rate"); ok && r > 0 {
			f.royalty, f.royaltyEv = r, "attribute royalty_rate="+s.in.Attributes["royalty_rate"]
		}
	}
	if v, ok := s.in.Attributes["usage"]; ok {
		switch u := strings.ToLower(strings.TrimSpace(v)); u {
		case "low", "average", "high":
			f.usage, f.usageEv = u, "attribute usage="+strconv.Quote(v)
		case "avg", "medium", "normal":
			f.usage, f.usageEv = "average", "attribute usage="+strconv.Quote(v)
		default:
			s.invalidAttribute("usage", v)
		}
	}
	return f
}

// attrFloat parses a finite numeric attribute; an unparsable one is
// flagged and ignored.
func (s *state) attrFloat(key string) (float64, bool) {
	v, ok := s.in.Attributes[key]
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", ""), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		s.invalidAttribute(key, v)
		return 0, false
	}
	return x, true
}

func (s *state) attrInt(key string) (int, bool) {
	x, ok := s.attrFloat(key)
	if !ok || x != math.Trunc(x) || x > 1e6 {
		return 0, false
	}
	return int(x), true
}

// attrRate reads a rate given as a fraction (0.08) or a percentage (8 or
// "8%"): values above 1 are percentages.
func (s *state) attrRate(key string) (float64, bool) {
	v, ok := s.in.Attributes[key]
	if !ok {
		return 0, false
	}
	t := strings.TrimSpace(v)
	pct := strings.HasSuffix(t, "%")
	x, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		s.invalidAttribute(key, v)
		return 0, false
	}
	if pct || x > 1 {
		x /= 100
	}
	if x > 1 {
		s.invalidAttribute(key, v)
		return 0, false
	}
	return x, true
}

func (s *state) invalidAttribute(key, value string) {
	for _, f := range s.flags {
		if f.Code == FlagInvalidAttribute && f.Evidence["key"] == key {
			return
		}
	}
	s.flag(Flag{Code: FlagInvalidAttribute, Severity: SeverityInfo,
		Message:  "attribute " + key + " could not be read and was ignored",
		Evidence: map[string]string{"key": key, "value": value}})
}

func itoa(i int) string { return strconv.Itoa(i) }

func ftoa(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
