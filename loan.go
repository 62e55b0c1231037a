package assetmint

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/lending"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/shopspring/decimal"
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

// LoanStatuses returns every LoanStatus, in lifecycle order.
func LoanStatuses() []LoanStatus {
	return []LoanStatus{LoanSubmitted, LoanApproved, LoanReferred, LoanRejected, LoanFunded, LoanRepaid, LoanDefaulted}
}

// Valid reports whether s is one of the loan statuses above.
func (s LoanStatus) Valid() bool {
	switch s {
	case LoanSubmitted, LoanApproved, LoanReferred, LoanRejected, LoanFunded, LoanRepaid, LoanDefaulted:
		return true
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

// LoanFilter narrows a list of loans; the zero value lists all.
type LoanFilter struct {
	Status LoanStatus
}

func (f LoanFilter) validate() error {
	if f.Status != "" && !f.Status.Valid() {
		return FieldError("status", "status must be one of submitted, approved, referred, rejected, funded, repaid, defaulted")
	}
	return nil
}

// NewLoan is the input of RequestLoan. The collateral is named by AssetID
// or TokenID (or both, if they agree).
type NewLoan struct {
	AssetID    string
	TokenID    string
	Amount     decimal.Decimal
	TermMonths int
	// Amortization defaults to annuity; DayCount to 30/360.
	Amortization lending.Method
	DayCount     lending.DayCount
	// Balloon is the final lump, required for (and only for) the balloon
	// method.
	Balloon decimal.Decimal
	Purpose string
}

const maxPurposeLen = 500

func (in NewLoan) validate() (NewLoan, error) {
	if in.AssetID == "" && in.TokenID == "" {
		return in, FieldError("asset_id", "asset_id or token_id is required")
	}
	if err := ValidateMoney("amount", in.Amount); err != nil {
		return in, err
	}
	if in.TermMonths < 1 || in.TermMonths > lending.MaxMonths {
		if in.TermMonths == 0 {
			return in, FieldError("term_months", "term_months is required: a whole number of months between 1 and %d", lending.MaxMonths)
		}
		return in, FieldError("term_months", "term_months must be between 1 and %d", lending.MaxMonths)
	}
	if in.Amortization == "" {
		in.Amortization = lending.Annuity
	}
	switch in.Amortization {
	case lending.Annuity, lending.EqualPrincipal, lending.InterestOnly, lending.Balloon:
	default:
		return in, FieldError("amortization", "amortization must be one of annuity, equal_principal, interest_only, balloon")
	}
	if in.DayCount == "" {
		in.DayCount = lending.Thirty360
	}
	switch in.DayCount {
	case lending.Thirty360, lending.Act365F, lending.Act360, lending.ActAct:
	default:
		return in, FieldError("day_count", "day_count must be one of 30/360, ACT/365F, ACT/360, ACT/ACT")
	}
	if in.Amortization == lending.Balloon {
		if in.Balloon.IsZero() {
			return in, FieldError("balloon_amount", "balloon_amount is required for the balloon amortization")
		}
		if err := ValidateMoney("balloon_amount", in.Balloon); err != nil {
			return in, err
		}
		if !in.Balloon.LessThan(in.Amount) {
			return in, FieldError("balloon_amount", "balloon_amount must be less than amount")
		}
	} else if !in.Balloon.IsZero() {
		return in, FieldError("balloon_amount", "balloon_amount is only for the balloon amortization")
	}
	if err := validateText("purpose", "purpose", in.Purpose, true); err != nil {
		return in, err
	}
	in.Purpose = strings.TrimSpace(in.Purpose)
	if len(in.Purpose) > maxPurposeLen {
		return in, FieldError("purpose", "purpose must be at most %d bytes", maxPurposeLen)
	}
	return in, nil
}

// LoanDetails is a loan with its repayments and, once funded, its position.
type LoanDetails struct {
	*Loan
	Repayments []*Repayment
	// Position is the loan's servicing position as of now (as of the
	// default for a defaulted loan); nil before funding.
	Position *lending.Position
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
	// Loans lists the business's loans, newest first, only those in
	// f.Status when it is set. ErrCursorNotFound (ENOTFOUND) if p's cursor
	// is not one of the business's loans (in f.Status or not).
	Loans(ctx context.Context, businessID string, f LoanFilter, p ListParams) (Page[*Loan], error)
	// AssetLoanInFlight reads the asset's loan in flight. ENOTFOUND if
	// there is none.
	AssetLoanInFlight(ctx context.Context, businessID, assetID string) (*Loan, error)
	// UpdateLoan writes every mutable field of l (scoped by l.BusinessID):
	// all but the id, business, asset, token, valuation, requested terms
	// and creation time. ENOTFOUND if absent; ECONFLICT if l would be in
	// flight beside another loan of its asset.
	UpdateLoan(ctx context.Context, l *Loan) error
}

// LoanBookStore reads the lender's book: the loans of every business, for
// operator actions and platform jobs (the servicing sweep), never for a
// business.
type LoanBookStore interface {
	// LoanByID reads a loan whatever its business. ENOTFOUND if absent.
	LoanByID(ctx context.Context, id string) (*Loan, error)
	// AllLoans lists every business's loans, newest first, only those in
	// f.Status when it is set. ErrCursorNotFound (ENOTFOUND) if p's cursor
	// is no loan.
	AllLoans(ctx context.Context, f LoanFilter, p ListParams) (Page[*Loan], error)
	// LoanTallies counts every business's loans by status, days past due
	// and currency: one LoanTally per combination that has loans, in no
	// particular order, with the exact sum of their OutstandingPrincipal.
	// EINTERNAL on failure.
	LoanTallies(ctx context.Context) ([]LoanTally, error)
}

// LoanTally is how many loans have one status, one DaysPastDue and one
// currency, and the principal they have outstanding.
type LoanTally struct {
	Status               LoanStatus
	DaysPastDue          int
	Currency             string
	Count                int
	OutstandingPrincipal decimal.Decimal
}

// Job kinds of loans. The collateral jobs (here JobFundLoan; in
// repayment.go JobReleaseCollateral and JobSeizeCollateral) run in the
// chain signer's lane, like minting, so one signer's transactions go out one
// at a time and in order. Each reads the token's state on chain before
// sending, so a job re-run after a crash between sending and recording sends
// nothing twice.
const (
	// JobUnderwrite decides a submitted loan.
	JobUnderwrite = "loan.underwrite"
	// JobFundLoan locks the token of an approved loan, then funds the loan.
	JobFundLoan = "loan.fund"
)

// ReasonManualApproval refers a loan underwriting would approve when
// LendingConfig.ManualApproval is set.
const ReasonManualApproval = "manual_approval"

func (e *Engine) setupLending() error {
	lc := &e.cfg.Lending
	if lc.Servicing == nil {
		lc.Servicing = &lending.ServicingPolicy{Late: lending.DefaultLatePolicy()}
	}
	if _, err := lc.Servicing.Late.Charges(decimal.Zero, time.Time{}, time.Time{}); err != nil {
		return fmt.Errorf("assetmint: LendingConfig.Servicing.Late: %w", err)
	}
	if _, err := lending.Allocate(decimal.Zero, lending.Due{}, lc.Servicing.Order); err != nil {
		return fmt.Errorf("assetmint: LendingConfig.Servicing.Order: %w", err)
	}
	if lc.LenderAddress == "" && e.cfg.Chain.Chain != nil {
		lc.LenderAddress = e.cfg.Chain.Chain.Signer()
	}
	if lc.LenderAddress != "" {
		var err error
		if lc.LenderAddress, err = NormalizeAddress("lender_address", lc.LenderAddress); err != nil {
			return fmt.Errorf("assetmint: LendingConfig.LenderAddress: %w", err)
		}
	}
	e.worker.Handle(JobUnderwrite, e.underwrite)
	e.worker.Handle(JobServiceLoans, e.serviceLoansJob)
	e.worker.Every(jobs.Periodic{Kind: JobServiceLoans, Every: 24 * time.Hour})
	if e.cfg.Chain.Chain != nil {
		e.worker.Handle(JobFundLoan, e.fund)
		e.worker.Handle(JobReleaseCollateral, e.release)
		e.worker.Handle(JobSeizeCollateral, e.seize)
	}
	return nil
}

// RequestLoan records a loan request against a tokenized asset, status
// submitted, emits loan.submitted and enqueues underwriting. The request is
// refused at once when the asset is not tokenized, is pledged, or has
// another loan in flight: of two requests racing on one asset, exactly one
// is recorded.
// Errors: EINVALID naming the field, ENOTFOUND for an asset or token that
// is not the business's (param asset_id or token_id), ECONFLICT.
func (e *Engine) RequestLoan(ctx context.Context, businessID string, in NewLoan) (*Loan, error) {
	in, err := in.validate()
	if err != nil {
		return nil, err
	}
	if e.cfg.Chain.Chain == nil {
		return nil, Errorf(ECONFLICT, "lending needs a chain to lock collateral on; none is configured")
	}
	id, err := e.newID(PrefixLoan)
	if err != nil {
		return nil, err
	}
	l, err := commit(e, ctx, func(tx Tx) (*Loan, error) {
		a, t, err := collateral(ctx, tx, businessID, in)
		if err != nil {
			return nil, err
		}
		if prior, err := tx.AssetLoanInFlight(ctx, businessID, a.ID); err == nil {
			return nil, Errorf(ECONFLICT, "asset %s already has loan %s, which is %s", a.ID, prior.ID, prior.Status)
		} else if ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
		switch {
		case a.Status == AssetPledged:
			return nil, Errorf(ECONFLICT, "asset %s is pledged", a.ID)
		case a.Status != AssetTokenized || t.Status != TokenMinted:
			return nil, Errorf(ECONFLICT, "asset %s is %s; a loan needs a tokenized asset", a.ID, a.Status)
		}
		v, err := tx.LatestValuation(ctx, businessID, a.ID)
		if err != nil {
			return nil, err
		}
		now := e.now()
		l := &Loan{
			ID: id, BusinessID: businessID, AssetID: a.ID, TokenID: t.ID, ValuationID: v.ID,
			Amount: in.Amount, Currency: a.Currency, TermMonths: in.TermMonths, Amortization: in.Amortization,
			DayCount: in.DayCount, Balloon: in.Balloon, Purpose: in.Purpose, Status: LoanSubmitted,
			LTV: ltv(in.Amount, v.Report.Value), Reasons: []string{}, OutstandingPrincipal: decimal.Zero,
			CreatedAt: now, UpdatedAt: now,
		}
		if err := tx.CreateLoan(ctx, l); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return nil, Errorf(ECONFLICT, "asset %s already has a loan in flight", a.ID)
			}
			return nil, err
		}
		payload, _ := json.Marshal(loanJob{BusinessID: businessID, LoanID: l.ID})
		if _, err := tx.EnqueueJob(ctx, jobs.New{Kind: JobUnderwrite, Lane: "asset:" + a.ID,
			UniqueKey: "underwrite:" + l.ID, Payload: payload}, now); err != nil {
			return nil, err
		}
		return l, e.emitLoan(ctx, tx, l, &LoanSubmittedEventData{
			TermMonths: l.TermMonths, Amortization: l.Amortization, DayCount: l.DayCount, LTV: Number(l.LTV),
		})
	})
	if err != nil {
		return nil, internal(err, "request loan")
	}
	return l, nil
}

// collateral finds the asset and token a loan request names.
func collateral(ctx context.Context, tx Tx, businessID string, in NewLoan) (*Asset, *Token, error) {
	if in.TokenID != "" {
		t, err := tx.Token(ctx, businessID, in.TokenID)
		if ErrorCode(err) == ENOTFOUND {
			return nil, nil, &Error{Code: ENOTFOUND, Param: "token_id", Message: fmt.Sprintf("token %s not found", in.TokenID)}
		}
		if err != nil {
			return nil, nil, err
		}
		if in.AssetID != "" && in.AssetID != t.AssetID {
			return nil, nil, FieldError("token_id", "token %s is not the token of asset %s", t.ID, in.AssetID)
		}
		a, err := tx.Asset(ctx, businessID, t.AssetID)
		return a, t, err
	}
	a, err := tx.Asset(ctx, businessID, in.AssetID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, &Error{Code: ENOTFOUND, Param: "asset_id", Message: fmt.Sprintf("asset %s not found", in.AssetID)}
	}
	if err != nil {
		return nil, nil, err
	}
	t, err := tx.AssetToken(ctx, businessID, a.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, Errorf(ECONFLICT, "asset %s is %s; a loan needs a tokenized asset", a.ID, a.Status)
	}
	return a, t, err
}

// ltv is amount over value to four decimals; zero without a value.
func ltv(amount, value decimal.Decimal) decimal.Decimal {
	if !value.IsPositive() {
		return decimal.Zero
	}
	return amount.DivRound(value, 4)
}

// loanEventData is the data of a loan event, whose LoanEventFields
// emitLoan fills in.
type loanEventData interface {
	EventData
	setLoan(LoanEventFields)
}

func (f *LoanEventFields) setLoan(v LoanEventFields) { *f = v }

// emitLoan emits a loan event inside tx: data, its own figures set, with
// the loan, its asset and its token (id and contract address), its status,
// amount and currency.
func (e *Engine) emitLoan(ctx context.Context, tx Tx, l *Loan, data loanEventData) error {
	t, err := tx.Token(ctx, l.BusinessID, l.TokenID)
	if err != nil {
		return err
	}
	data.setLoan(LoanEventFields{LoanID: l.ID, AssetID: l.AssetID, TokenID: l.TokenID, TokenAddress: t.Contract,
		Status: l.Status, Amount: Amount(l.Amount), Currency: l.Currency})
	return e.emit(ctx, tx, l.BusinessID, data)
}

type loanJob struct {
	BusinessID string `json:"business_id"`
	LoanID     string `json:"loan_id"`
	chainTries
}

func parseLoanJob(j *jobs.Job) (loanJob, error) {
	var p loanJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return p, fmt.Errorf("%s payload: %v: %w", j.Kind, err, jobs.ErrPermanent)
	}
	return p, nil
}

// underwrite is the underwriting job: the policy decides a submitted loan
// from the valuation it was requested against. It is idempotent: a loan no
// longer submitted is left alone.
func (e *Engine) underwrite(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	return e.store.InTx(ctx, func(tx Tx) error {
		l, err := tx.Loan(ctx, p.BusinessID, p.LoanID)
		if err != nil || l.Status != LoanSubmitted {
			return err
		}
		a, err := tx.Asset(ctx, l.BusinessID, l.AssetID)
		if err != nil {
			return err
		}
		v, err := tx.Valuation(ctx, l.BusinessID, l.ValuationID)
		if err != nil {
			return err
		}
		r := v.Report
		d, err := e.cfg.Lending.Policy.Decide(lending.Application{
			AssetType: string(a.Type), LendingValue: r.LendingValue, MaxLoan: r.MaxLoan, Confidence: r.Confidence,
			RiskGrade: r.RiskGrade, Amount: l.Amount, Months: l.TermMonths,
		})
		if err != nil {
			return fmt.Errorf("underwrite loan %s: %v: %w", l.ID, err, jobs.ErrPermanent)
		}
		if d.Outcome == lending.Approved && e.cfg.Lending.ManualApproval {
			d.Outcome, d.Reasons = lending.Referred, []string{ReasonManualApproval}
		}
		l.AnnualRate, l.MaxAmount, l.Reasons, l.UpdatedAt = d.AnnualRate, d.MaxAmount, d.Reasons, e.now()
		l.UnderwrittenAt = l.UpdatedAt
		terms := l.decision()
		switch d.Outcome {
		case lending.Approved:
			l.Status, l.DecidedBy = LoanApproved, "policy"
			return e.approved(ctx, tx, l)
		case lending.Rejected:
			l.Status, l.DecidedBy = LoanRejected, "policy"
			l.ClosedAt = l.UpdatedAt
			if err := tx.UpdateLoan(ctx, l); err != nil {
				return err
			}
			return e.emitLoan(ctx, tx, l, &LoanRejectedEventData{DecidedBy: "policy",
				AnnualRate: &terms.AnnualRate, MaxAmount: &terms.MaxAmount, Reasons: terms.Reasons})
		default:
			l.Status = LoanReferred
			if err := tx.UpdateLoan(ctx, l); err != nil {
				return err
			}
			return e.emitLoan(ctx, tx, l, &LoanReferredEventData{LoanDecisionFields: terms})
		}
	})
}

// decision is what an underwriting or approval event says of the terms
// offered: the rate, the most that may be lent, and the reasons.
func (l *Loan) decision() LoanDecisionFields {
	return LoanDecisionFields{AnnualRate: Number(l.AnnualRate), MaxAmount: Amount(l.MaxAmount), Reasons: l.Reasons}
}

// approved writes an approved loan, emits loan.approved and, under
// AutoFund, asks for funding in the same transaction.
func (e *Engine) approved(ctx context.Context, tx Tx, l *Loan) error {
	if e.cfg.Lending.AutoFund {
		if err := e.requestFunding(ctx, tx, l); err != nil {
			return err
		}
	}
	if err := tx.UpdateLoan(ctx, l); err != nil {
		return err
	}
	return e.emitLoan(ctx, tx, l, &LoanApprovedEventData{LoanDecisionFields: l.decision(), DecidedBy: l.DecidedBy})
}

// maxRate bounds an operator's rate: a fraction, so 1 is 100 % a year.
var maxRate = decimal.NewFromInt(1)

// ApproveLoan is an operator's approval of a referred loan, at rate if
// given, else at the rate underwriting offered. Approving an approved loan
// again with no rate, or the same one, changes nothing.
// Errors: EINVALID (annual_rate), ENOTFOUND, ECONFLICT for a loan in
// another status.
func (o *Operator) ApproveLoan(ctx context.Context, loanID string, rate *decimal.Decimal) (*LoanDetails, error) {
	e := o.e
	if rate != nil && (rate.IsNegative() || rate.GreaterThan(maxRate) || !rate.Equal(rate.Truncate(6))) {
		return nil, FieldError("annual_rate", "annual_rate must be a fraction between 0 and 1 with at most 6 decimals (0.12 is 12 %%)")
	}
	return e.operateLoan(ctx, loanID, "approve loan", func(tx Tx, l *Loan) error {
		switch {
		case l.Status == LoanApproved && (rate == nil || rate.Equal(l.AnnualRate)):
			return nil
		case l.Status != LoanReferred:
			return Errorf(ECONFLICT, "loan %s is %s; only a referred loan can be approved", l.ID, l.Status)
		}
		if rate != nil {
			l.AnnualRate = *rate
		}
		l.Status, l.DecidedBy, l.UpdatedAt = LoanApproved, "operator", e.now()
		return e.approved(ctx, tx, l)
	})
}

// operateLoan runs an operator's action fn on a loan of any business in
// one transaction and returns the loan as fn left it, in detail.
func (e *Engine) operateLoan(ctx context.Context, loanID, what string, fn func(tx Tx, l *Loan) error) (*LoanDetails, error) {
	d, err := commit(e, ctx, func(tx Tx) (*LoanDetails, error) {
		l, err := tx.LoanByID(ctx, loanID)
		if err != nil {
			return nil, err
		}
		if err := fn(tx, l); err != nil {
			return nil, err
		}
		reps, err := tx.Repayments(ctx, l.BusinessID, l.ID)
		if err != nil {
			return nil, err
		}
		return e.details(l, reps)
	})
	if err != nil {
		return nil, internal(err, what)
	}
	return d, nil
}

// RejectLoan is an operator's rejection of a loan not yet funded (nor
// being funded). Errors: EINVALID without a reason, ENOTFOUND, ECONFLICT.
func (o *Operator) RejectLoan(ctx context.Context, loanID, reason string) (*LoanDetails, error) {
	e := o.e
	reason, err := validateReason(reason)
	if err != nil {
		return nil, err
	}
	return e.operateLoan(ctx, loanID, "reject loan", func(tx Tx, l *Loan) error {
		switch l.Status {
		case LoanSubmitted, LoanReferred, LoanApproved:
		default:
			return Errorf(ECONFLICT, "loan %s is %s and cannot be rejected", l.ID, l.Status)
		}
		if !l.FundingRequestedAt.IsZero() {
			return Errorf(ECONFLICT, "loan %s is being funded and cannot be rejected", l.ID)
		}
		l.Status, l.DecidedBy, l.RejectionReason = LoanRejected, "operator", reason
		l.UpdatedAt = e.now()
		l.ClosedAt = l.UpdatedAt
		if err := tx.UpdateLoan(ctx, l); err != nil {
			return err
		}
		return e.emitLoan(ctx, tx, l, &LoanRejectedEventData{Reason: reason, DecidedBy: "operator"})
	})
}

// FundLoan asks for an approved loan to be funded: the token is locked on
// chain, then the loan is funded with its schedule counted from that
// moment (loan.funded). It returns at once with the loan still approved and
// FundingRequestedAt set; asking again, or for a funded loan, changes
// nothing. Errors: ENOTFOUND, ECONFLICT for a loan in another status.
func (o *Operator) FundLoan(ctx context.Context, loanID string) (*LoanDetails, error) {
	e := o.e
	return e.operateLoan(ctx, loanID, "fund loan", func(tx Tx, l *Loan) error {
		switch {
		case l.Status == LoanFunded || l.Status == LoanApproved && !l.FundingRequestedAt.IsZero():
			return nil
		case l.Status != LoanApproved:
			return Errorf(ECONFLICT, "loan %s is %s; only an approved loan can be funded", l.ID, l.Status)
		}
		if err := e.requestFunding(ctx, tx, l); err != nil {
			return err
		}
		return tx.UpdateLoan(ctx, l)
	})
}

// requestFunding marks l as being funded and enqueues the funding job in
// tx; the caller writes l.
func (e *Engine) requestFunding(ctx context.Context, tx Tx, l *Loan) error {
	l.FundingRequestedAt = e.now()
	return e.enqueueCollateral(ctx, tx, JobFundLoan, l)
}

func (e *Engine) enqueueCollateral(ctx context.Context, tx Tx, kind string, l *Loan) error {
	if e.cfg.Chain.Chain == nil {
		return Errorf(ECONFLICT, "the collateral of loan %s is on chain, and no chain is configured", l.ID)
	}
	payload, _ := json.Marshal(loanJob{BusinessID: l.BusinessID, LoanID: l.ID})
	_, err := tx.EnqueueJob(ctx, jobs.New{Kind: kind, Lane: e.chainLane(l.AssetID), UniqueKey: kind + ":" + l.ID, Payload: payload}, e.now())
	return err
}

// collateralToken reads a loan's token and its state on chain.
func (e *Engine) collateralToken(ctx context.Context, l *Loan) (*Token, *big.Int, tokenize.TokenState, error) {
	t, err := e.store.Token(ctx, l.BusinessID, l.TokenID)
	if err != nil {
		return nil, nil, tokenize.TokenState{}, err
	}
	number, ok := new(big.Int).SetString(t.TokenNumber, 10)
	if !ok {
		return nil, nil, tokenize.TokenState{}, fmt.Errorf("token %s has an invalid token number: %w", t.ID, jobs.ErrPermanent)
	}
	state, err := e.cfg.Chain.Chain.Token(ctx, t.Contract, number)
	if err != nil {
		return nil, nil, state, err
	}
	if !state.Exists {
		return nil, nil, state, fmt.Errorf("token %s is not on contract %s", t.ID, t.Contract)
	}
	return t, number, state, nil
}

// fund is JobFundLoan: lock the token, then fund the loan with its
// schedule from now. With a transaction manager it submits the lock and
// returns; the confirmation loop funds the loan (chain.go).
func (e *Engine) fund(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
	if err != nil || l.Status != LoanApproved {
		return err
	}
	key := "lock:" + l.ID
	if e.txm != nil {
		if live, err := e.live(ctx, key); live || err != nil {
			return err
		}
	}
	t, number, state, err := e.collateralToken(ctx, l)
	if err != nil {
		return err
	}
	if !state.Locked {
		if e.txm != nil {
			return e.submit(ctx, j, p.chainTries, tokenize.Call{Kind: tokenize.KindLock, Key: key, Contract: t.Contract, TokenNumber: number}, chainRef{})
		}
		if _, err := e.cfg.Chain.Chain.Lock(ctx, t.Contract, number); err != nil {
			return fmt.Errorf("lock token %s: %w", t.ID, err)
		}
	}
	return e.recordFunding(ctx, p)
}

// recordFunding funds an approved loan whose token is locked: its schedule
// from now, the token locked, the asset pledged, token.locked and
// loan.funded, in one transaction. A loan no longer approved is left
// alone.
func (e *Engine) recordFunding(ctx context.Context, p loanJob) error {
	return e.store.InTx(ctx, func(tx Tx) error {
		l, err := tx.Loan(ctx, p.BusinessID, p.LoanID)
		if err != nil || l.Status != LoanApproved {
			return err
		}
		now := e.now()
		s, err := lending.Amortize(lending.Terms{Principal: l.Amount, AnnualRate: l.AnnualRate, Months: l.TermMonths,
			Method: l.Amortization, DayCount: l.DayCount, Start: now, Balloon: l.Balloon})
		if err != nil {
			return fmt.Errorf("schedule of loan %s: %v: %w", l.ID, err, jobs.ErrPermanent)
		}
		l.Status, l.FundedAt, l.Schedule, l.UpdatedAt = LoanFunded, now, &s, now
		l.LenderAddress, l.OutstandingPrincipal = e.cfg.Lending.LenderAddress, l.Amount
		if err := tx.UpdateLoan(ctx, l); err != nil {
			return err
		}
		t, _, err := e.setCollateral(ctx, tx, l, TokenLocked, AssetPledged, "")
		if err != nil {
			return err
		}
		if err := e.emit(ctx, tx, l.BusinessID, TokenLockedEventData{tokenFields(t, l)}); err != nil {
			return err
		}
		first := s.Installments[0]
		return e.emitLoan(ctx, tx, l, &LoanFundedEventData{
			AnnualRate: Number(l.AnnualRate), FundedAt: now,
			Installments: len(s.Installments), FirstDueDate: first.DueDate.Format("2006-01-02"),
			FirstPayment: Amount(first.Payment), TotalInterest: Amount(s.TotalInterest()),
		})
	})
}

// setCollateral records the token and asset of l in their new states and
// returns the token and its owner before. to, when set, is the token's new
// owner (a seizure). The caller emits the token's event.
func (e *Engine) setCollateral(ctx context.Context, tx Tx, l *Loan, ts TokenStatus, as AssetStatus, to string) (*Token, string, error) {
	now := e.now()
	t, err := tx.Token(ctx, l.BusinessID, l.TokenID)
	if err != nil {
		return nil, "", err
	}
	from := t.OwnerAddress
	if to != "" {
		t.OwnerAddress = to
	}
	t.Status, t.UpdatedAt = ts, now
	if err := tx.UpdateToken(ctx, t); err != nil {
		return nil, "", err
	}
	a, err := tx.Asset(ctx, l.BusinessID, l.AssetID)
	if err != nil {
		return nil, "", err
	}
	a.Status, a.UpdatedAt = as, now
	if err := tx.UpdateAsset(ctx, a); err != nil {
		return nil, "", err
	}
	return t, from, nil
}

// tokenFields are what a collateral event says of t, the token of l.
func tokenFields(t *Token, l *Loan) TokenEventFields {
	return TokenEventFields{TokenID: t.ID, AssetID: t.AssetID, TokenAddress: t.Contract, TokenNumber: t.TokenNumber, LoanID: l.ID}
}

// Loans lists the business's loans, newest first; f narrows by status.
// Errors: EINVALID (a cursor must name one of the business's loans, in
// f.Status or not: ListParams).
func (e *Engine) Loans(ctx context.Context, businessID string, f LoanFilter, p ListParams) (Page[*Loan], error) {
	if err := f.validate(); err != nil {
		return Page[*Loan]{}, err
	}
	return readPage(p, "loans", func(p ListParams) (Page[*Loan], error) { return e.store.Loans(ctx, businessID, f, p) })
}

// AllLoans lists every business's loans, newest first, for operators: the
// referred loans waiting for a decision, the approved ones waiting for
// funding, the funded book. f narrows by status. Errors: EINVALID (a
// cursor must name a loan: ListParams).
func (o *Operator) AllLoans(ctx context.Context, f LoanFilter, p ListParams) (Page[*Loan], error) {
	e := o.e
	if err := f.validate(); err != nil {
		return Page[*Loan]{}, err
	}
	return readPage(p, "loans", func(p ListParams) (Page[*Loan], error) { return e.store.AllLoans(ctx, f, p) })
}

// Loan reads one of the business's loans with its repayments and its
// position as of now. Errors: ENOTFOUND.
func (e *Engine) Loan(ctx context.Context, businessID, id string) (*LoanDetails, error) {
	l, reps, err := e.loanWithRepayments(ctx, businessID, id)
	if err != nil {
		return nil, err
	}
	d, err := e.details(l, reps)
	if err != nil {
		return nil, internal(err, "loan position")
	}
	return d, nil
}

// details is a loan with its repayments and, once funded, its position as
// of now (as of the default for a defaulted loan).
func (e *Engine) details(l *Loan, reps []*Repayment) (*LoanDetails, error) {
	d := &LoanDetails{Loan: l, Repayments: reps}
	if l.Schedule == nil {
		return d, nil
	}
	asOf := e.now()
	if l.Status == LoanDefaulted {
		asOf = l.ClosedAt
	}
	pos, err := e.position(l, reps, nil, asOf)
	if err != nil {
		return nil, err
	}
	d.Position = &pos
	return d, nil
}

// LoanByID reads a loan of any business with its repayments and position,
// for operators. Errors: ENOTFOUND.
func (o *Operator) LoanByID(ctx context.Context, id string) (*LoanDetails, error) {
	e := o.e
	l, err := e.store.LoanByID(ctx, id)
	if err != nil {
		return nil, internal(err, "read loan")
	}
	return e.Loan(ctx, l.BusinessID, id)
}

// loanWithRepayments reads a loan and its repayments as one state without
// a transaction: repayments are only ever added, each in the transaction
// that updates its loan, so a loan read between two equal reads of the
// repayments belongs with them.
func (e *Engine) loanWithRepayments(ctx context.Context, businessID, id string) (*Loan, []*Repayment, error) {
	reps, err := e.store.Repayments(ctx, businessID, id)
	for attempt := 0; err == nil; attempt++ {
		var l *Loan
		if l, err = e.store.Loan(ctx, businessID, id); err != nil {
			return nil, nil, internal(err, "read loan")
		}
		var again []*Repayment
		if again, err = e.store.Repayments(ctx, businessID, id); err == nil && (len(again) == len(reps) || attempt == 2) {
			return l, again, nil
		}
		reps = again
	}
	return nil, nil, internal(err, "read repayments")
}

// position replays the loan's repayments, plus extra if given, as of asOf.
func (e *Engine) position(l *Loan, reps []*Repayment, extra *Repayment, asOf time.Time) (lending.Position, error) {
	payments := make([]lending.Payment, 0, len(reps)+1)
	for _, r := range reps {
		payments = append(payments, lending.Payment{ID: r.ID, Amount: r.Amount, ReceivedAt: r.ReceivedAt})
	}
	if extra != nil {
		payments = append(payments, lending.Payment{ID: extra.ID, Amount: extra.Amount, ReceivedAt: extra.ReceivedAt})
	}
	if asOf.Before(l.Schedule.Terms.Start) {
		asOf = l.Schedule.Terms.Start
	}
	return lending.Service(*l.Schedule, payments, *e.cfg.Lending.Servicing, asOf)
}

// LoanBook is the lender's book in figures, as the servicing sweep and the
// repayments last left the loans (days past due are brought up to date
// daily, by JobServiceLoans).
type LoanBook struct {
	// Loans counts the loans of every business by status; a status no
	// loan is in is absent.
	Loans map[LoanStatus]int
	// Funded has the figures of the funded loans, one entry per currency
	// in order of currency code: amounts in different currencies are
	// never added together.
	Funded []FundedBook
}

// FundedBook is the funded loans of one currency.
type FundedBook struct {
	Currency    string
	Count       int
	Outstanding decimal.Decimal // principal outstanding
	// Delinquency has one entry per bucket in lending's order (current,
	// 1-30, 31-60, 61-90, 90+), empty buckets included.
	Delinquency []BucketTally
}

// BucketTally is the funded loans of one delinquency bucket: how many, and
// the principal they have outstanding.
type BucketTally struct {
	Bucket      lending.Bucket
	Count       int
	Outstanding decimal.Decimal
}

// DelinquencyBuckets are lending's buckets in order, current first.
var delinquencyBuckets = []lending.Bucket{lending.BucketCurrent, lending.Bucket1To30, lending.Bucket31To60,
	lending.Bucket61To90, lending.Bucket90Plus}

// LoanBook sums up every business's loans for operators: counts by status,
// and for the funded ones, per currency, the principal outstanding and the
// loans by delinquency bucket (lending.BucketFor of their days past due).
// Errors: EINTERNAL only.
func (o *Operator) LoanBook(ctx context.Context) (*LoanBook, error) {
	tallies, err := o.e.store.LoanTallies(ctx)
	if err != nil {
		return nil, internal(err, "count loans")
	}
	b := &LoanBook{Loans: map[LoanStatus]int{}, Funded: []FundedBook{}}
	byCurrency := map[string]*FundedBook{}
	var currencies []string
	for _, t := range tallies {
		b.Loans[t.Status] += t.Count
		if t.Status != LoanFunded {
			continue
		}
		fb := byCurrency[t.Currency]
		if fb == nil {
			fb = &FundedBook{Currency: t.Currency, Outstanding: decimal.Zero}
			for _, k := range delinquencyBuckets {
				fb.Delinquency = append(fb.Delinquency, BucketTally{Bucket: k, Outstanding: decimal.Zero})
			}
			byCurrency[t.Currency] = fb
			currencies = append(currencies, t.Currency)
		}
		fb.Count += t.Count
		fb.Outstanding = fb.Outstanding.Add(t.OutstandingPrincipal)
		bt := &fb.Delinquency[slices.Index(delinquencyBuckets, lending.BucketFor(t.DaysPastDue))]
		bt.Count += t.Count
		bt.Outstanding = bt.Outstanding.Add(t.OutstandingPrincipal)
	}
	slices.Sort(currencies)
	for _, c := range currencies {
		b.Funded = append(b.Funded, *byCurrency[c])
	}
	return b, nil
}
