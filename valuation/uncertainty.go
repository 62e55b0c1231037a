package valuation

import "math"

// evidenceCredits lowers FSD for documents that support but are never
// required: photos and inspection reports.
func (s *state) evidenceCredits() {
	u := s.p.Uncertainty
	if s.hasKind(KindPhoto) {
		s.addFSD("photo_credit", -u.PhotoCredit, "photos on file")
	}
	if s.hasKind(KindInspection) {
		s.addFSD("inspection_credit", -u.InspectionCredit, "inspection report on file")
	}
}

// finalFSD adds the terms, clamps to [Min, Max] and rounds to 4 places so
// the confidence score is stable.
func (s *state) finalFSD() float64 {
	sum := 0.0
	for _, t := range s.fsd {
		sum += t.Amount
	}
	u := s.p.Uncertainty
	return round(math.Max(u.Min, math.Min(u.Max, sum)), 4)
}

// confidence is round(100 × (1 − FSD)).
func confidence(fsd float64) int {
	c := int(math.Round(100 * (1 - fsd)))
	return max(0, min(100, c))
}

// tier is the first tier whose minimum the score reaches.
func tier(tiers []ConfidenceTier, score int) string {
	for _, t := range tiers {
		if score >= t.Min {
			return t.Name
		}
	}
	return tiers[len(tiers)-1].Name
}
