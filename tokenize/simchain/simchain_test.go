package simchain_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

func TestNew(t *testing.T) {
	key, err := crypto.GenerateKey()
	require.NoError(t, err)
	other := common.HexToAddress("0x00000000000000000000000000000000000b0b00")
	balance := big.NewInt(5e18)
	sim, err := simchain.New(simchain.Config{Key: key, BalanceWei: balance, Accounts: []common.Address{other}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })

	signer := crypto.PubkeyToAddress(key.PublicKey)
	require.Equal(t, signer.Hex(), sim.Chain().Signer())
	require.True(t, key.Equal(sim.Key()))
	for _, a := range []common.Address{signer, other} {
		got, err := sim.Client().BalanceAt(t.Context(), a, nil)
		require.NoError(t, err)
		require.Equal(t, balance, got)
	}
	id, err := sim.Client().ChainID(t.Context())
	require.NoError(t, err)
	require.Equal(t, simchain.ChainID, id)

	// Every send is mined at once.
	before, err := sim.Client().BlockNumber(t.Context())
	require.NoError(t, err)
	contract, r, err := sim.Chain().Deploy(t.Context(), tokenize.DeployParams{Name: "n", Symbol: "s"})
	require.NoError(t, err)
	require.Equal(t, before+1, r.BlockNumber)
	code, err := sim.Client().CodeAt(t.Context(), common.HexToAddress(contract), nil)
	require.NoError(t, err)
	require.NotEmpty(t, code)
}

func TestNewDefaults(t *testing.T) {
	a, err := simchain.New(simchain.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	b, err := simchain.New(simchain.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	require.NotEqual(t, a.Chain().Signer(), b.Chain().Signer(), "a fresh key each time")
	got, err := a.Client().BalanceAt(t.Context(), common.HexToAddress(a.Chain().Signer()), nil)
	require.NoError(t, err)
	require.Equal(t, simchain.DefaultBalanceWei, got)
}

func TestNewRejects(t *testing.T) {
	_, err := simchain.New(simchain.Config{BalanceWei: big.NewInt(0)})
	require.ErrorContains(t, err, "BalanceWei")
}

func TestConfirmations(t *testing.T) {
	sim, err := simchain.New(simchain.Config{Confirmations: 5})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	_, r, err := sim.Chain().Deploy(t.Context(), tokenize.DeployParams{Name: "n", Symbol: "s"})
	require.NoError(t, err)
	head, err := sim.Client().BlockNumber(t.Context())
	require.NoError(t, err)
	require.GreaterOrEqual(t, head, r.BlockNumber+4)
}
