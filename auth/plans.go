package auth

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

// Limits returns the plan's rate limits. An unknown plan gets developer limits: a typo or a plan
// retired from the catalogue must fail towards the smallest allowance, never towards no limit.
func (p Plan) Limits() Limits {
	switch p {
	case PlanBusiness:
		return Limits{PerMinute: 300, PerDay: 50_000}
	case PlanEnterprise:
		return Limits{PerMinute: 1_000}
	default:
		return Limits{PerMinute: 60, PerDay: 5_000}
	}
}
