package main

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
)

// The quickstart runs the whole flow and prints a funded loan's schedule.
func TestQuickstartFundsALoanAndPrintsItsSchedule(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(context.Background(), &out, t.TempDir(), time.Now))
	s := out.String()
	require.Contains(t, s, "is tokenized")
	require.Contains(t, s, "approved by policy")
	require.Regexp(t, `Loan funded on \d{4}-\d{2}-\d{2}; token tok_\w+ is locked on chain`, s)
	rows := regexp.MustCompile(`(?m)^\s*\d+\s+\d{4}-\d{2}-\d{2}\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s*$`).FindAllString(s, -1)
	require.Len(t, rows, 36, s)
	require.Regexp(t, `36\s+\S+\s+\S+\s+\S+\s+\S+\s+0\.00\s*\n`, s, "the last row clears the balance")
}

// On a real EVM (the simulated chain) and a fake clock: the funded loan's
// token cannot be moved by its owner; left unpaid, the loan defaults on
// the 91st day past due and the token is seized to the lender.
func TestUnpaidLoanIsSeizedOnChain(t *testing.T) {
	ctx := context.Background()
	clock := testclock.New(time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC))
	p, err := open(ctx, t.TempDir(), clock.Now)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	owner := "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	biz, loanID, err := pledge(ctx, p, io.Discard, owner)
	require.NoError(t, err)

	d, err := p.engine.Loan(ctx, biz, loanID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanFunded, d.Status)
	tok, err := p.engine.Token(ctx, biz, d.TokenID)
	require.NoError(t, err)
	number := tokenize.TokenNumber(tok.AssetID)
	chain := p.sim.Chain()
	state, err := chain.Token(ctx, tok.Contract, number)
	require.NoError(t, err)
	require.True(t, state.Locked)
	require.Equal(t, owner, state.Owner)

	// The owner's transfer reverts with TokenLocked.
	token := contracts.NewAssetToken()
	contract := common.HexToAddress(tok.Contract)
	_, err = p.sim.Client().EstimateGas(ctx, ethereum.CallMsg{From: common.HexToAddress(owner), To: &contract,
		Data: token.PackTransferFrom(common.HexToAddress(owner), common.HexToAddress(chain.Signer()), number)})
	require.Error(t, err)
	reason, ok := token.DecodeRevert(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, &contracts.AssetTokenTokenLocked{TokenId: number}, reason)

	// Day 90 past due: still funded. Day 91: defaulted, and seized.
	firstDue := d.Schedule.Installments[0].DueDate
	clock.Set(firstDue.AddDate(0, 0, 90))
	require.NoError(t, p.engine.RunPending(ctx))
	d, err = p.engine.Loan(ctx, biz, loanID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanFunded, d.Status)
	require.Equal(t, 90, d.DaysPastDue)

	clock.Set(firstDue.AddDate(0, 0, 91))
	require.NoError(t, p.engine.RunPending(ctx))
	d, err = p.engine.Loan(ctx, biz, loanID)
	require.NoError(t, err)
	require.Equal(t, assetmint.LoanDefaulted, d.Status)
	state, err = chain.Token(ctx, tok.Contract, number)
	require.NoError(t, err)
	require.True(t, state.Seized)
	require.Equal(t, chain.Signer(), state.Owner, "seized to the lender, by default the signer")
	tok, err = p.engine.Token(ctx, biz, d.TokenID)
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenSeized, tok.Status)
	a, err := p.engine.Asset(ctx, biz, d.AssetID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetLiquidated, a.Status)
}
