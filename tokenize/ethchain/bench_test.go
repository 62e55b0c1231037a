package ethchain_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

// rawMinter mints with plain bind v2 calls: bind.Transact, Commit, and the
// receipt fetched directly (bind.WaitMined would sleep a second whenever
// the receipt is not indexed at once).
type rawMinter struct {
	sim      *simchain.Sim
	token    *contracts.AssetToken
	instance *bind.BoundContract
	opts     *bind.TransactOpts
	to       common.Address
}

// newRawMinter funds a key of its own (the adapter assumes it is its key's
// only sender) and deploys its own AssetToken with bind v2.
func newRawMinter(tb testing.TB) (*fixture, *rawMinter) {
	key, err := crypto.GenerateKey()
	require.NoError(tb, err)
	from := crypto.PubkeyToAddress(key.PublicKey)
	f := setup(tb, simchain.Config{Accounts: []common.Address{from}})

	opts := bind.NewKeyedTransactor(key, simchain.ChainID)
	opts.Context = tb.Context()
	token := contracts.NewAssetToken()
	addr, tx, err := bind.DeployContract(opts, common.FromHex(contracts.AssetTokenMetaData.Bin), f.sim.Client(),
		token.PackConstructor("raw", "RAW", from, from, from))
	require.NoError(tb, err)
	f.sim.Backend().Commit()
	_, err = bind.WaitDeployed(tb.Context(), f.sim.Client(), tx.Hash())
	require.NoError(tb, err)
	return f, &rawMinter{sim: f.sim, token: token, opts: opts, to: common.HexToAddress(f.alice),
		instance: token.Instance(f.sim.Client(), addr)}
}

func (m *rawMinter) mint(tb testing.TB, n *big.Int) {
	tx, err := bind.Transact(m.instance, m.opts, m.token.PackMint(m.to, n, "ipfs://bench", [32]byte{1}))
	if err != nil {
		tb.Fatal(err)
	}
	m.sim.Backend().Commit()
	m.awaitMinted(tb, tx.Hash())
}

// awaitMinted waits for the receipt of the mint h and fails unless it
// succeeded.
func (m *rawMinter) awaitMinted(tb testing.TB, h common.Hash) {
	for {
		r, err := m.sim.Client().TransactionReceipt(tb.Context(), h)
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				tb.Fatal("mint failed")
			}
			return
		}
		if !errors.Is(err, ethereum.NotFound) && err.Error() != "transaction indexing is in progress" {
			tb.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
}

func (f *fixture) benchMint(tb testing.TB, n *big.Int) {
	p := tokenize.MintParams{To: f.alice, TokenNumber: n, URI: "ipfs://bench", MetadataHash: [32]byte{1}}
	if _, err := f.chain.Mint(tb.Context(), f.contract, p); err != nil {
		tb.Fatal(err)
	}
}

func mintsPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mints/s")
}

// BenchmarkMintThroughAdapter mints through ethchain.Chain on the simulated
// chain: estimate with margin, local nonce, send, commit, receipt poll.
func BenchmarkMintThroughAdapter(b *testing.B) {
	f := setup(b, simchain.Config{})
	n := int64(0)
	for b.Loop() {
		n++
		f.benchMint(b, big.NewInt(n))
	}
	mintsPerSecond(b)
}

// BenchmarkMintRawBindV2 is the same mint with raw bind v2 calls.
func BenchmarkMintRawBindV2(b *testing.B) {
	_, raw := newRawMinter(b)
	n := int64(0)
	for b.Loop() {
		n++
		raw.mint(b, big.NewInt(n))
	}
	mintsPerSecond(b)
}

// BenchmarkMintRatio alternates the two on one chain and reports each
// one's rate and adapter/raw, the adapter's share of raw throughput.
func BenchmarkMintRatio(b *testing.B) {
	f, raw := newRawMinter(b)
	var adapterTime, rawTime time.Duration
	n := int64(0)
	for b.Loop() {
		n += 2
		start := time.Now()
		f.benchMint(b, big.NewInt(n))
		mid := time.Now()
		raw.mint(b, big.NewInt(n+1))
		adapterTime += mid.Sub(start)
		rawTime += time.Since(mid)
	}
	adapterRate := float64(b.N) / adapterTime.Seconds()
	rawRate := float64(b.N) / rawTime.Seconds()
	b.ReportMetric(adapterRate, "adapter-mints/s")
	b.ReportMetric(rawRate, "raw-mints/s")
	b.ReportMetric(adapterRate/rawRate, "adapter/raw")
}

func TestRawMinter(t *testing.T) {
	f, raw := newRawMinter(t)
	raw.mint(t, big.NewInt(1))
	f.benchMint(t, big.NewInt(1))
	for _, contract := range []string{f.contract, raw.instance.Address().Hex()} {
		s, err := f.chain.Token(t.Context(), contract, big.NewInt(1))
		require.NoError(t, err)
		require.True(t, s.Exists)
	}
}
