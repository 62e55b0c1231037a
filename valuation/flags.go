package valuation

import (
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Flag codes. They are stable: hosts and reviewers match on them.
const (
	FlagDeclaredValueDivergence = "DECLARED_VALUE_DIVERGENCE" // |ln(declared/value)| > 2·FSD; blocking above SevereRatio
	FlagDeclaredOnly            = "DECLARED_ONLY"             // no independent evidence; lending capped
	FlagMissingDocuments        = "MISSING_DOCUMENTS"         // a required document is missing; blocking
	FlagDuplicateSerial         = "DUPLICATE_SERIAL"          // serial on another asset; blocking
	FlagDuplicateVIN            = "DUPLICATE_VIN"             // VIN on another asset; blocking
	FlagDocumentReused          = "DOCUMENT_REUSED"           // document bytes on another asset; blocking
	FlagInvalidVIN              = "INVALID_VIN"               // check digit fails; blocking (vehicles)
	FlagVINMismatch             = "VIN_MISMATCH"              // documents/metadata disagree on the VIN; blocking
	FlagSerialMismatch          = "SERIAL_MISMATCH"           // documents/metadata disagree on the serial
	FlagYearMismatch            = "YEAR_MISMATCH"             // documents and metadata disagree on the year
	FlagConditionConflict       = "CONDITION_CONFLICT"        // documents and metadata disagree on condition
	FlagStaleAppraisal          = "STALE_APPRAISAL"           // appraisal older than the table's limit
	FlagStaleReport             = "STALE_REPORT"              // aging/stock report older than the limit
	FlagStalePrice              = "STALE_PRICE"               // metal price snapshot older than the limit
	FlagPriceUnavailable        = "PRICE_UNAVAILABLE"         // no price for the metal in the asset's currency
	FlagBeyondClassLife         = "BEYOND_CLASS_LIFE"         // age beyond the class life; curve extrapolated
	FlagFutureDatedDocument     = "FUTURE_DATED_DOCUMENT"     // dated after AsOf; not used
	FlagCurrencyMismatch        = "CURRENCY_MISMATCH"         // document amount in another currency; not used
	FlagRoyaltyUndocumented     = "ROYALTY_UNDOCUMENTED"      // IP without a documented royalty: no lending value
	FlagIneligibleCollateral    = "INELIGIBLE_COLLATERAL"     // part of receivables/inventory is ineligible
	FlagConcentrationExcess     = "CONCENTRATION_EXCESS"      // a debtor over the concentration cap
	FlagInvalidAttribute        = "INVALID_ATTRIBUTE"         // an attribute could not be read
	FlagReferForAppraisal       = "REFER_FOR_APPRAISAL"       // FSD above the referral gate; loan capped
)

// Blocking reports whether any flag blocks automatic verification.
func (r *Report) Blocking() bool {
	if r == nil {
		return false
	}
	for _, f := range r.Flags {
		if f.Blocking {
			return true
		}
	}
	return false
}

// checkConflicts turns the engine's platform look-ups into blocking flags,
// one per conflicting value.
func (s *state) checkConflicts() {
	type group struct {
		kind, value string
		docs        []string
		others      []string
	}
	groups := map[string]*group{}
	for _, c := range s.in.Conflicts {
		kind := strings.ToLower(strings.TrimSpace(c.Kind))
		switch kind {
		case "serial", "vin", "document_hash":
		default:
			continue
		}
		k := kind + "\x00" + c.Value
		g := groups[k]
		if g == nil {
			g = &group{kind: kind, value: c.Value}
			groups[k] = g
		}
		if c.DocumentID != "" && !contains(g.docs, c.DocumentID) {
			g.docs = append(g.docs, c.DocumentID)
		}
		if c.OtherAssetID != "" && !contains(g.others, c.OtherAssetID) {
			g.others = append(g.others, c.OtherAssetID)
		}
	}
	for _, k := range sortedKeys(groups) {
		g := groups[k]
		sort.Strings(g.docs)
		sort.Strings(g.others)
		ev := map[string]string{g.kind: g.value, "other_assets": strings.Join(g.others, ",")}
		f := Flag{Severity: SeverityHigh, Blocking: true, Evidence: ev}
		switch g.kind {
		case "serial":
			f.Code, f.Message = FlagDuplicateSerial, "serial "+g.value+" is on another asset (possible double pledging)"
		case "vin":
			f.Code, f.Message = FlagDuplicateVIN, "VIN "+g.value+" is on another asset (possible double pledging)"
		default:
			f.Code, f.Message = FlagDocumentReused, "a document's bytes were already submitted for another asset"
			ev["document_ids"] = strings.Join(g.docs, ",")
		}
		s.flag(f)
	}
}

// checkSerials flags documents and metadata that disagree on the serial.
func (s *state) checkSerials() {
	seen := map[string][]string{}
	if v := NormalizeSerial(s.in.Attributes["serial"]); v != "" {
		seen[v] = append(seen[v], "attribute serial")
	}
	for _, d := range s.docs {
		if v := NormalizeSerial(d.Serial); v != "" {
			seen[v] = append(seen[v], "document "+d.ID)
		}
	}
	if len(seen) > 1 {
		keys := sortedKeys(seen)
		s.flag(Flag{Code: FlagSerialMismatch, Severity: SeverityWarning,
			Message:  "the asset's documents and metadata give different serial numbers",
			Evidence: map[string]string{"serials": strings.Join(keys, ",")}})
	}
}

// checkRequiredDocuments flags and penalizes each missing requirement.
func (s *state) checkRequiredDocuments() {
	var missing []string
	for _, group := range s.p.RequiredDocs[s.in.Type] {
		found := false
		for _, k := range group {
			found = found || s.hasKind(k)
		}
		if found {
			continue
		}
		names := make([]string, len(group))
		for i, k := range group {
			names[i] = string(k)
		}
		alt := strings.Join(names, " or ")
		missing = append(missing, alt)
		s.addFSD("missing_document", s.p.Uncertainty.MissingDocument, "missing "+alt)
	}
	if len(missing) > 0 {
		s.flag(Flag{Code: FlagMissingDocuments, Severity: SeverityWarning, Blocking: true,
			Message:  "required documents are missing: " + strings.Join(missing, "; "),
			Evidence: map[string]string{"missing": strings.Join(missing, "; "), "asset_type": string(s.in.Type)}})
	}
}

// divergence compares the declared value with the model's. It fires
// exactly when |ln(declared/value)| > SigmaMultiple·FSD; below the model it
// is informative, above it a warning, blocking when declared/value exceeds
// SevereRatio.
func (s *state) divergence(value decimal.Decimal, fsd float64) {
	declared := s.in.DeclaredValue
	if s.anchor.Source == AnchorDeclared || declared.Sign() <= 0 {
		return
	}
	threshold := s.p.Divergence.SigmaMultiple * fsd
	ev := map[string]string{"declared": declared.String(), "value": value.String(), "threshold": ftoa(threshold, 4)}
	if value.Sign() <= 0 {
		ev["ratio"] = "inf"
		s.flag(Flag{Code: FlagDeclaredValueDivergence, Severity: SeverityHigh, Blocking: true,
			Message: "the declared value is far above the model's value", Evidence: ev})
		return
	}
	ratio := declared.InexactFloat64() / value.InexactFloat64()
	lr := math.Log(ratio)
	if math.Abs(lr) <= threshold {
		return
	}
	ev["ratio"], ev["ln_ratio"] = ftoa(ratio, 4), ftoa(lr, 4)
	f := Flag{Code: FlagDeclaredValueDivergence, Evidence: ev}
	switch {
	case lr < 0:
		f.Severity, f.Message = SeverityInfo, "the declared value is below the model's value"
		ev["direction"] = "below"
	case ratio > s.p.Divergence.SevereRatio:
		f.Severity, f.Blocking, f.Message = SeverityHigh, true, "the declared value is far above the model's value"
		ev["direction"] = "above"
	default:
		f.Severity, f.Message = SeverityWarning, "the declared value is above the model's value"
		ev["direction"] = "above"
	}
	s.flag(f)
}

// riskGrade maps confidence to A..E, then a blocking flag caps the grade
// at D (E when its severity is high), and any warning costs one step.
func riskGrade(g RiskGradeParams, confidence int, flags []Flag) string {
	grade := 4
	switch {
	case confidence >= g.A:
		grade = 0
	case confidence >= g.B:
		grade = 1
	case confidence >= g.C:
		grade = 2
	case confidence >= g.D:
		grade = 3
	}
	warned := false
	for _, f := range flags {
		switch {
		case f.Blocking && f.Severity == SeverityHigh:
			grade = 4
		case f.Blocking:
			grade = max(grade, 3)
		case f.Severity != SeverityInfo:
			warned = true
		}
	}
	if warned {
		grade = min(grade+1, 4)
	}
	return string(rune('A' + grade))
}

// sortFlags orders flags by code, then message, then evidence.
func sortFlags(flags []Flag) {
	key := func(f Flag) string {
		var b strings.Builder
		for _, k := range sortedKeys(f.Evidence) {
			b.WriteString(k + "=" + f.Evidence[k] + ";")
		}
		return b.String()
	}
	sort.SliceStable(flags, func(i, j int) bool {
		a, b := flags[i], flags[j]
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return key(a) < key(b)
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
