package assetmint_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/lending"
	"github.com/assetmint/assetmint/tokenize"
)

const lender = "0x00000000000000000000000000000000000A11cE" // EIP-55

// lendingSetup is an engine on the fake chain with a tokenized CNC machine
// (valued 101,490.47, max loan about 40.9k) ready to borrow against.
func lendingSetup(t *testing.T, lc assetmint.LendingConfig) (*bundle, *fakechain.Chain, string, *assetmint.Asset) {
	t.Helper()
	chain := fakechain.New()
	if lc.LenderAddress == "" {
		lc.LenderAddress = lender
	}
	b := flowSetup(t, func(c *assetmint.Config) { c.Chain.Chain = chain; c.Lending = lc })
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	_, err = b.engine.UploadDocument(ctx, biz.ID, invoice(a.ID, "X200-0042"))
	require.NoError(t, err)
	b.settle(t, biz.ID, a.ID, assetmint.AssetTokenized)
	return b, chain, biz.ID, a
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func onChain(t *testing.T, chain *fakechain.Chain, tok *assetmint.Token) tokenize.TokenState {
	t.Helper()
	state, err := chain.Token(context.Background(), tok.Contract, tokenize.TokenNumber(tok.AssetID))
	require.NoError(t, err)
	return state
}

func loanDetails(t *testing.T, b *bundle, biz, id string) *assetmint.LoanDetails {
	t.Helper()
	d, err := b.engine.Loan(context.Background(), biz, id)
	require.NoError(t, err)
	return d
}

// A loan within policy is approved, funded with the token locked first,
// repaid on schedule and in full, and its token released.
func TestLoanIsFundedRepaidAndReleased(t *testing.T) {
	b, chain, biz, a := lendingSetup(t, assetmint.LendingConfig{})
	ctx := context.Background()
	tok, err := b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)

	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{TokenID: tok.ID, Amount: dec("30000"), TermMonths: 24, Purpose: "working capital"})
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanSubmitted, l.Status)
	require.Equal(t, a.ID, l.AssetID)
	require.Equal(t, lending.Annuity, l.Amortization)
	require.Equal(t, lending.Thirty360, l.DayCount)
	require.Equal(t, "0.2956", l.LTV.String(), "30,000 / 101,490.47")

	require.NoError(t, b.engine.RunPending(ctx))
	got := loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanApproved, got.Status, "approved within policy, waiting for funding")
	require.Equal(t, "policy", got.DecidedBy)
	require.True(t, got.AnnualRate.IsPositive())
	require.Nil(t, got.Position)
	require.Empty(t, chain.Calls(), "nothing locked before funding")

	_, err = b.engine.Operator().FundLoan(ctx, l.ID)
	require.NoError(t, err)
	b.clock.Advance(time.Hour)
	require.NoError(t, b.engine.RunPending(ctx))
	got = loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanFunded, got.Status)
	require.Equal(t, b.clock.Now().UTC(), got.FundedAt)
	require.True(t, onChain(t, chain, tok).Locked)
	require.Equal(t, []string{"lock"}, chain.Calls())
	pledged, err := b.engine.Asset(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetPledged, pledged.Status)
	s := got.Schedule
	require.Len(t, s.Installments, 24)
	require.Equal(t, got.FundedAt.AddDate(0, 1, 0), s.Installments[0].DueDate, "counted from the funding date")
	require.True(t, got.Position.Payoff.Equal(dec("30000")), "nothing accrued at the moment of funding: %s", got.Position.Payoff)

	// A pledged asset cannot change, and takes no second loan.
	name := "renamed"
	_, err = b.engine.UpdateAsset(ctx, biz, a.ID, assetmint.AssetUpdate{Name: &name})
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))
	_, err = b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("1000"), TermMonths: 12})
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))

	// The first installment, paid on its due date, goes to its interest and
	// principal.
	first := s.Installments[0]
	b.clock.Set(first.DueDate)
	r, err := b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: first.Payment, Reference: "rail-1"})
	require.NoError(t, err)
	require.True(t, r.Interest.Equal(first.Interest), "%s vs %s", r.Interest, first.Interest)
	require.True(t, r.Principal.Equal(first.Principal))
	require.True(t, r.Fees.IsZero())
	got = loanDetails(t, b, biz, l.ID)
	require.True(t, got.Position.OutstandingPrincipal.Equal(first.Balance))
	require.Equal(t, lending.InstallmentPaid, got.Position.Installments[0].Status)
	require.Equal(t, 2, got.Position.NextDue.Number)

	// Ten days later the payoff closes the loan, and the token is released.
	b.clock.Advance(10 * 24 * time.Hour)
	got = loanDetails(t, b, biz, l.ID)
	payoff := got.Position.Payoff
	require.True(t, payoff.GreaterThan(first.Balance), "accrued interest: %s", payoff)
	r, err = b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: payoff, Reference: "rail-2"})
	require.NoError(t, err)
	require.True(t, r.Excess.IsZero())
	got = loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanRepaid, got.Status)
	require.True(t, got.OutstandingPrincipal.IsZero())
	require.Len(t, got.Repayments, 2)
	require.NoError(t, b.engine.RunPending(ctx))
	require.False(t, onChain(t, chain, tok).Locked)
	released, err := b.engine.Asset(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetTokenized, released.Status)
	tok, err = b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenMinted, tok.Status)

	_, err = b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: dec("1")})
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "a repaid loan takes no more repayments")
	require.Subset(t, eventTypes(t, b.engine, biz), []string{"loan.submitted", "loan.approved", "token.locked", "loan.funded",
		"loan.repayment_received", "loan.repaid", "token.unlocked"})

	// Released, the asset can back a new loan.
	_, err = b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("1000"), TermMonths: 12})
	require.NoError(t, err)
}

// Driven by the clock alone, an unpaid loan goes past 90 days past due,
// defaults on day 91, and its token is seized to the lender.
func TestUnpaidLoanDefaultsAndTokenIsSeized(t *testing.T) {
	b, chain, biz, a := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	ctx := context.Background()
	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("20000"), TermMonths: 12})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	got := loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanFunded, got.Status, "auto-funded")
	firstDue := got.Schedule.Installments[0].DueDate

	// Day by day, as the daily sweep would.
	b.clock.Set(firstDue)
	for dpd := 0; dpd <= 90; dpd++ {
		require.NoError(t, b.engine.RunPending(ctx))
		got = loanDetails(t, b, biz, l.ID)
		require.Equal(t, assetmint.LoanFunded, got.Status, "day %d", dpd)
		require.Equal(t, dpd, got.DaysPastDue, "the sweep keeps days past due current")
		b.clock.Advance(24 * time.Hour)
	}
	require.NoError(t, b.engine.RunPending(ctx))
	got = loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanDefaulted, got.Status)
	require.Equal(t, 91, got.DaysPastDue)
	require.Equal(t, lending.Bucket90Plus, got.Position.Delinquency.Bucket)

	tok, err := b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	state := onChain(t, chain, tok)
	require.True(t, state.Seized)
	require.Equal(t, lender, state.Owner)
	require.Equal(t, assetmint.TokenSeized, tok.Status)
	require.Equal(t, lender, tok.OwnerAddress)
	liquidated, err := b.engine.Asset(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetLiquidated, liquidated.Status)
	require.Subset(t, eventTypes(t, b.engine, biz), []string{"loan.defaulted", "token.seized"})

	// Running the sweep again changes nothing.
	b.clock.Advance(24 * time.Hour)
	rep, err := b.engine.Operator().ServiceLoans(ctx)
	require.NoError(t, err)
	require.Zero(t, rep.Serviced)
	require.Equal(t, []string{"lock", "seize"}, chain.Calls())
}

// Of many loan requests racing on one asset, exactly one is recorded.
func TestLoanRequestsRacingOnOneAssetOneWins(t *testing.T) {
	b, _, biz, a := lendingSetup(t, assetmint.LendingConfig{})
	ctx := context.Background()
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("10000"), TermMonths: 12})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "%v", err)
	}
	require.Equal(t, 1, won)
	page, err := b.engine.Loans(ctx, biz, assetmint.LoanFilter{}, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
}

// Two postings of one repayment with one reference record it once; the
// reference reused for another amount is refused.
func TestRepaymentWithOneReferenceIsRecordedOnce(t *testing.T) {
	b, _, biz, a := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	ctx := context.Background()
	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("10000"), TermMonths: 12})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	b.clock.Advance(31 * 24 * time.Hour)

	ids := make([]string, 2)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: dec("500"), Reference: "wire-7"})
			require.NoError(t, err)
			ids[i] = r.ID
		}()
	}
	wg.Wait()
	require.Equal(t, ids[0], ids[1])
	require.Len(t, loanDetails(t, b, biz, l.ID).Repayments, 1)

	_, err = b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: dec("501"), Reference: "wire-7"})
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))
}

// Underwriting rejects what the policy forbids, refers what it cannot
// decide, and an operator decides referred loans.
func TestUnderwritingDecisions(t *testing.T) {
	b, _, biz, a := lendingSetup(t, assetmint.LendingConfig{ManualApproval: true})
	ctx := context.Background()

	tooMuch, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("90000"), TermMonths: 24})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	got := loanDetails(t, b, biz, tooMuch.ID)
	require.Equal(t, assetmint.LoanRejected, got.Status)
	require.Contains(t, got.Reasons, lending.ReasonAmountExceedsMax)
	require.True(t, got.MaxAmount.LessThan(dec("90000")))

	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("20000"), TermMonths: 24})
	require.NoError(t, err, "a rejected loan no longer holds the asset")
	require.NoError(t, b.engine.RunPending(ctx))
	got = loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanReferred, got.Status)
	require.Equal(t, []string{assetmint.ReasonManualApproval}, got.Reasons)

	_, err = b.engine.Operator().FundLoan(ctx, l.ID)
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "a referred loan is not funded")
	_, err = b.engine.Operator().ApproveLoan(ctx, l.ID, ptr(dec("1.5")))
	require.Equal(t, "annual_rate", assetmint.ErrorParam(err))
	approved, err := b.engine.Operator().ApproveLoan(ctx, l.ID, ptr(dec("0.095")))
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanApproved, approved.Status)
	require.Equal(t, "operator", approved.DecidedBy)
	require.Equal(t, "0.095", approved.AnnualRate.String())

	_, err = b.engine.Operator().RejectLoan(ctx, l.ID, " ")
	require.Equal(t, "reason", assetmint.ErrorParam(err))
	rejected, err := b.engine.Operator().RejectLoan(ctx, l.ID, "collateral under review")
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanRejected, rejected.Status)
	_, err = b.engine.Operator().ApproveLoan(ctx, l.ID, nil)
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))
	require.Subset(t, eventTypes(t, b.engine, biz), []string{"loan.rejected", "loan.referred", "loan.approved", "loan.rejected"})
}

func ptr[T any](v T) *T { return &v }

// Bad loan requests and repayments name the field, and write nothing.
func TestLoanInputValidation(t *testing.T) {
	b, _, biz, a := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	ctx := context.Background()
	ok := assetmint.NewLoan{AssetID: a.ID, Amount: dec("10000"), TermMonths: 12}
	for _, tc := range []struct {
		param string
		edit  func(*assetmint.NewLoan)
	}{
		{"asset_id", func(l *assetmint.NewLoan) { l.AssetID = "" }},
		{"amount", func(l *assetmint.NewLoan) { l.Amount = dec("0") }},
		{"amount", func(l *assetmint.NewLoan) { l.Amount = dec("10.001") }},
		{"term_months", func(l *assetmint.NewLoan) { l.TermMonths = 0 }},
		{"term_months", func(l *assetmint.NewLoan) { l.TermMonths = 481 }},
		{"amortization", func(l *assetmint.NewLoan) { l.Amortization = "bullet" }},
		{"day_count", func(l *assetmint.NewLoan) { l.DayCount = "30/365" }},
		{"balloon_amount", func(l *assetmint.NewLoan) { l.Amortization = lending.Balloon }},
		{"balloon_amount", func(l *assetmint.NewLoan) { l.Amortization = lending.Balloon; l.Balloon = dec("10000") }},
		{"balloon_amount", func(l *assetmint.NewLoan) { l.Balloon = dec("100") }},
		{"asset_id", func(l *assetmint.NewLoan) { l.AssetID = "asset_nope" }},
		{"token_id", func(l *assetmint.NewLoan) { l.TokenID = "tok_nope" }},
	} {
		in := ok
		tc.edit(&in)
		_, err := b.engine.RequestLoan(ctx, biz, in)
		require.Error(t, err, tc.param)
		require.Equal(t, tc.param, assetmint.ErrorParam(err), "%v", err)
	}
	other, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Other"})
	require.NoError(t, err)
	_, err = b.engine.RequestLoan(ctx, other.ID, ok)
	require.Equal(t, assetmint.ENOTFOUND, assetmint.ErrorCode(err), "another business's asset")
	page, err := b.engine.Loans(ctx, biz, assetmint.LoanFilter{}, assetmint.ListParams{})
	require.NoError(t, err)
	require.Empty(t, page.Items)
	_, err = b.engine.Loans(ctx, biz, assetmint.LoanFilter{Status: "late"}, assetmint.ListParams{})
	require.Equal(t, "status", assetmint.ErrorParam(err))

	// An asset that is not tokenized is a conflict, not bad input.
	fresh := cnc(t, b.engine, biz)
	_, err = b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: fresh.ID, Amount: dec("10000"), TermMonths: 12})
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err))

	l, err := b.engine.RequestLoan(ctx, biz, ok)
	require.NoError(t, err)
	_, err = b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: dec("100")})
	require.Equal(t, assetmint.ECONFLICT, assetmint.ErrorCode(err), "not funded yet")
	require.NoError(t, b.engine.RunPending(ctx))
	funded := loanDetails(t, b, biz, l.ID)
	for _, tc := range []struct {
		param string
		in    assetmint.NewRepayment
	}{
		{"amount", assetmint.NewRepayment{Amount: dec("-5")}},
		{"amount", assetmint.NewRepayment{Amount: dec("0.001")}},
		{"received_at", assetmint.NewRepayment{Amount: dec("5"), ReceivedAt: b.clock.Now().Add(time.Hour)}},
		{"received_at", assetmint.NewRepayment{Amount: dec("5"), ReceivedAt: funded.FundedAt.Add(-time.Second)}},
	} {
		_, err := b.engine.Operator().RecordRepayment(ctx, l.ID, tc.in)
		require.Equal(t, tc.param, assetmint.ErrorParam(err), "%v", err)
	}
	require.Empty(t, loanDetails(t, b, biz, l.ID).Repayments)
}
