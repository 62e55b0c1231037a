package ethchain_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/ethchain"
)

// benchBatch is how many mints each side sends per iteration: the
// Manager's default MaxInFlight, so both have the same window.
const benchBatch = ethchain.DefaultMaxInFlight

// mintBatchRaw sends n mints with bind v2 at consecutive nonces without
// waiting for any, mines one block once the pool holds them all, and
// awaits every receipt: the bare pipelined operation the Manager is
// measured against.
func (m *rawMinter) mintBatchRaw(tb testing.TB, first int64, n int) {
	ctx := tb.Context()
	nonce, err := m.sim.Client().PendingNonceAt(ctx, m.opts.From)
	if err != nil {
		tb.Fatal(err)
	}
	hashes := make([]common.Hash, n)
	for i := range n {
		opts := *m.opts
		opts.Nonce = new(big.Int).SetUint64(nonce + uint64(i))
		tx, err := bind.Transact(m.instance, &opts, m.token.PackMint(m.to, big.NewInt(first+int64(i)), "ipfs://bench", [32]byte{1}))
		if err != nil {
			tb.Fatal(err)
		}
		hashes[i] = tx.Hash()
	}
	// The pool promotes what it is sent in the background: a block mined
	// before it has leaves the rest for the next, which nothing else would
	// mine.
	for {
		pending, err := m.sim.Client().PendingNonceAt(ctx, m.opts.From)
		if err != nil {
			tb.Fatal(err)
		}
		if pending == nonce+uint64(n) {
			break
		}
		time.Sleep(100 * time.Microsecond)
	}
	m.sim.Backend().Commit()
	for _, h := range hashes {
		m.awaitMinted(tb, h)
	}
}

// benchManager is a Manager for the fixture's signer, its intents in
// SQLite (WAL, on disk, as the example server keeps them), mining a block
// each round of its loop.
func benchManager(tb testing.TB, f *fixture) *ethchain.Manager {
	db := intentStore(tb)
	m, err := f.sim.Manager(db, ethchain.ManagerConfig{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(tb, err)
	return m
}

// mintBatchManaged submits n mints through the Manager and runs its loop
// until every one is confirmed.
func mintBatchManaged(tb testing.TB, f *fixture, m *ethchain.Manager, first int64, n int) {
	ctx := tb.Context()
	calls := make([]tokenize.Call, n)
	for i := range int64(n) {
		p := tokenize.MintParams{To: f.alice, TokenNumber: big.NewInt(first + i), URI: "ipfs://bench", MetadataHash: [32]byte{1}}
		calls[i] = tokenize.Call{Kind: tokenize.KindMint, Key: fmt.Sprintf("mint:%d", first+i), Contract: f.contract, Mint: p}
	}
	submitAll(tb, m, calls)
	open, err := m.Confirm(ctx, func(context.Context, *tokenize.Intent) error { return nil })
	if err != nil || open != 0 {
		tb.Fatalf("confirm: %d open, %v", open, err)
	}
}

// submitAll submits the calls side by side, as the engine's mint jobs do
// (each runs in its asset's lane, so a burst of verified assets submits
// at once), and returns their intents.
func submitAll(tb testing.TB, m *ethchain.Manager, calls []tokenize.Call) []*tokenize.Intent {
	ins := make([]*tokenize.Intent, len(calls))
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { ins[i], errs[i] = m.Submit(tb.Context(), call) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	return ins
}

// BenchmarkManagerVsRawPipelined mints benchBatch tokens per iteration
// through the Manager (persisted intents, pipelined nonces, the loop
// confirming them together) and then the same with raw bind v2 pipelined
// sends, alternating on one simulated chain, and reports each side's
// mints per second and per block, and manager/raw, the Manager's share of
// raw throughput (the target is at least 0.8).
func BenchmarkManagerVsRawPipelined(b *testing.B) {
	f, raw := newRawMinter(b)
	m := benchManager(b, f)
	head := func() uint64 {
		n, err := f.sim.Client().BlockNumber(b.Context())
		require.NoError(b, err)
		return n
	}
	var managerTime, rawTime time.Duration
	var managerBlocks, rawBlocks uint64
	n := int64(0)
	for b.Loop() {
		h0, start := head(), time.Now()
		mintBatchManaged(b, f, m, n, benchBatch)
		h1, mid := head(), time.Now()
		raw.mintBatchRaw(b, n, benchBatch)
		h2 := head()
		managerTime += mid.Sub(start)
		rawTime += time.Since(mid)
		managerBlocks += h1 - h0
		rawBlocks += h2 - h1
		n += benchBatch
	}
	reportVsRaw(b, managerTime, rawTime, float64(managerBlocks), float64(rawBlocks))
}

// reportVsRaw reports the mints per second and per block of both sides of
// a benchmark that minted b.N batches on each, and their ratio.
func reportVsRaw(b *testing.B, managerTime, rawTime time.Duration, managerBlocks, rawBlocks float64) {
	mints := float64(b.N * benchBatch)
	managerRate, rawRate := mints/managerTime.Seconds(), mints/rawTime.Seconds()
	b.ReportMetric(managerRate, "manager-mints/s")
	b.ReportMetric(rawRate, "raw-mints/s")
	b.ReportMetric(mints/managerBlocks, "manager-mints/block")
	b.ReportMetric(mints/rawBlocks, "raw-mints/block")
	b.ReportMetric(managerRate/rawRate, "manager/raw")
}

// The benchmark's two sides mint what they say, each token once.
func TestBenchBatches(t *testing.T) {
	f, raw := newRawMinter(t)
	m := benchManager(t, f)
	mintBatchManaged(t, f, m, 0, 4)
	raw.mintBatchRaw(t, 0, 4)
	for _, contract := range []string{f.contract, raw.instance.Address().Hex()} {
		for i := range int64(4) {
			s, err := f.chain.Token(t.Context(), contract, big.NewInt(i))
			require.NoError(t, err)
			require.True(t, s.Exists, "token %d on %s", i, contract)
		}
	}
}
