package assetmint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/lending"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/shopspring/decimal"
)

// release is JobReleaseCollateral: unlock the token of a repaid loan.
// With a transaction manager it submits the unlock and returns; the
// confirmation loop records the release (chain.go).
func (e *Engine) release(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
	if err != nil || l.Status != LoanRepaid {
		return err
	}
	key := "unlock:" + l.ID
	if e.txm != nil {
		if live, err := e.live(ctx, key); live || err != nil {
			return err
		}
	}
	t, number, state, err := e.collateralToken(ctx, l)
	if err != nil || t.Status != TokenLocked {
		return err // released already
	}
	if state.Locked {
		if e.txm != nil {
			return e.submit(ctx, j, p.chainTries, tokenize.Call{Kind: tokenize.KindUnlock, Key: key, Contract: t.Contract, TokenNumber: number}, chainRef{})
		}
		if _, err := e.cfg.Chain.Chain.Unlock(ctx, t.Contract, number); err != nil {
			return fmt.Errorf("unlock token %s: %w", t.ID, err)
		}
	}
	return e.recordRelease(ctx, l)
}

// recordRelease records the token of a repaid loan unlocked and its asset
// tokenized again, with token.unlocked; a token not locked any more is left
// alone.
func (e *Engine) recordRelease(ctx context.Context, l *Loan) error {
	if l.Status != LoanRepaid {
		return nil
	}
	return e.store.InTx(ctx, func(tx Tx) error {
		if cur, err := tx.Token(ctx, l.BusinessID, l.TokenID); err != nil || cur.Status != TokenLocked {
			return err
		}
		t, _, err := e.setCollateral(ctx, tx, l, TokenMinted, AssetTokenized, "")
		if err != nil {
			return err
		}
		return e.emit(ctx, tx, l.BusinessID, TokenUnlockedEventData{tokenFields(t, l)})
	})
}

// seize is JobSeizeCollateral: move the token of a defaulted loan to the
// lender; the asset is liquidated. With a transaction manager it submits
// the seizure and returns; the confirmation loop records it (chain.go).
func (e *Engine) seize(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
	if err != nil || l.Status != LoanDefaulted {
		return err
	}
	key := "seize:" + l.ID
	if e.txm != nil {
		if live, err := e.live(ctx, key); live || err != nil {
			return err
		}
	}
	t, number, state, err := e.collateralToken(ctx, l)
	if err != nil || t.Status == TokenSeized {
		return err
	}
	to := l.LenderAddress
	if !state.Seized {
		if e.txm != nil {
			return e.submit(ctx, j, p.chainTries, tokenize.Call{Kind: tokenize.KindSeize, Key: key, Contract: t.Contract, TokenNumber: number, To: to},
				chainRef{To: to})
		}
		if _, err := e.cfg.Chain.Chain.Seize(ctx, t.Contract, number, to); err != nil {
			return fmt.Errorf("seize token %s: %w", t.ID, err)
		}
	} else {
		to = state.Owner
	}
	return e.recordSeizure(ctx, l, to)
}

// recordSeizure records the token of a defaulted loan seized by to and its
// asset liquidated, with token.seized; a token seized already is left
// alone.
func (e *Engine) recordSeizure(ctx context.Context, l *Loan, to string) error {
	if l.Status != LoanDefaulted {
		return nil
	}
	return e.store.InTx(ctx, func(tx Tx) error {
		if cur, err := tx.Token(ctx, l.BusinessID, l.TokenID); err != nil || cur.Status == TokenSeized {
			return err
		}
		t, from, err := e.setCollateral(ctx, tx, l, TokenSeized, AssetLiquidated, to)
		if err != nil {
			return err
		}
		return e.emit(ctx, tx, l.BusinessID, TokenSeizedEventData{TokenEventFields: tokenFields(t, l), FromAddress: from, ToAddress: to})
	})
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

// RepaymentStore keeps repayments. A repayment belongs to a loan of its
// business and is never changed.
type RepaymentStore interface {
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

// Job kinds of servicing.
const (
	// JobServiceLoans is the daily servicing sweep (ServiceLoans).
	JobServiceLoans = "loan.service"
	// JobReleaseCollateral unlocks the token of a repaid loan.
	JobReleaseCollateral = "loan.release"
	// JobSeizeCollateral moves the token of a defaulted loan to the lender.
	JobSeizeCollateral = "loan.seize"
)

// NewRepayment is the input of RecordRepayment.
type NewRepayment struct {
	Amount decimal.Decimal
	// ReceivedAt is when the money arrived; zero means now. It may not be
	// in the future, before the funding, or before the loan's latest
	// repayment (repayments are applied in the order received), and lies
	// within 1900-01-01 and 2200-12-31 (ValidateDate).
	ReceivedAt time.Time
	// Reference is the payment rail's idempotency key: recording a
	// reference the loan already has returns that repayment.
	Reference string
}

const maxReferenceLen = 255

// RecordRepayment records money received on a funded loan, allocated by
// the servicing policy (fees, interest, principal; anything beyond what is
// due prepays principal), and emits loan.repayment_received. A repayment
// that pays the loan off makes it repaid (loan.repaid) and enqueues the
// release of its token. With a Reference the loan already has, the earlier
// repayment is returned, so a retried call records nothing twice.
// Errors: EINVALID (amount, received_at), ENOTFOUND, ECONFLICT for a loan
// not funded or a reference reused for another amount.
func (o *Operator) RecordRepayment(ctx context.Context, loanID string, in NewRepayment) (*Repayment, error) {
	e := o.e
	if err := ValidateMoney("amount", in.Amount); err != nil {
		return nil, err
	}
	if !in.ReceivedAt.IsZero() {
		if err := ValidateDate("received_at", in.ReceivedAt); err != nil {
			return nil, err
		}
	}
	if len(in.Reference) > maxReferenceLen {
		return nil, FieldError("reference", "reference must be at most %d bytes", maxReferenceLen)
	}
	id, err := e.newID(PrefixRepayment)
	if err != nil {
		return nil, err
	}
	r, err := commit(e, ctx, func(tx Tx) (*Repayment, error) {
		var r *Repayment
		l, err := tx.LoanByID(ctx, loanID)
		if err != nil {
			return nil, err
		}
		if in.Reference != "" {
			prior, err := tx.RepaymentByReference(ctx, l.BusinessID, l.ID, in.Reference)
			if err == nil {
				if !prior.Amount.Equal(in.Amount) || !in.ReceivedAt.IsZero() && !prior.ReceivedAt.Equal(in.ReceivedAt.UTC()) {
					return nil, Errorf(ECONFLICT, "reference %q was used for repayment %s of %s received at %s", in.Reference,
						prior.ID, prior.Amount.StringFixed(2), prior.ReceivedAt.Format(time.RFC3339))
				}
				r = prior
				return r, nil
			} else if ErrorCode(err) != ENOTFOUND {
				return nil, err
			}
		}
		if l.Status != LoanFunded {
			return nil, Errorf(ECONFLICT, "loan %s is %s; repayments are recorded on funded loans", l.ID, l.Status)
		}
		now := e.now()
		received := in.ReceivedAt.UTC()
		if received.IsZero() {
			received = now
		}
		reps, err := tx.Repayments(ctx, l.BusinessID, l.ID)
		if err != nil {
			return nil, err
		}
		switch {
		case received.After(now):
			return nil, FieldError("received_at", "received_at must not be in the future")
		case received.Before(l.FundedAt):
			return nil, FieldError("received_at", "received_at must not be before the loan was funded (%s)", l.FundedAt.Format(time.RFC3339))
		case len(reps) > 0 && received.Before(reps[len(reps)-1].ReceivedAt):
			return nil, FieldError("received_at", "received_at must not be before the loan's latest repayment (%s)",
				reps[len(reps)-1].ReceivedAt.Format(time.RFC3339))
		}
		r = &Repayment{ID: id, BusinessID: l.BusinessID, LoanID: l.ID, Reference: in.Reference, Amount: in.Amount,
			ReceivedAt: received, CreatedAt: now}
		pos, err := e.position(l, reps, r, now)
		if err != nil {
			return nil, repaymentError(err)
		}
		app := pos.Payments[len(pos.Payments)-1]
		r.Fees, r.Interest, r.Principal, r.Prepaid, r.Excess = app.Fees, app.Interest, app.Principal, app.Prepaid, app.Excess
		if err := tx.CreateRepayment(ctx, r); err != nil {
			return nil, err
		}
		l.OutstandingPrincipal, l.DaysPastDue, l.UpdatedAt = pos.OutstandingPrincipal, pos.Delinquency.DaysPastDue, now
		if pos.Closed {
			l.Status, l.ClosedAt = LoanRepaid, pos.ClosedAt
			if err := e.enqueueCollateral(ctx, tx, JobReleaseCollateral, l); err != nil {
				return nil, err
			}
		}
		if err := tx.UpdateLoan(ctx, l); err != nil {
			return nil, err
		}
		if err := e.emitLoan(ctx, tx, l, &LoanRepaymentReceivedEventData{
			RepaymentID: r.ID, Amount: Amount(r.Amount), ReceivedAt: r.ReceivedAt,
			Fees: Amount(r.Fees), Interest: Amount(r.Interest), Principal: Amount(r.Principal),
			Prepaid: Amount(r.Prepaid), Excess: Amount(r.Excess),
			OutstandingPrincipal: Amount(pos.OutstandingPrincipal), PayoffAmount: Amount(pos.Payoff),
			LoanAmount: Amount(l.Amount),
		}); err != nil {
			return nil, err
		}
		if !pos.Closed {
			return r, nil
		}
		return r, e.emitLoan(ctx, tx, l, &LoanRepaidEventData{RepaymentID: r.ID, RepaidAt: l.ClosedAt, Excess: Amount(r.Excess)})
	})
	if err != nil {
		return nil, internal(err, "record repayment")
	}
	return r, nil
}

// repaymentError reports the servicing rules' refusal of a repayment as
// EINVALID on the request's field.
func repaymentError(err error) error {
	var fe *lending.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	param := fe.Field
	if i := strings.LastIndexByte(param, '.'); i >= 0 {
		param = param[i+1:]
	}
	return FieldError(param, "%s", fe.Message)
}

// ServicingReport says what a servicing sweep did.
type ServicingReport struct {
	Serviced  int // funded loans brought up to date
	Defaulted int // of which defaulted
}

// ServiceLoans brings every funded loan up to date as of the Engine's
// clock: days past due and outstanding principal, and a loan past the
// default rule is defaulted (loan.defaulted) and its token's seizure
// enqueued. It runs daily as a durable job (JobServiceLoans); it is
// idempotent, so running it again, or from several processes, changes
// nothing more.
func (o *Operator) ServiceLoans(ctx context.Context) (ServicingReport, error) {
	e := o.e
	var rep ServicingReport
	p := ListParams{Limit: MaxListLimit}
	for {
		page, err := e.store.AllLoans(ctx, LoanFilter{Status: LoanFunded}, p)
		if err != nil {
			return rep, internal(err, "list funded loans")
		}
		for _, l := range page.Items {
			defaulted, err := e.serviceLoan(ctx, l.ID)
			if err != nil {
				return rep, internal(err, "service loan "+l.ID)
			}
			rep.Serviced++
			if defaulted {
				rep.Defaulted++
			}
		}
		if !page.HasMore {
			return rep, nil
		}
		p.StartingAfter = page.Items[len(page.Items)-1].ID
	}
}

func (e *Engine) serviceLoansJob(ctx context.Context, _ *jobs.Job) error {
	rep, err := e.Operator().ServiceLoans(ctx)
	if err == nil {
		e.log.InfoContext(ctx, "servicing: loans brought up to date", "serviced", rep.Serviced, "defaulted", rep.Defaulted)
	}
	return err
}

// serviceLoan brings one loan up to date and reports whether it defaulted.
func (e *Engine) serviceLoan(ctx context.Context, loanID string) (bool, error) {
	defaulted := false
	err := e.store.InTx(ctx, func(tx Tx) error {
		l, err := tx.LoanByID(ctx, loanID)
		if err != nil || l.Status != LoanFunded {
			return err
		}
		reps, err := tx.Repayments(ctx, l.BusinessID, l.ID)
		if err != nil {
			return err
		}
		now := e.now()
		pos, err := e.position(l, reps, nil, now)
		if err != nil {
			return err
		}
		d := pos.Delinquency
		if !d.Default {
			if l.DaysPastDue == d.DaysPastDue && l.OutstandingPrincipal.Equal(pos.OutstandingPrincipal) {
				return nil
			}
			l.DaysPastDue, l.OutstandingPrincipal, l.UpdatedAt = d.DaysPastDue, pos.OutstandingPrincipal, now
			return tx.UpdateLoan(ctx, l)
		}
		defaulted = true
		l.Status, l.ClosedAt, l.UpdatedAt = LoanDefaulted, now, now
		l.DaysPastDue, l.OutstandingPrincipal = d.DaysPastDue, pos.OutstandingPrincipal
		if err := tx.UpdateLoan(ctx, l); err != nil {
			return err
		}
		if err := e.enqueueCollateral(ctx, tx, JobSeizeCollateral, l); err != nil {
			return err
		}
		return e.emitLoan(ctx, tx, l, &LoanDefaultedEventData{
			DaysPastDue: d.DaysPastDue, PastDue: Amount(d.PastDue), OldestUnpaidInstallment: d.OldestUnpaid,
			OutstandingPrincipal: Amount(pos.OutstandingPrincipal), PayoffAmount: Amount(pos.Payoff),
			LenderAddress: l.LenderAddress, DefaultedAt: now,
		})
	})
	return defaulted, err
}
