package auth

import (
	"fmt"
	"strconv"
	"strings"
)

// Plan is a business's subscription tier; it decides the rate limits of the business's API clients.
type Plan string

// The plans the platform sells. The REST API accepts exactly these spellings.
const (
	PlanDeveloper  Plan = "developer"
	PlanBusiness   Plan = "business"
	PlanEnterprise Plan = "enterprise"
)

// Valid reports whether p is one of the plans the platform sells, so input can be rejected at the edge
// instead of silently falling back to developer limits.
func (p Plan) Valid() bool {
	switch p {
	case PlanDeveloper, PlanBusiness, PlanEnterprise:
		return true
	}
	return false
}

// Limits are the rate limits of one API client.
type Limits struct {
	PerMinute int // requests per minute; a client may burst all of it at once
	PerDay    int // per UTC calendar day; 0 means no daily cap
}

// Limits returns the plan's default rate limits (DefaultPlanLimits).
func (p Plan) Limits() Limits { return DefaultPlanLimits().Of(p) }

// PlanLimits is a table of each plan's rate limits.
type PlanLimits map[Plan]Limits

// DefaultPlanLimits returns the catalogue's limits: developer 60 a minute and 5,000 a day, business
// 300 a minute and 50,000 a day, enterprise 1,000 a minute and no daily cap.
func DefaultPlanLimits() PlanLimits {
	return PlanLimits{
		PlanDeveloper:  {PerMinute: 60, PerDay: 5_000},
		PlanBusiness:   {PerMinute: 300, PerDay: 50_000},
		PlanEnterprise: {PerMinute: 1_000},
	}
}

// Of returns p's limits. A plan the table lacks, or an unknown plan, gets the table's developer limits
// (else the default developer limits): a typo or a plan retired from the catalogue must fail towards the
// smallest allowance, never towards no limit.
func (t PlanLimits) Of(p Plan) Limits {
	if l, ok := t[p]; ok {
		return l
	}
	if l, ok := t[PlanDeveloper]; ok {
		return l
	}
	return Limits{PerMinute: 60, PerDay: 5_000}
}

// Merge returns the defaults with t's entries in their place, after checking each: the plan must be
// one of the catalogue's and its limits must Validate.
func (t PlanLimits) Merge() (PlanLimits, error) {
	out := DefaultPlanLimits()
	for p, l := range t {
		if !p.Valid() {
			return nil, fmt.Errorf("auth: plan %q is not one of developer, business, enterprise", p)
		}
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("auth: plan %s: %w", p, err)
		}
		out[p] = l
	}
	return out, nil
}

// ParsePlanLimits reads a plan table written as
//
//	developer=60/min,5000/day;business=300/min,50000/day;enterprise=1000/min
//
// Each entry sets one plan's limits: a number of requests a minute, and optionally a number a day
// (without one, the plan has no daily cap). Plans left out keep their defaults. Spaces around the
// parts are allowed; anything else is an error that says what is wrong.
func ParsePlanLimits(s string) (PlanLimits, error) {
	t := PlanLimits{}
	for _, entry := range strings.Split(s, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		name, spec, ok := strings.Cut(entry, "=")
		p := Plan(strings.TrimSpace(name))
		if !ok || !p.Valid() {
			return nil, fmt.Errorf("%q: want plan=N/min[,M/day] with plan one of developer, business, enterprise", entry)
		}
		if _, dup := t[p]; dup {
			return nil, fmt.Errorf("plan %s is given twice", p)
		}
		var l Limits
		for i, part := range strings.Split(spec, ",") {
			num, unit, ok := strings.Cut(strings.TrimSpace(part), "/")
			n, err := strconv.Atoi(strings.TrimSpace(num))
			unit = strings.TrimSpace(unit)
			switch {
			case !ok || err != nil || n <= 0:
				return nil, fmt.Errorf("%q: %q is not a positive number per min or per day", entry, part)
			case i == 0 && unit == "min":
				l.PerMinute = n
			case i == 1 && unit == "day":
				l.PerDay = n
			default:
				return nil, fmt.Errorf("%q: want N/min first, then optionally M/day", entry)
			}
		}
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("%q: %w", entry, err)
		}
		t[p] = l
	}
	return t.Merge()
}
