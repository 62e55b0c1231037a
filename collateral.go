package assetmint

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/assetmint/assetmint/jobs"
	"github.com/assetmint/assetmint/lending"
	"github.com/assetmint/assetmint/tokenize"
)

// The collateral jobs run in the chain signer's lane, like minting, so one
// signer's transactions go out one at a time and in order. Each reads the
// token's state on chain before sending, so a job re-run after a crash
// between sending and recording sends nothing twice.
const (
	// JobFundLoan locks the token of an approved loan, then funds the loan.
	JobFundLoan = "loan.fund"
	// JobReleaseCollateral unlocks the token of a repaid loan.
	JobReleaseCollateral = "loan.release"
	// JobSeizeCollateral moves the token of a defaulted loan to the lender.
	JobSeizeCollateral = "loan.seize"
)

// FundLoan asks for an approved loan to be funded: the token is locked on
// chain, then the loan is funded with its schedule counted from that
// moment (loan.funded). It returns at once with the loan still approved and
// FundingRequestedAt set; asking again, or for a funded loan, changes
// nothing. Errors: ENOTFOUND, ECONFLICT for a loan in another status.
func (e *Engine) FundLoan(ctx context.Context, loanID string) (*LoanDetails, error) {
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
	_, err := tx.EnqueueJob(ctx, jobs.New{Kind: kind, Lane: e.signerLane(), UniqueKey: kind + ":" + l.ID, Payload: payload}, e.now())
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
// schedule from now.
func (e *Engine) fund(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
	if err != nil || l.Status != LoanApproved {
		return err
	}
	t, number, state, err := e.collateralToken(ctx, l)
	if err != nil {
		return err
	}
	if !state.Locked {
		if _, err := e.cfg.Chain.Chain.Lock(ctx, t.Contract, number); err != nil {
			return fmt.Errorf("lock token %s: %w", t.ID, err)
		}
	}
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
		if err := e.setCollateral(ctx, tx, l, TokenLocked, AssetPledged, EventTokenLocked, ""); err != nil {
			return err
		}
		first := s.Installments[0]
		return e.emitLoan(ctx, tx, l, EventLoanFunded, map[string]any{
			"annual_rate": json.Number(l.AnnualRate.String()), "funded_at": now,
			"installments": len(s.Installments), "first_due_date": first.DueDate.Format("2006-01-02"),
			"first_payment":  money(first.Payment),
			"total_interest": money(s.TotalInterest()),
		})
	})
}

// setCollateral records the token and asset of l in their new states and
// emits the token's event. to, when set, is the token's new owner (a
// seizure), and the event names both owners.
func (e *Engine) setCollateral(ctx context.Context, tx Tx, l *Loan, ts TokenStatus, as AssetStatus, event, to string) error {
	now := e.now()
	t, err := tx.Token(ctx, l.BusinessID, l.TokenID)
	if err != nil {
		return err
	}
	data := map[string]any{
		"token_id": t.ID, "asset_id": t.AssetID, "token_address": t.Contract, "token_number": t.TokenNumber, "loan_id": l.ID,
	}
	if to != "" {
		data["from_address"], data["to_address"] = t.OwnerAddress, to
		t.OwnerAddress = to
	}
	t.Status, t.UpdatedAt = ts, now
	if err := tx.UpdateToken(ctx, t); err != nil {
		return err
	}
	a, err := tx.Asset(ctx, l.BusinessID, l.AssetID)
	if err != nil {
		return err
	}
	a.Status, a.UpdatedAt = as, now
	if err := tx.UpdateAsset(ctx, a); err != nil {
		return err
	}
	return e.emit(ctx, tx, l.BusinessID, event, data)
}

// release is JobReleaseCollateral: unlock the token of a repaid loan.
func (e *Engine) release(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
	if err != nil || l.Status != LoanRepaid {
		return err
	}
	t, number, state, err := e.collateralToken(ctx, l)
	if err != nil || t.Status != TokenLocked {
		return err // released already
	}
	if state.Locked {
		if _, err := e.cfg.Chain.Chain.Unlock(ctx, t.Contract, number); err != nil {
			return fmt.Errorf("unlock token %s: %w", t.ID, err)
		}
	}
	return e.store.InTx(ctx, func(tx Tx) error {
		return e.setCollateral(ctx, tx, l, TokenMinted, AssetTokenized, EventTokenUnlocked, "")
	})
}

// seize is JobSeizeCollateral: move the token of a defaulted loan to the
// lender; the asset is liquidated.
func (e *Engine) seize(ctx context.Context, j *jobs.Job) error {
	p, err := parseLoanJob(j)
	if err != nil {
		return err
	}
	l, err := e.store.Loan(ctx, p.BusinessID, p.LoanID)
	if err != nil || l.Status != LoanDefaulted {
		return err
	}
	t, number, state, err := e.collateralToken(ctx, l)
	if err != nil || t.Status == TokenSeized {
		return err
	}
	to := l.LenderAddress
	if !state.Seized {
		if _, err := e.cfg.Chain.Chain.Seize(ctx, t.Contract, number, to); err != nil {
			return fmt.Errorf("seize token %s: %w", t.ID, err)
		}
	} else {
		to = state.Owner
	}
	return e.store.InTx(ctx, func(tx Tx) error {
		return e.setCollateral(ctx, tx, l, TokenSeized, AssetLiquidated, EventTokenSeized, to)
	})
}
