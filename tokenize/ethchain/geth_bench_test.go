package ethchain_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/assetmint/assetmint/tokenize/ethchain"
)

// startGethDev runs a geth --dev node of the benchmark's own, one block a
// second, with a fresh key imported as its funded developer account, and
// geth's extra flags.
func startGethDev(tb testing.TB, bin string, flags ...string) (*ethclient.Client, *ecdsa.PrivateKey) {
	tb.Helper()
	dir := tb.TempDir()
	key, err := crypto.GenerateKey()
	require.NoError(tb, err)
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "key"), []byte(hexutil.Encode(crypto.FromECDSA(key))[2:]), 0o600))
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "password"), nil, 0o600))
	out, err := exec.Command(bin, "account", "import", "--lightkdf", "--datadir", filepath.Join(dir, "data"),
		"--password", filepath.Join(dir, "password"), filepath.Join(dir, "key")).CombinedOutput()
	require.NoError(tb, err, string(out))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	cmd := exec.Command(bin, "--dev", "--dev.period", "1", "--datadir", filepath.Join(dir, "data"), "--password", filepath.Join(dir, "password"),
		"--http", "--http.addr", "127.0.0.1", "--http.port", port, "--http.api", "eth,net,web3", "--verbosity", "1")
	cmd.Args = append(cmd.Args, flags...)
	require.NoError(tb, cmd.Start())
	tb.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		if ec, err := ethclient.Dial("http://127.0.0.1:" + port); err == nil {
			if _, err := ec.ChainID(context.Background()); err == nil {
				tb.Cleanup(ec.Close)
				return ec, key
			}
			ec.Close()
		}
		require.True(tb, time.Now().Before(deadline), "geth did not start")
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkManagerVsRawPipelinedGeth is BenchmarkManagerVsRawPipelined on
// geth --dev --dev.period 1 (ASSETMINT_TEST_GETH_BIN): one signer, 16
// mints per iteration through the Manager (submitted side by side, as the
// engine's mint jobs submit them), then 16 raw bind v2 sends at
// consecutive nonces, receipts awaited; mints per block counts the blocks
// that hold each side's mints.
func BenchmarkManagerVsRawPipelinedGeth(b *testing.B) {
	bin := os.Getenv("ASSETMINT_TEST_GETH_BIN")
	if bin == "" {
		b.Skip("needs a geth binary in ASSETMINT_TEST_GETH_BIN: it starts geth --dev --dev.period 1")
	}
	ec, key := startGethDev(b, bin)
	ctx := b.Context()
	chainID, err := ec.ChainID(ctx)
	require.NoError(b, err)
	chain, err := ethchain.New(ec, key, ethchain.Config{ChainID: chainID, PollInterval: 20 * time.Millisecond})
	require.NoError(b, err)
	contract, _, err := chain.Deploy(ctx, tokenize.DeployParams{Name: "bench", Symbol: "B"})
	require.NoError(b, err)
	db := intentStore(b)
	m, err := ethchain.NewManager(chain, db, ethchain.ManagerConfig{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)

	token := contracts.NewAssetToken()
	instance := token.Instance(ec, common.HexToAddress(contract))
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	to := crypto.PubkeyToAddress(key.PublicKey)

	managed := func(first int64) map[uint64]bool {
		calls := make([]tokenize.Call, benchBatch)
		for i := range int64(benchBatch) {
			p := tokenize.MintParams{To: to.Hex(), TokenNumber: big.NewInt(first + i), URI: "ipfs://bench", MetadataHash: [32]byte{1}}
			calls[i] = tokenize.Call{Kind: tokenize.KindMint, Key: fmt.Sprintf("mint:%d", first+i), Contract: contract, Mint: p}
		}
		submitted := submitAll(b, m, calls)
		open, err := m.Confirm(ctx, func(context.Context, *tokenize.Intent) error { return nil })
		require.NoError(b, err)
		require.Zero(b, open)
		blocks := map[uint64]bool{}
		for _, s := range submitted {
			in, err := db.Intent(ctx, s.ID)
			require.NoError(b, err)
			require.Equal(b, tokenize.IntentConfirmed, in.State)
			blocks[in.BlockNumber] = true
		}
		return blocks
	}
	raw := func(first int64) map[uint64]bool {
		nonce, err := ec.PendingNonceAt(ctx, to)
		require.NoError(b, err)
		hashes := make([]common.Hash, benchBatch)
		for i := range benchBatch {
			o := *opts
			o.Nonce = new(big.Int).SetUint64(nonce + uint64(i))
			tx, err := bind.Transact(instance, &o, token.PackMint(to, big.NewInt(first+int64(i)), "ipfs://bench", [32]byte{1}))
			require.NoError(b, err)
			hashes[i] = tx.Hash()
		}
		blocks := map[uint64]bool{}
		for _, h := range hashes {
			for {
				r, err := ec.TransactionReceipt(ctx, h)
				if err == nil {
					require.Equal(b, types.ReceiptStatusSuccessful, r.Status)
					blocks[r.BlockNumber.Uint64()] = true
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		return blocks
	}

	var managerTime, rawTime time.Duration
	var managerBlocks, rawBlocks int
	n := int64(1_000_000)
	for b.Loop() {
		start := time.Now()
		managerBlocks += len(managed(n))
		mid := time.Now()
		rawBlocks += len(raw(n + benchBatch))
		managerTime += mid.Sub(start)
		rawTime += time.Since(mid)
		n += 2 * benchBatch
	}
	reportVsRaw(b, managerTime, rawTime, float64(managerBlocks), float64(rawBlocks))
}
