package assetmint

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/lending"
)

// Id prefixes of lending.
const (
	PrefixLoan      = "loan_"
	PrefixRepayment = "pay_"
)

// LoanStatus is where a loan is: submitted -> approved | rejected |
// referred (an operator approves or rejects) -> funded -> repaid |
// defaulted.
type LoanStatus string

const (
	LoanSubmitted LoanStatus = "submitted"
	LoanApproved  LoanStatus = "approved"
	LoanReferred  LoanStatus = "referred"
	LoanRejected  LoanStatus = "rejected"
	LoanFunded    LoanStatus = "funded"
	LoanRepaid    LoanStatus = "repaid"
	LoanDefaulted LoanStatus = "defaulted"
)

// LoanStatuses lists every LoanStatus.
var LoanStatuses = []LoanStatus{LoanSubmitted, LoanApproved, LoanReferred, LoanRejected, LoanFunded, LoanRepaid, LoanDefaulted}

// Valid reports whether s is one of LoanStatuses.
func (s LoanStatus) Valid() bool {
	for _, v := range LoanStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// InFlight reports whether a loan in status s holds its asset: from the
// request until it is repaid, rejected or defaulted, no other loan may be
// requested against the asset.
func (s LoanStatus) InFlight() bool {
	return s == LoanSubmitted || s == LoanApproved || s == LoanReferred || s == LoanFunded
}

// Loan is a loan against a tokenized asset.
type Loan struct {
	ID         string
	BusinessID string
	AssetID    string
	TokenID    string
	// ValuationID is the valuation the loan was underwritten against.
	ValuationID  string
	Amount       decimal.Decimal
	Currency     string
	TermMonths   int
	Amortization lending.Method
	DayCount     lending.DayCount
	// Balloon is the final lump of a balloon loan; zero otherwise.
	Balloon decimal.Decimal
	Purpose string
	Status  LoanStatus
	// AnnualRate is the rate offered by underwriting or set by the
	// operator who approved; zero until then.
	AnnualRate decimal.Decimal
	// MaxAmount is what underwriting would lend against the valuation.
	MaxAmount decimal.Decimal
	// LTV is Amount over the valuation's value, four decimals.
	LTV decimal.Decimal
	// Reasons are underwriting's reason codes (lending.Reason...) for a
	// rejection or referral.
	Reasons []string
	// DecidedBy is "policy" or "operator" once the loan is approved or
	// rejected.
	DecidedBy string
	// RejectionReason is an operator's reason for rejecting.
	RejectionReason string
	// UnderwrittenAt is when the underwriting policy decided (approved,
	// rejected or referred); zero before, and for a loan an operator
	// rejected before underwriting ran. MaxAmount is set from then on.
	UnderwrittenAt time.Time
	// FundingRequestedAt is when funding was asked for (automatically or by
	// an operator); the token is locked on chain before FundedAt is set.
	FundingRequestedAt time.Time
	FundedAt           time.Time
	// Schedule is fixed at funding from the funding date; nil before.
	Schedule *lending.Schedule
	// LenderAddress receives the token if the loan defaults; fixed at
	// funding.
	LenderAddress string
	// OutstandingPrincipal and DaysPastDue are kept current by repayments
	// and the daily servicing sweep, for lists and queries; a single loan's
	// read recomputes them as of its read.
	OutstandingPrincipal decimal.Decimal
	DaysPastDue          int
	// ClosedAt is when the loan was repaid or defaulted.
	ClosedAt  time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Repayment is money received on a funded loan, recorded by an operator
// from the payment rails, with how it was allocated when recorded.
type Repayment struct {
	ID         string
	BusinessID string
	LoanID     string
	// Reference is the caller's idempotency key (the HTTP Idempotency-Key):
	// a repayment with a reference already recorded on the loan is the same
	// repayment.
	Reference  string
	Amount     decimal.Decimal
	ReceivedAt time.Time
	// The allocation: Fees + Interest + Principal + Excess = Amount.
	// Principal includes Prepaid, the part paid ahead of the schedule;
	// Excess is what was left after the loan was paid off.
	Fees      decimal.Decimal
	Interest  decimal.Decimal
	Principal decimal.Decimal
	Prepaid   decimal.Decimal
	Excess    decimal.Decimal
	CreatedAt time.Time
}

// LoanFilter narrows a list of loans; the zero value lists all.
type LoanFilter struct {
	Status LoanStatus
}

// LoanStore keeps loans and their repayments.
type LoanStore interface {
	// CreateLoan inserts l. ECONFLICT if the id exists or the asset has
	// another loan in flight (LoanStatus.InFlight); ENOTFOUND if the asset
	// is not the business's.
	CreateLoan(ctx context.Context, l *Loan) error
	// Loan reads one of the business's loans. ENOTFOUND if absent or
	// another business's.
	Loan(ctx context.Context, businessID, id string) (*Loan, error)
	// LoanByID reads a loan whatever its business, for operator actions
	// and platform jobs only. ENOTFOUND if absent.
	LoanByID(ctx context.Context, id string) (*Loan, error)
	// Loans lists the business's loans, newest first.
	Loans(ctx context.Context, businessID string, f LoanFilter, p ListParams) (Page[*Loan], error)
	// AllLoans lists every business's loans, newest first: for platform
	// work such as the servicing sweep, never for a business.
	AllLoans(ctx context.Context, f LoanFilter, p ListParams) (Page[*Loan], error)
	// AssetLoanInFlight reads the asset's loan in flight. ENOTFOUND if
	// there is none.
	AssetLoanInFlight(ctx context.Context, businessID, assetID string) (*Loan, error)
	// UpdateLoan writes every mutable field of l (scoped by l.BusinessID):
	// all but the id, business, asset, token, valuation, requested terms
	// and creation time. ENOTFOUND if absent; ECONFLICT if l would be in
	// flight beside another loan of its asset.
	UpdateLoan(ctx context.Context, l *Loan) error
	// CreateRepayment inserts r. ECONFLICT if the id exists or the loan
	// has a repayment with the same non-empty Reference; ENOTFOUND if the
	// loan is not the business's.
	CreateRepayment(ctx context.Context, r *Repayment) error
	// Repayments lists the loan's repayments, oldest first (by ReceivedAt,
	// then id). Empty if the loan is absent or another business's.
	Repayments(ctx context.Context, businessID, loanID string) ([]*Repayment, error)
	// RepaymentByReference reads the loan's repayment with that reference.
	// ENOTFOUND if none.
	RepaymentByReference(ctx context.Context, businessID, loanID, reference string) (*Repayment, error)
}
