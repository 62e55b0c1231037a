package fakechain_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/tokenize"
)

// A lost answer is an error for the caller with the change applied; a
// transaction sent again reverts and is counted, and changes nothing.
func TestLostAnswersApplyTheChange(t *testing.T) {
	ctx := context.Background()
	c := fakechain.New()
	addr, _, err := c.Deploy(ctx, tokenize.DeployParams{})
	require.NoError(t, err)
	n := big.NewInt(7)
	const lender = "0x00000000000000000000000000000000000A11cE"

	c.LoseNextAnswer(fakechain.Mint)
	_, err = c.Mint(ctx, addr, tokenize.MintParams{TokenNumber: n, To: fakechain.Signer})
	require.ErrorIs(t, err, fakechain.ErrAnswerLost)
	state, err := c.Token(ctx, addr, n)
	require.NoError(t, err)
	require.True(t, state.Exists)
	_, err = c.MintReceipt(ctx, addr, n)
	require.NoError(t, err, "the mint's transaction is on chain")
	_, err = c.Mint(ctx, addr, tokenize.MintParams{TokenNumber: n, To: fakechain.Signer})
	require.ErrorIs(t, err, tokenize.ErrTokenExists)
	require.Equal(t, 1, c.Mints())
	require.Equal(t, 1, c.Reverts())

	for _, step := range []struct {
		kind string
		send func() (tokenize.Receipt, error)
		want tokenize.TokenState
	}{
		{fakechain.Lock, func() (tokenize.Receipt, error) { return c.Lock(ctx, addr, n) },
			tokenize.TokenState{Exists: true, Owner: fakechain.Signer, Locked: true}},
		{fakechain.Unlock, func() (tokenize.Receipt, error) { return c.Unlock(ctx, addr, n) },
			tokenize.TokenState{Exists: true, Owner: fakechain.Signer}},
	} {
		c.LoseNextAnswer(step.kind)
		_, err := step.send()
		require.ErrorIs(t, err, fakechain.ErrAnswerLost, step.kind)
		state, err := c.Token(ctx, addr, n)
		require.NoError(t, err)
		require.Equal(t, step.want, state, step.kind)
		_, err = step.send()
		require.ErrorIs(t, err, tokenize.ErrReverted, "%s again", step.kind)
		r, err := step.send() // the answer is lost once only
		require.ErrorIs(t, err, tokenize.ErrReverted, step.kind)
		require.Zero(t, r)
	}
	require.Equal(t, 5, c.Reverts())

	_, err = c.Lock(ctx, addr, n)
	require.NoError(t, err)
	c.LoseNextAnswer(fakechain.Seize)
	_, err = c.Seize(ctx, addr, n, lender)
	require.ErrorIs(t, err, fakechain.ErrAnswerLost)
	state, err = c.Token(ctx, addr, n)
	require.NoError(t, err)
	require.Equal(t, tokenize.TokenState{Exists: true, Owner: lender, Locked: true, Seized: true}, state)
	r, err := c.Seize(ctx, addr, n, lender)
	require.NoError(t, err, "the contract lets a seized token be seized again")
	require.NotZero(t, r.TxHash)
	require.Equal(t, []string{"lock", "unlock", "lock", "seize", "seize"}, c.Calls(), "every change, answered or not")
	require.Panics(t, func() { c.LoseNextAnswer("burn") })
}
