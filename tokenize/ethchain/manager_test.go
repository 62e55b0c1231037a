package ethchain_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/assetmint/assetmint/tokenize/ethchain"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

// faulty is the simulated node with faults a test turns on: down (every
// call fails as a refused connection), a tip suggestion of its own, and a
// hook on every broadcast that decides whether the transaction reaches the
// node and what the caller is told.
type faulty struct {
	simulated.Client
	mu   sync.Mutex
	down bool
	tip  *big.Int
	// onSend, when set, is asked about every broadcast: send says whether
	// the node gets the transaction; err is what the caller is told.
	onSend func(tx *types.Transaction) (send bool, err error)
	sends  int
}

var errRefused = errors.New("dial tcp 127.0.0.1:8545: connect: connection refused")

func (f *faulty) isDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down
}

func (f *faulty) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *faulty) setTip(tip *big.Int) {
	f.mu.Lock()
	f.tip = tip
	f.mu.Unlock()
}

func (f *faulty) setOnSend(fn func(tx *types.Transaction) (bool, error)) {
	f.mu.Lock()
	f.onSend = fn
	f.mu.Unlock()
}

func (f *faulty) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	f.mu.Lock()
	down, hook := f.down, f.onSend
	f.sends++
	f.mu.Unlock()
	if down {
		return errRefused
	}
	if hook != nil {
		send, err := hook(tx)
		if send {
			if serr := f.Client.SendTransaction(ctx, tx); serr != nil {
				return serr
			}
		}
		if err != nil || !send {
			return err
		}
		return nil
	}
	return f.Client.SendTransaction(ctx, tx)
}

func (f *faulty) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	f.mu.Lock()
	tip := f.tip
	f.mu.Unlock()
	if f.isDown() {
		return nil, errRefused
	}
	if tip != nil {
		return new(big.Int).Set(tip), nil
	}
	return f.Client.SuggestGasTipCap(ctx)
}

func (f *faulty) HeaderByNumber(ctx context.Context, n *big.Int) (*types.Header, error) {
	if f.isDown() {
		return nil, errRefused
	}
	return f.Client.HeaderByNumber(ctx, n)
}

func (f *faulty) NonceAt(ctx context.Context, a common.Address, n *big.Int) (uint64, error) {
	if f.isDown() {
		return 0, errRefused
	}
	return f.Client.NonceAt(ctx, a, n)
}

func (f *faulty) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	if f.isDown() {
		return 0, errRefused
	}
	return f.Client.PendingNonceAt(ctx, a)
}

func (f *faulty) PendingCodeAt(ctx context.Context, a common.Address) ([]byte, error) {
	if f.isDown() {
		return nil, errRefused
	}
	return f.Client.PendingCodeAt(ctx, a)
}

func (f *faulty) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	if f.isDown() {
		return 0, errRefused
	}
	return f.Client.EstimateGas(ctx, msg)
}

func (f *faulty) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	if f.isDown() {
		return nil, errRefused
	}
	return f.Client.TransactionReceipt(ctx, h)
}

func (f *faulty) TransactionByHash(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	if f.isDown() {
		return nil, false, errRefused
	}
	return f.Client.TransactionByHash(ctx, h)
}

// mfix is a simulated chain with an AssetToken, and a Manager for its
// signer over a faulty view of it, its intents in SQLite.
type mfix struct {
	*fixture
	node    *faulty
	store   *sqlite.DB
	m       *ethchain.Manager
	clock   *testclock.Clock
	logs    *syncBuffer
	settled *settled
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// settled counts the outcomes a SettleFunc was given, by intent.
type settled struct {
	mu    sync.Mutex
	times map[int64]int
	state map[int64]tokenize.IntentState
}

func (s *settled) settle(_ context.Context, in *tokenize.Intent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.times[in.ID]++
	s.state[in.ID] = in.State
	return nil
}

func (s *settled) of(id int64) (int, tokenize.IntentState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times[id], s.state[id]
}

// intentStore is a migrated SQLite store for a manager's intents, on disk
// in the test's folder (WAL, synchronous FULL, as the example server keeps
// them), closed at the end of the test.
func intentStore(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(filepath.Join(tb.TempDir(), "intents.db"), sqlite.Config{})
	require.NoError(tb, err)
	tb.Cleanup(func() { db.Close() })
	require.NoError(tb, db.Migrate(context.Background()))
	return db
}

// managerSetup builds an mfix; mine says whether each round of the loop
// mines a block (otherwise the test commits).
func managerSetup(t testing.TB, mine bool, chainCfg ethchain.Config, cfg ethchain.ManagerConfig) *mfix {
	t.Helper()
	f := setup(t, simchain.Config{})
	db := intentStore(t)
	mf := &mfix{fixture: f, node: &faulty{Client: f.sim.Client()}, store: db,
		clock: testclock.New(time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)), logs: &syncBuffer{},
		settled: &settled{times: map[int64]int{}, state: map[int64]tokenize.IntentState{}}}
	chainCfg.ChainID = simchain.ChainID
	if chainCfg.PollInterval == 0 {
		chainCfg.PollInterval = time.Millisecond
	}
	chain, err := ethchain.New(mf.node, f.sim.Key(), chainCfg)
	require.NoError(t, err)
	if mine {
		cfg.Mine = func() { f.sim.Backend().Commit() }
	}
	cfg.Now = mf.clock.Now
	cfg.Logger = slog.New(slog.NewTextHandler(mf.logs, nil))
	if cfg.ConfirmFor == 0 {
		cfg.ConfirmFor = 5 * time.Second
	}
	mf.m, err = ethchain.NewManager(chain, db, cfg)
	require.NoError(t, err)
	return mf
}

func (mf *mfix) mintCall(n int64) tokenize.Call {
	return tokenize.Call{Kind: tokenize.KindMint, Key: fmt.Sprintf("mint:%d", n), Contract: mf.contract, Mint: mf.mintParams(n)}
}

func (mf *mfix) submit(t testing.TB, call tokenize.Call) *tokenize.Intent {
	t.Helper()
	in, err := mf.m.Submit(t.Context(), call)
	require.NoError(t, err)
	return in
}

// confirm runs the loop until nothing is open.
func (mf *mfix) confirm(t testing.TB) {
	t.Helper()
	open, err := mf.m.Confirm(t.Context(), mf.settled.settle)
	require.NoError(t, err)
	require.Zero(t, open, "intents still open")
}

// round runs one round of the loop.
func (mf *mfix) round(t testing.TB) int {
	t.Helper()
	open, err := mf.m.Round(t.Context(), mf.settled.settle)
	require.NoError(t, err)
	return open
}

func (mf *mfix) intent(t testing.TB, id int64) *tokenize.Intent {
	t.Helper()
	in, err := mf.store.Intent(t.Context(), id)
	require.NoError(t, err)
	return in
}

// mintedEvents counts the Minted events of each token number on the
// canonical chain, read with bind v2 (independently of the manager).
func (mf *mfix) mintedEvents(t testing.TB) map[string]int {
	t.Helper()
	token := contracts.NewAssetToken()
	logs, err := mf.sim.Client().FilterLogs(t.Context(), ethereum.FilterQuery{
		FromBlock: big.NewInt(0), Addresses: []common.Address{common.HexToAddress(mf.contract)},
		Topics: [][]common.Hash{{token.GetABI().Events[contracts.AssetTokenMintedEventName].ID}},
	})
	require.NoError(t, err)
	out := map[string]int{}
	for i := range logs {
		ev, err := token.UnpackMintedEvent(&logs[i])
		require.NoError(t, err)
		out[ev.TokenId.String()]++
	}
	return out
}

// requireLandedOnce checks that each intent is confirmed through one of
// its attempts, settled once, and minted its token exactly once.
func (mf *mfix) requireLandedOnce(t testing.TB, ins ...*tokenize.Intent) {
	t.Helper()
	events := mf.mintedEvents(t)
	for _, in := range ins {
		got := mf.intent(t, in.ID)
		require.Equal(t, tokenize.IntentConfirmed, got.State, "intent %d: %s", got.ID, got.Error)
		require.False(t, got.SettledAt.IsZero())
		times, state := mf.settled.of(in.ID)
		require.Equal(t, 1, times, "settled once")
		require.Equal(t, tokenize.IntentConfirmed, state)
		r, err := mf.sim.Client().TransactionReceipt(t.Context(), common.HexToHash(got.TxHash))
		require.NoError(t, err)
		require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
		require.Equal(t, got.BlockHash, r.BlockHash.Hex(), "the canonical block")
		hashes := []string{}
		for _, a := range got.Attempts {
			hashes = append(hashes, a.Hash)
		}
		require.Contains(t, hashes, got.TxHash)
		if got.Kind == tokenize.KindMint {
			n := strings.TrimPrefix(got.Key, "mint:")
			require.Equal(t, 1, events[n], "token %s minted once", n)
		}
	}
}

func (mf *mfix) pendingNonce(t testing.TB) uint64 {
	n, err := mf.sim.Client().PendingNonceAt(t.Context(), common.HexToAddress(mf.m.Signer()))
	require.NoError(t, err)
	return n
}

// Sixteen intents in flight at once, sent without waiting, are mined in
// one block and confirmed together.
func TestManagerPipelinesIntoOneBlock(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
	base := mf.pendingNonce(t)
	var ins []*tokenize.Intent
	for i := range int64(16) {
		in := mf.submit(t, mf.mintCall(100+i))
		require.Equal(t, base+uint64(i), in.Nonce)
		require.Len(t, in.Attempts, 1)
		ins = append(ins, in)
	}
	// (The pool promotes what it is sent in the background.)
	require.Eventually(t, func() bool { return mf.pendingNonce(t) == base+16 }, 5*time.Second, time.Millisecond,
		"all sent before any is mined")
	mf.sim.Backend().Commit()
	mf.confirm(t)
	mf.requireLandedOnce(t, ins...)
	block := mf.intent(t, ins[0].ID).BlockNumber
	for _, in := range ins {
		require.Equal(t, block, mf.intent(t, in.ID).BlockNumber, "one block")
	}
	s, err := mf.m.State(t.Context())
	require.NoError(t, err)
	require.Zero(t, s.InFlight)
	require.Equal(t, base+16, s.NextNonce)
	require.Equal(t, base+16, s.ChainNonce)
}

// countingStore records what a Manager writes: the keys of each
// CreateIntents call, each UpdateIntent, and the intents of each
// UpdateIntents call.
type countingStore struct {
	tokenize.IntentStore
	mu      sync.Mutex
	creates [][]string
	singles int
	batches [][]int64
}

func (c *countingStore) CreateIntents(ctx context.Context, ins ...*tokenize.Intent) error {
	keys := []string{}
	for _, in := range ins {
		keys = append(keys, in.Key)
	}
	c.mu.Lock()
	c.creates = append(c.creates, keys)
	c.mu.Unlock()
	return c.IntentStore.CreateIntents(ctx, ins...)
}

func (c *countingStore) UpdateIntent(ctx context.Context, in *tokenize.Intent) error {
	c.mu.Lock()
	c.singles++
	c.mu.Unlock()
	return c.IntentStore.UpdateIntent(ctx, in)
}

func (c *countingStore) UpdateIntents(ctx context.Context, ins []*tokenize.Intent) error {
	ids := []int64{}
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	c.mu.Lock()
	c.batches = append(c.batches, ids)
	c.mu.Unlock()
	return c.IntentStore.UpdateIntents(ctx, ins)
}

// A round of the loop writes what it changed together: intents mined in
// one block are confirmed in one store call, and, once that is stored,
// settled in another.
func TestManagerWritesARoundTogether(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
	store := &countingStore{IntentStore: mf.store}
	m, err := mf.sim.Manager(store, ethchain.ManagerConfig{Mine: func() {}, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	base := mf.pendingNonce(t)
	var ins []*tokenize.Intent
	var ids []int64
	for i := range int64(8) {
		in, err := m.Submit(t.Context(), mf.mintCall(200+i))
		require.NoError(t, err)
		ins, ids = append(ins, in), append(ids, in.ID)
	}
	require.Eventually(t, func() bool { return mf.pendingNonce(t) == base+8 }, 5*time.Second, time.Millisecond)
	mf.sim.Backend().Commit()
	open, err := m.Confirm(t.Context(), mf.settled.settle)
	require.NoError(t, err)
	require.Zero(t, open)
	mf.requireLandedOnce(t, ins...)
	require.Zero(t, store.singles, "no update written by itself")
	require.Equal(t, [][]int64{ids, ids}, store.batches, "confirmed together, then settled together")
	for _, in := range ins {
		require.Equal(t, int64(3), mf.intent(t, in.ID).Version, "confirmed, then settled")
	}
}

// Submits that arrive while another is being sent are recorded together:
// one store transaction for all of them, at consecutive nonces, each call
// answered with its own intent. A key twice in one burst is one intent.
func TestManagerRecordsConcurrentSubmitsTogether(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
	store := &countingStore{IntentStore: mf.store}
	chain, err := ethchain.New(mf.node, mf.sim.Key(), ethchain.Config{ChainID: simchain.ChainID, PollInterval: time.Millisecond})
	require.NoError(t, err)
	m, err := ethchain.NewManager(chain, store, ethchain.ManagerConfig{Mine: func() { mf.sim.Backend().Commit() },
		Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	base := mf.pendingNonce(t)

	// The first broadcast is held at the node, so the first Submit holds
	// the send lock while the others arrive.
	release, holding := make(chan struct{}), make(chan struct{})
	var once sync.Once
	mf.node.setOnSend(func(*types.Transaction) (bool, error) {
		once.Do(func() { close(holding); <-release })
		return true, nil
	})
	calls := []tokenize.Call{mf.mintCall(0)}
	for i := range int64(14) {
		calls = append(calls, mf.mintCall(1+i))
	}
	calls = append(calls, mf.mintCall(7)) // a key already in the burst
	ins := make([]*tokenize.Intent, len(calls))
	var wg sync.WaitGroup
	submit := func(i int) {
		wg.Go(func() {
			var err error
			ins[i], err = m.Submit(t.Context(), calls[i])
			require.NoError(t, err)
		})
	}
	submit(0)
	<-holding
	for i := 1; i < len(calls); i++ {
		submit(i)
	}
	// Each joins the queue once its reads are done.
	require.Eventually(t, func() bool { return m.Queued() == len(calls)-1 }, 10*time.Second, time.Millisecond)
	store.mu.Lock()
	require.Len(t, store.creates, 1, "the first, recorded before its broadcast was held")
	store.mu.Unlock()
	close(release)
	wg.Wait()

	require.Equal(t, ins[7].ID, ins[15].ID, "one intent for the key submitted twice")
	nonces := map[uint64]bool{}
	for i, in := range ins[:15] {
		require.Equal(t, calls[i].Key, in.Key)
		nonces[in.Nonce] = true
	}
	require.Len(t, nonces, 15, "a nonce each")
	for n := range nonces {
		require.Less(t, n, base+15, "consecutive from the node's")
	}
	store.mu.Lock()
	creates := store.creates
	store.mu.Unlock()
	require.Equal(t, []string{"mint:0"}, creates[0])
	require.Len(t, creates, 2, "the burst in one transaction: %v", creates)
	require.Len(t, creates[1], 14, "the key submitted twice recorded once")

	open, err := m.Confirm(t.Context(), mf.settled.settle)
	require.NoError(t, err)
	require.Zero(t, open)
	mf.requireLandedOnce(t, ins[:15]...)
}

// Submit waits while MaxInFlight intents are in flight, and goes on once
// a block frees room.
func TestManagerWaitsForRoom(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{MaxInFlight: 4})
	for i := range int64(4) {
		mf.submit(t, mf.mintCall(i))
	}
	done := make(chan *tokenize.Intent, 1)
	go func() {
		in, err := mf.m.Submit(t.Context(), mf.mintCall(4))
		if err != nil {
			t.Error(err)
		}
		done <- in
	}()
	select {
	case <-done:
		t.Fatal("a fifth intent went out while four were in flight")
	case <-time.After(100 * time.Millisecond):
	}
	mf.sim.Backend().Commit()
	select {
	case in := <-done:
		require.Equal(t, tokenize.IntentPending, in.State)
	case <-time.After(5 * time.Second):
		t.Fatal("Submit did not go on after the block")
	}
}

// An action submitted again while its intent is in flight, or after it
// was confirmed, sends nothing; after it reverted, it is tried anew.
func TestManagerOneIntentPerKey(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
	first := mf.submit(t, mf.mintCall(1))
	again := mf.submit(t, mf.mintCall(1))
	require.Equal(t, first.ID, again.ID)
	require.Len(t, again.Attempts, 1)
	mf.confirm(t)
	again = mf.submit(t, mf.mintCall(1))
	require.Equal(t, first.ID, again.ID, "confirmed: the action is done")
	mf.requireLandedOnce(t, first)

	// Two locks of one token in one block (another action's key): the
	// second reverts on chain, which frees its key.
	lock := func(key string) tokenize.Call {
		return tokenize.Call{Kind: tokenize.KindLock, Key: key, Contract: mf.contract, TokenNumber: big.NewInt(1)}
	}
	_, err := mf.m.Submit(t.Context(), lock("lock:x"))
	require.NoError(t, err)
	locking := mf.submit(t, lock("lock:y"))
	mf.confirm(t)
	got := mf.intent(t, locking.ID)
	require.Equal(t, tokenize.IntentReverted, got.State)
	require.Contains(t, got.Error, "AlreadyLocked")
	_, state := mf.settled.of(locking.ID)
	require.Equal(t, tokenize.IntentReverted, state)
	live, err := mf.m.Live(t.Context(), "lock:y")
	require.NoError(t, err)
	require.Nil(t, live, "a reverted intent is not live")
	live, err = mf.m.Live(t.Context(), "lock:x")
	require.NoError(t, err)
	require.Equal(t, tokenize.IntentConfirmed, live.State)

	// An estimate that reverts records nothing.
	_, err = mf.m.Submit(t.Context(), lock("lock:y"))
	require.ErrorIs(t, err, tokenize.ErrReverted)
	require.ErrorContains(t, err, "AlreadyLocked")
	_, err = mf.m.Submit(t.Context(), tokenize.Call{Kind: tokenize.KindUnlock, Key: "unlock:y", Contract: mf.contract, TokenNumber: big.NewInt(1)})
	require.NoError(t, err)
	mf.confirm(t)
	retried := mf.submit(t, lock("lock:y"))
	require.NotEqual(t, locking.ID, retried.ID, "the key is free again")
	mf.confirm(t)
	require.Equal(t, tokenize.IntentConfirmed, mf.intent(t, retried.ID).State)
}

// A transaction priced under what the miner takes is stuck; after
// BumpAfter it is replaced at the same nonce with higher fees (accepted by
// the node's pool, which wants 10 % more) and mined.
func TestManagerBumpsAStuckTransaction(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{BumpAfter: time.Minute})
	mf.node.setTip(big.NewInt(1)) // one wei: under the simulated miner's minimum tip
	in := mf.submit(t, mf.mintCall(1))
	for range 3 {
		mf.round(t)
	}
	require.Equal(t, tokenize.IntentPending, mf.intent(t, in.ID).State, "stuck")
	require.Len(t, mf.intent(t, in.ID).Attempts, 1, "not bumped before BumpAfter")

	// Still underpriced: the bump is 10 % over the first and the pool takes
	// it in place of the first.
	mf.clock.Advance(time.Minute)
	mf.round(t)
	got := mf.intent(t, in.ID)
	require.Len(t, got.Attempts, 2)
	require.Equal(t, in.Nonce, in.Nonce)
	first, second := got.Attempts[0], got.Attempts[1]
	require.GreaterOrEqual(t, second.GasTipCap.Int64()*100, first.GasTipCap.Int64()*110)
	require.GreaterOrEqual(t, new(big.Int).Mul(second.GasFeeCap, big.NewInt(100)).Cmp(new(big.Int).Mul(first.GasFeeCap, big.NewInt(110))), 0)
	_, _, err := mf.sim.Client().TransactionByHash(t.Context(), common.HexToHash(second.Hash))
	require.NoError(t, err, "the pool took the replacement")
	_, _, err = mf.sim.Client().TransactionByHash(t.Context(), common.HexToHash(first.Hash))
	require.ErrorIs(t, err, ethereum.NotFound, "and dropped the first")
	require.NotContains(t, got.Error, "underpriced")

	// The market's fees again: the next bump is mined.
	mf.node.setTip(nil)
	mf.clock.Advance(time.Minute)
	mf.confirm(t)
	got = mf.intent(t, in.ID)
	require.Len(t, got.Attempts, 3)
	require.Equal(t, got.Attempts[2].Hash, got.TxHash)
	mf.requireLandedOnce(t, in)
	require.Contains(t, mf.logs.String(), "replaced a stuck transaction")
}

// A stuck transaction whose bump the cap would hold under the replacement
// minimum is not replaced: the operator sees a warning and the metric.
func TestManagerFeeCapReached(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{BumpAfter: time.Minute})
	mf.node.setTip(big.NewInt(1))
	in := mf.submit(t, mf.mintCall(1))
	// The cap: what the first attempt pays, so no bump fits under it.
	capped := managerOver(t, mf, ethchain.ManagerConfig{BumpAfter: time.Minute, MaxFeePerGas: in.Attempts[0].GasFeeCap})
	mf.node.setTip(nil) // the market moved up; the cap holds
	mf.clock.Advance(time.Minute)
	for range 3 {
		_, err := capped.Round(t.Context(), mf.settled.settle)
		require.NoError(t, err)
	}
	got := mf.intent(t, in.ID)
	require.Len(t, got.Attempts, 1, "no replacement over the cap")
	require.Contains(t, got.Error, "fees at the cap")
	require.Contains(t, mf.logs.String(), `level=WARN msg="ethchain: fee cap reached"`)
	require.Equal(t, 1, strings.Count(mf.logs.String(), "fee cap reached"), "once per BumpAfter, not every round")
	s, err := capped.State(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, s.FeeCapped)
	require.GreaterOrEqual(t, s.FeeCapHits, uint64(1))
	require.Contains(t, s.LastError, "fees at the cap")
	require.Equal(t, 1, s.InFlight)
	require.Equal(t, mf.clock.Now().Add(-time.Minute), s.OldestInFlight)
}

// managerOver is another Manager on mf's node, store and clock.
func managerOver(t testing.TB, mf *mfix, cfg ethchain.ManagerConfig) *ethchain.Manager {
	t.Helper()
	chain, err := ethchain.New(mf.node, mf.sim.Key(), ethchain.Config{ChainID: simchain.ChainID, PollInterval: time.Millisecond})
	require.NoError(t, err)
	cfg.Now = mf.clock.Now
	cfg.Logger = slog.New(slog.NewTextHandler(mf.logs, nil))
	cfg.Mine = func() { mf.sim.Backend().Commit() }
	m, err := ethchain.NewManager(chain, mf.store, cfg)
	require.NoError(t, err)
	return m
}

// The node down: Submit records nothing and fails; intents in flight wait
// (the fault noted) and are confirmed once it is back.
func TestManagerNodeDown(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
	mf.node.setDown(true)
	_, err := mf.m.Submit(t.Context(), mf.mintCall(1))
	require.ErrorIs(t, err, errRefused)
	open, err := mf.store.OpenIntents(t.Context(), "1337", mf.m.Signer())
	require.NoError(t, err)
	require.Empty(t, open, "nothing recorded")

	mf.node.setDown(false)
	in := mf.submit(t, mf.mintCall(1))
	mf.node.setDown(true)
	require.Equal(t, 1, mf.round(t))
	got := mf.intent(t, in.ID)
	require.Equal(t, tokenize.IntentPending, got.State)
	require.Contains(t, got.Error, "the node is unreachable")
	s, err := mf.m.State(t.Context())
	require.NoError(t, err)
	require.Contains(t, s.LastError, "connection refused")

	mf.node.setDown(false)
	mf.confirm(t)
	mf.requireLandedOnce(t, in)
	require.Len(t, mf.intent(t, in.ID).Attempts, 1)
}

// The connection reset while a broadcast was answered: whether or not the
// node got the transaction, the intent lands once, with its one attempt.
func TestManagerConnectionReset(t *testing.T) {
	reset := errors.New("read tcp 127.0.0.1:50000->127.0.0.1:8545: read: connection reset by peer")
	for _, reached := range []bool{true, false} {
		t.Run(fmt.Sprintf("node got it %v", reached), func(t *testing.T) {
			mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
			once := true
			mf.node.setOnSend(func(*types.Transaction) (bool, error) {
				if once {
					once = false
					return reached, reset
				}
				return true, nil
			})
			in := mf.submit(t, mf.mintCall(1))
			require.Contains(t, mf.intent(t, in.ID).Error, "connection reset by peer")
			mf.confirm(t)
			mf.requireLandedOnce(t, in)
			require.Len(t, mf.intent(t, in.ID).Attempts, 1, "the same transaction, not a new one")
			require.Equal(t, !reached, strings.Contains(mf.logs.String(), "broadcast again"))
		})
	}
}

// "nonce too low": the nonce of an intent is taken by another transaction
// of the signer (another program with the key) before the intent reached
// the node. The intent fails, settled as such; nothing of it lands; the
// next intent takes the next nonce.
func TestManagerNonceTooLow(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
	mf.node.setOnSend(func(*types.Transaction) (bool, error) {
		return false, errors.New("nonce too low: next nonce 2, tx nonce 1")
	})
	in := mf.submit(t, mf.mintCall(1))
	mf.node.setOnSend(nil)

	opts := bind.NewKeyedTransactor(mf.sim.Key(), simchain.ChainID)
	opts.Context = t.Context()
	opts.Nonce = new(big.Int).SetUint64(in.Nonce)
	token := contracts.NewAssetToken()
	other, err := bind.Transact(token.Instance(mf.sim.Client(), common.HexToAddress(mf.contract)), opts,
		token.PackMint(common.HexToAddress(mf.alice), big.NewInt(77), "other", [32]byte{}))
	require.NoError(t, err)
	mf.sim.Backend().Commit()

	mf.confirm(t)
	got := mf.intent(t, in.ID)
	require.Equal(t, tokenize.IntentFailed, got.State)
	require.Contains(t, got.Error, "was used by another transaction")
	times, state := mf.settled.of(in.ID)
	require.Equal(t, 1, times)
	require.Equal(t, tokenize.IntentFailed, state)
	require.Zero(t, mf.mintedEvents(t)["1"], "the intent's mint never landed")
	r, err := mf.sim.Client().TransactionReceipt(t.Context(), other.Hash())
	require.NoError(t, err)
	require.Equal(t, in.Nonce, other.Nonce())
	require.Equal(t, r.BlockNumber.Uint64(), mf.head(t))

	// The action again: a new intent at the next nonce.
	next := mf.submit(t, mf.mintCall(1))
	require.NotEqual(t, in.ID, next.ID)
	require.Equal(t, in.Nonce+1, next.Nonce)
	mf.sim.Backend().Commit()
	mf.confirm(t)
	mf.requireLandedOnce(t, next)
}

func (mf *mfix) head(t testing.TB) uint64 {
	n, err := mf.sim.Client().BlockNumber(t.Context())
	require.NoError(t, err)
	return n
}

// "already known": the node answers that it holds the transaction (a
// broadcast repeated by a retrying client, a load balancer sending twice).
// The intent is in flight, not in trouble.
func TestManagerAlreadyKnown(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
	mf.node.setOnSend(func(*types.Transaction) (bool, error) { return true, errors.New("already known") })
	in := mf.submit(t, mf.mintCall(1))
	require.Empty(t, mf.intent(t, in.ID).Error)
	// And the real node's answer to the same bytes again.
	mf.node.setOnSend(nil)
	tx := new(types.Transaction)
	require.NoError(t, tx.UnmarshalBinary(in.Attempts[0].Raw))
	require.ErrorContains(t, mf.sim.Client().SendTransaction(t.Context(), tx), "already known")
	mf.confirm(t)
	mf.requireLandedOnce(t, in)
}

// "replacement transaction underpriced": the node refuses a bump (it
// holds an attempt of the nonce paying as much: another instance's bump).
// The next bump goes 10 % over the highest attempt recorded, refused one
// included, and lands.
func TestManagerReplacementUnderpriced(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{BumpAfter: time.Minute})
	mf.node.setTip(big.NewInt(1))
	in := mf.submit(t, mf.mintCall(1))
	mf.node.setOnSend(func(*types.Transaction) (bool, error) {
		return false, errors.New("replacement transaction underpriced")
	})
	mf.clock.Advance(time.Minute)
	mf.round(t)
	got := mf.intent(t, in.ID)
	require.Len(t, got.Attempts, 2)
	require.Contains(t, got.Error, "replacement transaction underpriced")
	require.Equal(t, tokenize.IntentPending, got.State)

	mf.node.setOnSend(nil)
	mf.node.setTip(nil)
	mf.clock.Advance(time.Minute)
	mf.confirm(t)
	got = mf.intent(t, in.ID)
	require.Len(t, got.Attempts, 3)
	require.Equal(t, got.Attempts[2].Hash, got.TxHash)
	require.GreaterOrEqual(t, new(big.Int).Mul(got.Attempts[2].GasTipCap, big.NewInt(100)).Cmp(new(big.Int).Mul(got.Attempts[1].GasTipCap, big.NewInt(110))), 0)
	mf.requireLandedOnce(t, in)
}

// A dropped transaction: the node lost its pool (a restart). Each intent
// is broadcast again, byte for byte, and lands once.
func TestManagerDroppedTransactions(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
	var ins []*tokenize.Intent
	for i := range int64(3) {
		ins = append(ins, mf.submit(t, mf.mintCall(i)))
	}
	mf.sim.Backend().Rollback() // the pool is empty
	base := ins[0].Nonce
	require.Equal(t, base, mf.pendingNonce(t))
	mf.round(t) // broadcasts them again
	require.Eventually(t, func() bool { return mf.pendingNonce(t) == base+3 }, 5*time.Second, time.Millisecond)
	mf.sim.Backend().Commit()
	mf.confirm(t)
	mf.requireLandedOnce(t, ins...)
	for _, in := range ins {
		got := mf.intent(t, in.ID)
		require.Len(t, got.Attempts, 1)
		require.Equal(t, in.Attempts[0].Hash, got.TxHash)
	}
	require.Equal(t, 3, strings.Count(mf.logs.String(), "broadcast again"))
}

// A nonce gap: the first intent never reached the node, so the later ones
// wait in its queue. It is broadcast again and all three land in one block.
// If the node refuses it for good, a no-op fills its nonce: the later ones
// land, and it fails.
func TestManagerNonceGap(t *testing.T) {
	t.Run("filled by broadcasting again", func(t *testing.T) {
		mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
		first := true
		mf.node.setOnSend(func(*types.Transaction) (bool, error) {
			if first {
				first = false
				return false, errors.New("EOF")
			}
			return true, nil
		})
		var ins []*tokenize.Intent
		for i := range int64(3) {
			ins = append(ins, mf.submit(t, mf.mintCall(i)))
		}
		require.Equal(t, ins[0].Nonce, mf.pendingNonce(t), "the later ones are queued behind the gap")
		mf.sim.Backend().Commit()
		require.Equal(t, ins[0].Nonce, mf.pendingNonce(t), "nothing mined")
		mf.round(t)
		mf.sim.Backend().Commit()
		mf.confirm(t)
		mf.requireLandedOnce(t, ins...)
		require.Equal(t, mf.intent(t, ins[0].ID).BlockNumber, mf.intent(t, ins[2].ID).BlockNumber)
	})
	t.Run("filled with a no-op", func(t *testing.T) {
		mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
		var refusedHash string
		mf.node.setOnSend(func(tx *types.Transaction) (bool, error) {
			if refusedHash == "" {
				refusedHash = tx.Hash().Hex()
			}
			if tx.Hash().Hex() == refusedHash {
				return false, errors.New("exceeds block gas limit")
			}
			return true, nil
		})
		var ins []*tokenize.Intent
		for i := range int64(3) {
			ins = append(ins, mf.submit(t, mf.mintCall(i)))
		}
		mf.confirm(t)
		gap := mf.intent(t, ins[0].ID)
		require.Equal(t, tokenize.IntentFailed, gap.State)
		require.Contains(t, gap.Error, "no-op")
		require.Contains(t, gap.Error, "exceeds block gas limit")
		require.Len(t, gap.Attempts, 2)
		require.True(t, gap.Attempts[1].Noop)
		require.Equal(t, gap.Attempts[1].Hash, gap.TxHash)
		times, state := mf.settled.of(gap.ID)
		require.Equal(t, 1, times)
		require.Equal(t, tokenize.IntentFailed, state)
		require.Zero(t, mf.mintedEvents(t)["0"])
		mf.requireLandedOnce(t, ins[1:]...)
	})
}

// With three confirmations, an intent is mined at once and confirmed (and
// settled) only two blocks later.
func TestManagerConfirmations(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{Confirmations: 3}, ethchain.ManagerConfig{})
	in := mf.submit(t, mf.mintCall(1))
	mf.sim.Backend().Commit()
	mf.round(t)
	got := mf.intent(t, in.ID)
	require.Equal(t, tokenize.IntentMined, got.State)
	times, _ := mf.settled.of(in.ID)
	require.Zero(t, times)
	mf.sim.Backend().Commit()
	mf.round(t)
	require.Equal(t, tokenize.IntentMined, mf.intent(t, in.ID).State)
	mf.sim.Backend().Commit()
	mf.confirm(t)
	require.Equal(t, got.BlockNumber+2, mf.head(t))
	mf.requireLandedOnce(t, in)
}

// A receipt whose block is reorganised away: the intent goes back to
// pending, is sent again if the node lost it, and lands once, in the
// canonical chain.
func TestManagerReorg(t *testing.T) {
	for _, lost := range []bool{false, true} {
		t.Run(fmt.Sprintf("the node lost it %v", lost), func(t *testing.T) {
			mf := managerSetup(t, false, ethchain.Config{Confirmations: 3}, ethchain.ManagerConfig{})
			in := mf.submit(t, mf.mintCall(1))
			mf.sim.Backend().Commit()
			mf.round(t)
			mined := mf.intent(t, in.ID)
			require.Equal(t, tokenize.IntentMined, mined.State)
			block, err := mf.sim.Client().BlockByNumber(t.Context(), new(big.Int).SetUint64(mined.BlockNumber))
			require.NoError(t, err)
			require.NoError(t, mf.sim.Backend().Fork(block.ParentHash()))
			if lost {
				mf.sim.Backend().Rollback() // the pool forgot what the old block held
			}
			mf.round(t)
			got := mf.intent(t, in.ID)
			require.Equal(t, tokenize.IntentPending, got.State)
			require.Contains(t, got.Error, "reorganised away")
			require.Contains(t, mf.logs.String(), "reorganised away")
			for range 3 {
				mf.sim.Backend().Commit()
			}
			mf.confirm(t)
			got = mf.intent(t, in.ID)
			require.NotEqual(t, mined.BlockHash, got.BlockHash, "confirmed in the new chain")
			mf.requireLandedOnce(t, in)
			require.Len(t, got.Attempts, 1)
			require.Equal(t, lost, strings.Contains(mf.logs.String(), "broadcast again"))
		})
	}
}

// The Manager is a tokenize.Chain: its transaction methods submit and
// await their intents, with the Chain's errors.
func TestManagerAsChain(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
	ctx := t.Context()
	addr, r, err := mf.m.Deploy(ctx, tokenize.DeployParams{Name: "n", Symbol: "s"})
	require.NoError(t, err)
	require.NotEmpty(t, r.TxHash)
	p := mf.mintParams(5)
	r, err = mf.m.Mint(ctx, addr, p)
	require.NoError(t, err)
	got, err := mf.m.MintReceipt(ctx, addr, p.TokenNumber)
	require.NoError(t, err)
	require.Equal(t, r, got)
	_, err = mf.m.Mint(ctx, addr, p)
	require.ErrorIs(t, err, tokenize.ErrTokenExists)
	_, err = mf.m.Lock(ctx, addr, p.TokenNumber)
	require.NoError(t, err)
	_, err = mf.m.Seize(ctx, addr, p.TokenNumber, mf.vault)
	require.NoError(t, err)
	s, err := mf.m.Token(ctx, addr, p.TokenNumber)
	require.NoError(t, err)
	require.True(t, s.Seized)
	require.Equal(t, mf.vault, s.Owner)
	_, err = mf.m.Unlock(ctx, addr, big.NewInt(404))
	requireRevert(t, err, "ERC721NonexistentToken", nil)
	_, err = mf.m.Mint(ctx, addr, tokenize.MintParams{To: "nope", TokenNumber: big.NewInt(1)})
	require.Equal(t, "to", inputParam(err))
}

// Two instances' Managers on one store and one signer, submitting at once:
// every nonce goes to one intent, and every intent lands once.
func TestManagersShareASigner(t *testing.T) {
	mf := managerSetup(t, true, ethchain.Config{}, ethchain.ManagerConfig{})
	other := managerOver(t, mf, ethchain.ManagerConfig{})
	var mu sync.Mutex
	var ins []*tokenize.Intent
	var wg sync.WaitGroup
	for i := range int64(12) {
		m := []*ethchain.Manager{mf.m, other}[i%2]
		wg.Go(func() {
			in, err := m.Submit(t.Context(), mf.mintCall(i))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			ins = append(ins, in)
			mu.Unlock()
		})
	}
	wg.Wait()
	nonces := map[uint64]bool{}
	for _, in := range ins {
		require.False(t, nonces[in.Nonce], "nonce %d given twice", in.Nonce)
		nonces[in.Nonce] = true
	}
	mf.confirm(t)
	mf.requireLandedOnce(t, ins...)
}

// A restart: the intents a process recorded are confirmed by a new
// Manager over the same store, including one it recorded but never sent.
func TestManagerResumesAfterARestart(t *testing.T) {
	mf := managerSetup(t, false, ethchain.Config{}, ethchain.ManagerConfig{})
	sent := mf.submit(t, mf.mintCall(1))
	mf.node.setOnSend(func(*types.Transaction) (bool, error) { return false, errors.New("process killed") })
	unsent := mf.submit(t, mf.mintCall(2))
	mf.node.setOnSend(nil)

	restarted := managerOver(t, mf, ethchain.ManagerConfig{})
	open, err := restarted.Confirm(t.Context(), mf.settled.settle)
	require.NoError(t, err)
	require.Zero(t, open)
	mf.requireLandedOnce(t, sent, unsent)
}
