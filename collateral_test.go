package assetmint_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/jobs"
)

// The collateral jobs when the chain applies a transaction but its answer
// is lost (the connection drops after the node accepted it): the job fails,
// the queue runs it again, and the retry finds the change on chain, sends
// nothing, and records what happened once.

// requireLostOnce checks that the job of kind for loan l failed its first
// attempt with the lost answer and waits for a retry.
func requireLostOnce(t *testing.T, b *bundle, kind, loanID string) {
	t.Helper()
	j, err := b.db.JobByKey(context.Background(), kind+":"+loanID)
	require.NoError(t, err)
	require.Equal(t, jobs.StatusPending, j.Status, "retried, not dead")
	require.Equal(t, 1, j.Attempt)
	require.Contains(t, j.LastError, fakechain.ErrAnswerLost.Error())
}

// retry runs the job again, past its backoff, and checks that it completed
// on its second attempt.
func retry(t *testing.T, b *bundle, kind, loanID string) {
	t.Helper()
	ctx := context.Background()
	b.clock.Advance(time.Minute) // past the first retry's backoff (1s, plus jitter)
	require.NoError(t, b.engine.RunPending(ctx))
	j, err := b.db.JobByKey(ctx, kind+":"+loanID)
	require.NoError(t, err)
	require.Equal(t, jobs.StatusCompleted, j.Status, j.LastError)
	require.Equal(t, 2, j.Attempt)
}

// eventsOf counts a business's events by type and returns the data of the
// last of each.
func eventsOf(t *testing.T, b *bundle, biz string) (map[string]int, map[string]map[string]any) {
	t.Helper()
	page, err := b.engine.Events(context.Background(), biz, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.False(t, page.HasMore)
	counts, data := map[string]int{}, map[string]map[string]any{}
	for _, e := range page.Items {
		counts[e.Type]++
		if _, ok := data[e.Type]; !ok { // newest first
			var d map[string]any
			require.NoError(t, json.Unmarshal(e.Data, &d))
			data[e.Type] = d
		}
	}
	return counts, data
}

func assetStatus(t *testing.T, b *bundle, biz, id string) assetmint.AssetStatus {
	t.Helper()
	a, err := b.engine.Asset(context.Background(), biz, id)
	require.NoError(t, err)
	return a.Status
}

// Funding: the lock goes through but its answer is lost. The retry finds
// the token locked, sends no second lock, and funds the loan once.
func TestFundingAfterALostLockAnswerLocksOnce(t *testing.T) {
	b, chain, biz, a := lendingSetup(t, assetmint.LendingConfig{})
	ctx := context.Background()
	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("30000"), TermMonths: 24})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Equal(t, assetmint.LoanApproved, loanDetails(t, b, biz, l.ID).Status)

	chain.LoseNextAnswer(fakechain.Lock)
	_, err = b.engine.Operator().FundLoan(ctx, l.ID)
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	requireLostOnce(t, b, assetmint.JobFundLoan, l.ID)
	tok, err := b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	require.True(t, onChain(t, chain, tok).Locked, "the lock went through")
	require.Equal(t, assetmint.TokenMinted, tok.Status, "but was not recorded")
	require.Equal(t, assetmint.LoanApproved, loanDetails(t, b, biz, l.ID).Status)
	require.Equal(t, assetmint.AssetTokenized, assetStatus(t, b, biz, a.ID))

	retry(t, b, assetmint.JobFundLoan, l.ID)
	require.Equal(t, []string{fakechain.Lock}, chain.Calls(), "locked once")
	require.Zero(t, chain.Reverts(), "no second lock was sent")
	got := loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanFunded, got.Status)
	require.Equal(t, b.clock.Now().UTC(), got.FundedAt, "funded by the retry")
	require.Equal(t, lender, got.LenderAddress)
	tok, err = b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenLocked, tok.Status)
	require.True(t, onChain(t, chain, tok).Locked)
	require.Equal(t, assetmint.AssetPledged, assetStatus(t, b, biz, a.ID))
	counts, data := eventsOf(t, b, biz)
	require.Equal(t, 1, counts["token.locked"])
	require.Equal(t, 1, counts["loan.funded"])
	require.Equal(t, tok.ID, data["token.locked"]["token_id"])
	require.Equal(t, l.ID, data["token.locked"]["loan_id"])
}

// Repayment: the unlock goes through but its answer is lost. The retry
// finds the token unlocked, sends no second unlock, and releases the
// collateral once.
func TestReleaseAfterALostUnlockAnswerUnlocksOnce(t *testing.T) {
	b, chain, biz, a := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	ctx := context.Background()
	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("20000"), TermMonths: 12})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	require.Equal(t, assetmint.LoanFunded, loanDetails(t, b, biz, l.ID).Status, "auto-funded")

	b.clock.Advance(10 * 24 * time.Hour)
	chain.LoseNextAnswer(fakechain.Unlock)
	_, err = b.engine.Operator().RecordRepayment(ctx, l.ID, assetmint.NewRepayment{Amount: loanDetails(t, b, biz, l.ID).Position.Payoff, Reference: "payoff"})
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanRepaid, loanDetails(t, b, biz, l.ID).Status)
	require.NoError(t, b.engine.RunPending(ctx))
	requireLostOnce(t, b, assetmint.JobReleaseCollateral, l.ID)
	tok, err := b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	require.False(t, onChain(t, chain, tok).Locked, "the unlock went through")
	require.Equal(t, assetmint.TokenLocked, tok.Status, "but was not recorded")
	require.Equal(t, assetmint.AssetPledged, assetStatus(t, b, biz, a.ID))

	retry(t, b, assetmint.JobReleaseCollateral, l.ID)
	require.Equal(t, []string{fakechain.Lock, fakechain.Unlock}, chain.Calls(), "unlocked once")
	require.Zero(t, chain.Reverts(), "no second unlock was sent")
	require.Equal(t, assetmint.LoanRepaid, loanDetails(t, b, biz, l.ID).Status)
	tok, err = b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenMinted, tok.Status)
	require.False(t, onChain(t, chain, tok).Locked)
	require.Equal(t, assetmint.AssetTokenized, assetStatus(t, b, biz, a.ID))
	counts, data := eventsOf(t, b, biz)
	require.Equal(t, 1, counts["token.unlocked"])
	require.Equal(t, 1, counts["loan.repaid"])
	require.Equal(t, tok.ID, data["token.unlocked"]["token_id"])
}

// Default: the seizure goes through but its answer is lost. The retry
// finds the token seized to the lender, sends no second seizure, and
// records the lender as the owner once.
func TestSeizureAfterALostSeizeAnswerSeizesOnce(t *testing.T) {
	b, chain, biz, a := lendingSetup(t, assetmint.LendingConfig{AutoFund: true})
	ctx := context.Background()
	l, err := b.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: a.ID, Amount: dec("20000"), TermMonths: 12})
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	got := loanDetails(t, b, biz, l.ID)
	require.Equal(t, assetmint.LoanFunded, got.Status, "auto-funded")

	// Nothing paid: on day 91 past the first due date the daily sweep
	// defaults the loan and enqueues the seizure.
	chain.LoseNextAnswer(fakechain.Seize)
	b.clock.Set(got.Schedule.Installments[0].DueDate.Add(91 * 24 * time.Hour))
	require.NoError(t, b.engine.RunPending(ctx))
	require.Equal(t, assetmint.LoanDefaulted, loanDetails(t, b, biz, l.ID).Status)
	requireLostOnce(t, b, assetmint.JobSeizeCollateral, l.ID)
	tok, err := b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	state := onChain(t, chain, tok)
	require.True(t, state.Seized, "the seizure went through")
	require.Equal(t, lender, state.Owner)
	require.Equal(t, assetmint.TokenLocked, tok.Status, "but was not recorded")
	require.Equal(t, fakechain.Signer, tok.OwnerAddress)
	require.Equal(t, assetmint.AssetPledged, assetStatus(t, b, biz, a.ID))

	retry(t, b, assetmint.JobSeizeCollateral, l.ID)
	require.Equal(t, []string{fakechain.Lock, fakechain.Seize}, chain.Calls(), "seized once")
	require.Zero(t, chain.Reverts(), "no second seizure was sent")
	require.Equal(t, assetmint.LoanDefaulted, loanDetails(t, b, biz, l.ID).Status)
	tok, err = b.db.AssetToken(ctx, biz, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenSeized, tok.Status)
	require.Equal(t, lender, tok.OwnerAddress)
	require.Equal(t, lender, onChain(t, chain, tok).Owner)
	require.Equal(t, assetmint.AssetLiquidated, assetStatus(t, b, biz, a.ID))
	counts, data := eventsOf(t, b, biz)
	require.Equal(t, 1, counts["token.seized"])
	require.Equal(t, 1, counts["loan.defaulted"])
	seized := data["token.seized"]
	require.Equal(t, fakechain.Signer, seized["from_address"], "the custody address held it")
	require.Equal(t, lender, seized["to_address"])
}
