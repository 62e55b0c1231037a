package valuation

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// state is one valuation in progress. Per-type code fills in the anchor,
// the steps from anchor to value, FSD terms, flags and any premise or
// lending overrides; report() does the rest.
type state struct {
	p    *Parameters
	in   Input
	asOf time.Time
	// docs are the usable documents in canonical order (shuffling the
	// input changes nothing): dated on or before AsOf.
	docs  []Document
	facts facts

	anchor    Anchor
	anchorAmt decimal.Decimal // unrounded
	method    string
	steps     []step
	prod      float64 // running product of the steps, as a fraction of the anchor
	fsd       []FSDTerm
	flags     []Flag

	// Overrides, for types valued from structured reports.
	premises *premiseValues   // nil: ratios of FMV
	eligible *decimal.Decimal // the ELIGIBLE premise; nil: NOLV
	advance  *float64         // nil: the table's rate
	caps     []loanCap        // upper bounds on the max loan
	liens    decimal.Decimal  // subtracted from the max loan
	noLoan   string           // why the lending value is zero; "" when it is not
}

type premiseValues struct{ fmv, olv, flv, nolv decimal.Decimal }

// loanCap bounds the max loan: to amount, or, when relative, to fraction ×
// advance × lending value.
type loanCap struct {
	reason   string
	amount   decimal.Decimal
	relative bool
	fraction float64
}

func newState(p *Parameters, in Input) *state {
	s := &state{p: p, in: in, asOf: in.AsOf.UTC()}
	docs := append([]Document(nil), in.Documents...)
	sortDocuments(docs)
	for _, d := range docs {
		if !d.Date.IsZero() && d.Date.After(s.asOf) {
			s.flag(Flag{Code: FlagFutureDatedDocument, Severity: SeverityWarning,
				Message:  "document " + d.ID + " is dated after the valuation date and was not used",
				Evidence: map[string]string{"document_id": d.ID, "date": d.Date.UTC().Format(time.DateOnly)}})
			continue
		}
		s.docs = append(s.docs, d)
	}
	s.facts = s.gatherFacts()
	return s
}

// sortDocuments puts documents in a canonical order independent of the
// order they were given in.
func sortDocuments(docs []Document) {
	key := func(d Document) string {
		b, _ := json.Marshal(d)
		return string(b)
	}
	sort.SliceStable(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		switch {
		case a.ID != b.ID:
			return a.ID < b.ID
		case a.Kind != b.Kind:
			return a.Kind < b.Kind
		case a.SHA256 != b.SHA256:
			return a.SHA256 < b.SHA256
		case !a.Date.Equal(b.Date):
			return a.Date.Before(b.Date)
		case !a.Amount.Equal(b.Amount):
			return a.Amount.LessThan(b.Amount)
		}
		return key(a) < key(b)
	})
}

// currencyOK reports whether a document's amount is in the asset's
// currency (an empty currency is taken to be the asset's).
func (s *state) currencyOK(d Document) bool {
	return d.Currency == "" || strings.EqualFold(d.Currency, s.in.Currency)
}

// docsOf returns the usable documents of a kind.
func (s *state) docsOf(kind DocumentKind) []Document {
	var out []Document
	for _, d := range s.docs {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

func (s *state) hasKind(kind DocumentKind) bool { return len(s.docsOf(kind)) > 0 }

// latestAmount picks the latest-dated document of a kind with a positive
// amount in the asset's currency (ties: canonical order); it flags
// documents in another currency.
func (s *state) latestAmount(kind DocumentKind) (Document, bool) {
	var best Document
	found := false
	for _, d := range s.docsOf(kind) {
		if d.Amount.Sign() <= 0 {
			continue
		}
		if !s.currencyOK(d) {
			s.flag(Flag{Code: FlagCurrencyMismatch, Severity: SeverityInfo,
				Message:  "document " + d.ID + " is in " + d.Currency + ", not " + s.in.Currency + "; its amount was not used",
				Evidence: map[string]string{"document_id": d.ID, "currency": d.Currency}})
			continue
		}
		if !found || d.Date.After(best.Date) {
			best, found = d, true
		}
	}
	return best, found
}

func (s *state) addFSD(id string, amount float64, evidence string) {
	if amount == 0 {
		return
	}
	s.fsd = append(s.fsd, FSDTerm{ID: id, Amount: amount, Evidence: evidence})
}

func (s *state) flag(f Flag) { s.flags = append(s.flags, f) }

// setAnchor records the anchor and the method.
func (s *state) setAnchor(src AnchorSource, amount decimal.Decimal, doc *Document, method string) {
	s.anchorAmt = amount
	s.anchor = Anchor{Source: src, Amount: amount.Round(2)}
	s.prod = 1
	if doc != nil {
		s.anchor.DocumentID = doc.ID
		if !doc.Date.IsZero() {
			s.anchor.Date = doc.Date.UTC()
		}
	}
	s.method = method
	base := s.p.Uncertainty.Base[s.in.Type]
	b, ok := base[src]
	if !ok {
		b = base[AnchorDeclared]
	}
	s.addFSD("base", b, string(s.in.Type)+"/"+string(src))
}

// anchorDeclared falls back to the business's estimate.
func (s *state) anchorDeclared(method string) {
	s.setAnchor(AnchorDeclared, s.in.DeclaredValue, nil, method)
	s.flag(Flag{Code: FlagDeclaredOnly, Severity: SeverityWarning,
		Message:  "no independent evidence of value: the value is the business's estimate and lending is capped",
		Evidence: map[string]string{"declared": s.in.DeclaredValue.String()}})
	s.caps = append(s.caps, loanCap{reason: "declared_only", relative: true, fraction: s.p.Uncertainty.DeclaredOnlyLoanCap})
}

// staleAppraisal penalizes an appraisal by its age: one penalty per
// StaleAppraisalDays beyond the first, and one for an undated appraisal.
func (s *state) staleAppraisal(doc Document) {
	u := s.p.Uncertainty
	if doc.Date.IsZero() {
		s.addFSD("stale_appraisal", u.StaleAppraisal, "appraisal "+doc.ID+" is undated")
		return
	}
	days := int(s.asOf.Sub(doc.Date).Hours() / 24)
	if days <= u.StaleAppraisalDays {
		return
	}
	n := days / u.StaleAppraisalDays
	if n > 5 {
		n = 5
	}
	s.addFSD("stale_appraisal", float64(n)*u.StaleAppraisal, "appraisal "+doc.ID+" is "+itoa(days)+" days old")
	s.flag(Flag{Code: FlagStaleAppraisal, Severity: SeverityWarning,
		Message:  "the appraisal is older than " + itoa(u.StaleAppraisalDays) + " days",
		Evidence: map[string]string{"document_id": doc.ID, "days": itoa(days)}})
}

// report runs the shared checks and assembles the report.
func (s *state) report(info ModelInfo) *Report {
	s.checkConflicts()
	s.checkSerials()
	s.checkRequiredDocuments()
	s.evidenceCredits()
	value, factors := s.apply()
	fsd := s.finalFSD()
	rounded := value.Round(2)
	s.divergence(rounded, fsd)
	pv := s.premisesOf(value)
	l := s.lend(pv, fsd)
	u := s.p.Uncertainty
	if fsd > u.ReferFSD {
		s.flag(Flag{Code: FlagReferForAppraisal, Severity: SeverityWarning,
			Message:  "the value is too uncertain for automatic lending; refer to a human appraisal",
			Evidence: map[string]string{"fsd": ftoa(fsd, 4), "refer_fsd": ftoa(u.ReferFSD, 4)}})
	}
	if s.noLoan != "" {
		l.maxLoan = decimal.Zero
	}
	sortFlags(s.flags)
	conf := confidence(fsd)
	r := &Report{
		AssetID:        s.in.AssetID,
		AssetType:      s.in.Type,
		Currency:       s.in.Currency,
		Value:          rounded,
		Low:            value.Mul(decFloat(1 - fsd)).Round(2),
		High:           value.Mul(decFloat(1 + fsd)).Round(2),
		FSD:            fsd,
		FSDTerms:       s.fsd,
		Confidence:     conf,
		ConfidenceTier: tier(s.p.ConfidenceTiers, conf),
		Premises: Premises{
			FMV: pv.fmv.Round(2), OLV: pv.olv.Round(2), FLV: pv.flv.Round(2), NOLV: pv.nolv.Round(2),
		},
		LendingPremise: string(l.premise),
		Eligible:       l.eligible.Round(2),
		LendingValue:   l.value.Round(2),
		AdvanceRate:    l.advance,
		MaxLoan:        l.maxLoan.Round(2),
		RiskGrade:      riskGrade(s.p.RiskGrades, conf, s.flags),
		Method:         s.method,
		Anchor:         s.anchor,
		Factors:        factors,
		Flags:          s.flags,
		Model:          info,
		AsOf:           s.asOf,
	}
	if r.Flags == nil {
		r.Flags = []Flag{}
	}
	if r.FSDTerms == nil {
		r.FSDTerms = []FSDTerm{}
	}
	return r
}
