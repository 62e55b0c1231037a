package ethchain_test

import (
	"context"
	"log/slog"
	"math/big"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/assetmint/assetmint/tokenize/ethchain"
)

// lowTip is a geth node whose tip suggestion is one wei while low is set:
// under the miner's minimum, so what is priced by it is stuck in the pool.
type lowTip struct {
	*ethclient.Client
	low atomic.Bool
}

func (n *lowTip) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	if n.low.Load() {
		return big.NewInt(1), nil
	}
	return n.Client.SuggestGasTipCap(ctx)
}

// On geth --dev (one block a second, a miner that wants a tip of a gwei),
// a mint priced under the miner's minimum stays in the pool, is replaced
// after BumpAfter at the same nonce, and once the fees are the market's
// again it is mined, exactly once, as the contract's Minted events show.
func TestManagerBumpsAStuckTransactionOnGeth(t *testing.T) {
	bin := os.Getenv("ASSETMINT_TEST_GETH_BIN")
	if bin == "" || testing.Short() {
		msg := "needs a geth binary in ASSETMINT_TEST_GETH_BIN: it starts geth --dev --dev.period 1 (.ci/run sets it)"
		if os.Getenv("ASSETMINT_REQUIRE_GETH") == "1" && !testing.Short() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ec, key := startGethDev(t, bin, "--miner.gasprice", "1000000000")
	ctx := t.Context()
	chainID, err := ec.ChainID(ctx)
	require.NoError(t, err)
	node := &lowTip{Client: ec}
	chain, err := ethchain.New(node, key, ethchain.Config{ChainID: chainID, PollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	contract, _, err := chain.Deploy(ctx, tokenize.DeployParams{Name: "stuck", Symbol: "S"})
	require.NoError(t, err)
	db := intentStore(t)
	m, err := ethchain.NewManager(chain, db, ethchain.ManagerConfig{BumpAfter: time.Second, ConfirmFor: 3 * time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	settle := func(context.Context, *tokenize.Intent) error { return nil }

	node.low.Store(true)
	in, err := m.Submit(ctx, tokenize.Call{Kind: tokenize.KindMint, Key: "mint:1", Contract: contract,
		Mint: tokenize.MintParams{To: m.Signer(), TokenNumber: big.NewInt(1), URI: "ipfs://stuck", MetadataHash: [32]byte{1}}})
	require.NoError(t, err)
	open, err := m.Confirm(ctx, settle) // three seconds: three blocks without it
	require.NoError(t, err)
	require.Equal(t, 1, open)
	stuck, err := db.Intent(ctx, in.ID)
	require.NoError(t, err)
	require.Equal(t, tokenize.IntentPending, stuck.State, "stuck")
	require.GreaterOrEqual(t, len(stuck.Attempts), 2, "bumped while stuck")

	node.low.Store(false)
	deadline := time.Now().Add(30 * time.Second)
	for open > 0 {
		require.True(t, time.Now().Before(deadline), "not mined within 30s")
		open, err = m.Confirm(ctx, settle)
		require.NoError(t, err)
	}
	got, err := db.Intent(ctx, in.ID)
	require.NoError(t, err)
	require.Equal(t, tokenize.IntentConfirmed, got.State, got.Error)
	require.Greater(t, len(got.Attempts), len(stuck.Attempts), "the mined attempt is a bump at the market's fees")
	require.Equal(t, got.Attempts[len(got.Attempts)-1].Hash, got.TxHash)
	for _, a := range got.Attempts {
		tx := new(types.Transaction)
		require.NoError(t, tx.UnmarshalBinary(a.Raw))
		require.Equal(t, in.Nonce, tx.Nonce(), "every attempt at the intent's nonce")
	}

	// geth's own record: one Minted event of token 1, in the intent's
	// transaction; the signer's nonce moved by one.
	token := contracts.NewAssetToken()
	logs, err := ec.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{common.HexToAddress(contract)},
		Topics: [][]common.Hash{{token.GetABI().Events[contracts.AssetTokenMintedEventName].ID}}})
	require.NoError(t, err)
	require.Len(t, logs, 1, "minted once")
	require.Equal(t, got.TxHash, logs[0].TxHash.Hex())
	nonce, err := ec.NonceAt(ctx, common.HexToAddress(m.Signer()), nil)
	require.NoError(t, err)
	require.Equal(t, in.Nonce+1, nonce)
}
