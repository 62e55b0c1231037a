package valuation

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Condition is the ASA condition scale, worst to best: scrap (X), poor (P),
// fair (F), good (G), very good (VG), excellent (E), new (N).
type Condition string

const (
	ConditionScrap     Condition = "scrap"
	ConditionPoor      Condition = "poor"
	ConditionFair      Condition = "fair"
	ConditionGood      Condition = "good"
	ConditionVeryGood  Condition = "very_good"
	ConditionExcellent Condition = "excellent"
	ConditionNew       Condition = "new"
)

// Conditions lists the scale worst to best.
func Conditions() []Condition {
	return []Condition{ConditionScrap, ConditionPoor, ConditionFair, ConditionGood, ConditionVeryGood, ConditionExcellent, ConditionNew}
}

// Rank is the condition's position on the scale (scrap 0 .. new 6), −1 when
// unknown.
func (c Condition) Rank() int {
	for i, x := range Conditions() {
		if x == c {
			return i
		}
	}
	return -1
}

// ParseCondition reads a condition name or its ASA letter (N, E, VG, G, F,
// P, X), case-insensitively.
func ParseCondition(s string) (Condition, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer(" ", "_", "-", "_").Replace(s)
	switch s {
	case "n", "new":
		return ConditionNew, true
	case "e", "excellent":
		return ConditionExcellent, true
	case "vg", "very_good":
		return ConditionVeryGood, true
	case "g", "good":
		return ConditionGood, true
	case "f", "fair":
		return ConditionFair, true
	case "p", "poor":
		return ConditionPoor, true
	case "x", "scrap":
		return ConditionScrap, true
	}
	return "", false
}

// multiplier is the condition's multiplier in the table.
func (c Condition) multiplier(p ConditionParams) float64 {
	switch c {
	case ConditionNew:
		return p.New
	case ConditionExcellent:
		return p.Excellent
	case ConditionVeryGood:
		return p.VeryGood
	case ConditionFair:
		return p.Fair
	case ConditionPoor:
		return p.Poor
	case ConditionScrap:
		return p.Scrap
	}
	return p.Good
}

// textMatch records where a feature came from, for the explanation.
type textMatch struct {
	Rule  string // cond.excellent, year.bare, meter.hours, royalty.rate
	Start int    // byte offsets in the text
	End   int
	Token string // the matched text
	Value string // what it maps to
}

// textFeatures are the facts read from one text.
type textFeatures struct {
	Year           int // 0 when none
	YearMatch      textMatch
	Condition      Condition // "" when none
	ConditionMatch textMatch
	Hours          float64 // 0 when none
	HoursMatch     textMatch
	Miles          float64 // 0 when none; kilometres converted
	MilesMatch     textMatch
	Royalty        float64 // a fraction; 0 when none
	RoyaltyMatch   textMatch
}

type token struct {
	text       string // lowercased
	start, end int
	clause     int // negation does not cross , ; . : ! ? or a newline
}

// conditionPhrase is one lexicon entry; empty cond means "ignore" (a phrase
// that contains a condition word but says nothing about condition).
type conditionPhrase struct {
	words []string
	cond  Condition
	rule  string
}

// lexicon is the condition vocabulary of the research (§6), longest
// phrases first.
func lexicon() []conditionPhrase {
	ph := func(s string, c Condition, rule string) conditionPhrase {
		return conditionPhrase{words: strings.Fields(s), cond: c, rule: rule}
	}
	return []conditionPhrase{
		ph("in working order", ConditionGood, "cond.good"),
		ph("never been used", ConditionNew, "cond.new"),
		ph("needs repair", ConditionPoor, "cond.poor"),
		ph("needs repairs", ConditionPoor, "cond.poor"),
		ph("need repair", ConditionPoor, "cond.poor"),
		ph("not working", ConditionScrap, "cond.scrap"),
		ph("not running", ConditionScrap, "cond.scrap"),
		ph("for parts", ConditionScrap, "cond.scrap"),
		ph("never used", ConditionNew, "cond.new"),
		ph("brand new", ConditionNew, "cond.new"),
		ph("like new", ConditionExcellent, "cond.excellent"),
		ph("very good", ConditionVeryGood, "cond.very_good"),
		ph("working order", ConditionGood, "cond.good"),
		ph("clean title", "", ""),
		ph("clean carfax", "", ""),
		ph("new", ConditionNew, "cond.new"),
		ph("unused", ConditionNew, "cond.new"),
		ph("excellent", ConditionExcellent, "cond.excellent"),
		ph("mint", ConditionExcellent, "cond.excellent"),
		ph("good", ConditionGood, "cond.good"),
		ph("clean", ConditionGood, "cond.good"),
		ph("fair", ConditionFair, "cond.fair"),
		ph("worn", ConditionFair, "cond.fair"),
		ph("poor", ConditionPoor, "cond.poor"),
		ph("damaged", ConditionPoor, "cond.poor"),
		ph("scrap", ConditionScrap, "cond.scrap"),
		ph("junk", ConditionScrap, "cond.scrap"),
		ph("broken", ConditionScrap, "cond.scrap"),
	}
}

func isNegator(w string) bool {
	switch w {
	case "not", "no", "never", "needs", "need", "lacks", "lack", "lacking", "without",
		"isn", "isnt", "wasn", "wasnt", "doesn", "doesnt", "don", "dont", "nor":
		return true
	}
	return false
}

func isRefurbished(w string) bool {
	switch w {
	case "refurbished", "rebuilt", "remanufactured", "reconditioned", "overhauled":
		return true
	}
	return false
}

func tokenize(s string) []token {
	var toks []token
	clause := 0
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if word && start < 0 {
			start = i
		}
		if !word {
			if start >= 0 {
				toks = append(toks, token{text: strings.ToLower(s[start:i]), start: start, end: i, clause: clause})
				start = -1
			}
			switch r {
			case ',', ';', '.', ':', '!', '?', '\n', '(', ')':
				clause++
			}
		}
	}
	if start >= 0 {
		toks = append(toks, token{text: strings.ToLower(s[start:]), start: start, end: len(s), clause: clause})
	}
	return toks
}

var (
	// Patterns are compiled once; regexp values are safe for concurrent use
	// and never modified.
	yearBareRE    = regexp.MustCompile(`\b(19\d{2}|20\d{2})\b`)
	yearKeywordRE = regexp.MustCompile(`(?i)\b(?:model year|year of manufacture|year|yr|manufactured|manufacture|mfg|built|made)\b[^0-9\n]{0,16}\b(19\d{2}|20\d{2})\b`)
	meterRE       = regexp.MustCompile(`(?i)\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(hours|hour|hrs|hr|miles|mile|mi|kilometers|kilometres|kms|km)\b`)
	royaltyRE     = regexp.MustCompile(`(?i)royalt(?:y|ies)[^0-9%\n]{0,30}?(\d{1,2}(?:\.\d{1,4})?)\s*%`)
)

// extract reads year, condition, meter readings and a royalty rate from
// free text. Years are kept within [1900, maxYear]; with strictYear only
// years next to a keyword (year, built, manufactured...) count, because
// documents are full of dates. Where a feature occurs more than once the
// conservative reading wins (earliest year, worst condition, highest
// meter, lowest royalty), so word order does not matter.
func extract(text string, maxYear int, strictYear bool) textFeatures {
	var f textFeatures
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	re, rule := yearBareRE, "year.bare"
	if strictYear {
		re, rule = yearKeywordRE, "year.keyword"
	}
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		y, err := strconv.Atoi(text[s:e])
		if err != nil || y < 1900 || y > maxYear {
			continue
		}
		if f.Year == 0 || y < f.Year {
			f.Year = y
			f.YearMatch = textMatch{Rule: rule, Start: s, End: e, Token: text[s:e], Value: strconv.Itoa(y)}
		}
	}
	for _, m := range meterRE.FindAllStringSubmatchIndex(text, -1) {
		num := strings.ReplaceAll(text[m[2]:m[3]], ",", "")
		n, err := strconv.ParseFloat(num, 64)
		if err != nil || n <= 0 || n > 1e8 {
			continue
		}
		unit := strings.ToLower(text[m[4]:m[5]])
		tm := textMatch{Start: m[0], End: m[1], Token: text[m[0]:m[1]]}
		switch {
		case strings.HasPrefix(unit, "h"):
			if n > f.Hours {
				tm.Rule, tm.Value = "meter.hours", strconv.FormatFloat(n, 'f', -1, 64)
				f.Hours, f.HoursMatch = n, tm
			}
		default:
			if strings.HasPrefix(unit, "k") {
				n *= 0.621371
			}
			if n > f.Miles {
				tm.Rule, tm.Value = "meter.miles", strconv.FormatFloat(n, 'f', 0, 64)
				f.Miles, f.MilesMatch = n, tm
			}
		}
	}
	for _, m := range royaltyRE.FindAllStringSubmatchIndex(text, -1) {
		r, err := strconv.ParseFloat(text[m[2]:m[3]], 64)
		if err != nil || r <= 0 || r > 50 {
			continue
		}
		r /= 100
		if f.Royalty == 0 || r < f.Royalty {
			f.Royalty = r
			f.RoyaltyMatch = textMatch{Rule: "royalty.rate", Start: m[0], End: m[1], Token: text[m[0]:m[1]], Value: strconv.FormatFloat(r, 'f', -1, 64)}
		}
	}
	f.Condition, f.ConditionMatch = extractCondition(text, tokenize(text))
	return f
}

// extractCondition maps lexicon phrases to the condition scale, skipping
// a phrase with a negator among the three tokens before it in the same
// clause; "refurbished" lifts the result to at least good.
func extractCondition(text string, toks []token) (Condition, textMatch) {
	lex := lexicon()
	var best Condition
	var bestMatch textMatch
	var refurb *textMatch
	for i := 0; i < len(toks); {
		var hit *conditionPhrase
		for k := range lex {
			ph := &lex[k]
			if i+len(ph.words) > len(toks) {
				continue
			}
			ok := true
			for j, w := range ph.words {
				if toks[i+j].text != w {
					ok = false
					break
				}
			}
			if ok {
				hit = ph
				break
			}
		}
		if hit == nil {
			if isRefurbished(toks[i].text) && !negated(toks, i) && refurb == nil {
				refurb = &textMatch{Rule: "cond.refurbished", Start: toks[i].start, End: toks[i].end, Token: text[toks[i].start:toks[i].end], Value: string(ConditionGood)}
			}
			i++
			continue
		}
		n := len(hit.words)
		if hit.cond != "" && !negated(toks, i) {
			if best == "" || hit.cond.Rank() < best.Rank() {
				best = hit.cond
				s, e := toks[i].start, toks[i+n-1].end
				bestMatch = textMatch{Rule: hit.rule, Start: s, End: e, Token: text[s:e], Value: string(hit.cond)}
			}
		}
		i += n
	}
	if refurb != nil && (best == "" || best.Rank() < ConditionGood.Rank()) {
		return ConditionGood, *refurb
	}
	return best, bestMatch
}

func negated(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if toks[j].clause != toks[i].clause {
			return false
		}
		if isNegator(toks[j].text) {
			return true
		}
	}
	return false
}
