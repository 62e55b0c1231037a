package ethchain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
)

// Defaults for the zero ManagerConfig.
const (
	DefaultMaxInFlight = 16
	DefaultBumpAfter   = 30 * time.Second
	DefaultBumpPercent = 10
	// DefaultMaxFeeGwei is the default fee cap: 200 gwei per gas.
	DefaultMaxFeeGwei = 200
	DefaultConfirmFor = time.Minute
)

// MinBumpPercent is the least a replacement raises its fees: geth's
// transaction pool refuses a replacement below 10 % over both the tip and
// the fee cap of the transaction it replaces.
const MinBumpPercent = 10

// ManagerConfig holds a Manager's optional settings; the zero value means
// the defaults. The Chain's Config gives the rest: Confirmations,
// PollInterval (each round of the loop), GasMarginPercent,
// DependentGasLimit and ReceiptTimeout (how long a synchronous call
// awaits its intent).
type ManagerConfig struct {
	// MaxInFlight is how many intents of the signer may be in flight
	// (pending or mined, not yet confirmed); Submit waits for room. Default
	// 16. It is checked before each group of nonces is taken, so
	// instances that submit at the same moment may each go over it by
	// what they record at that moment.
	MaxInFlight int
	// BumpAfter is how long an attempt may go unmined before it is replaced
	// by one with the same nonce and higher fees. Default 30s.
	BumpAfter time.Duration
	// BumpPercent is how much a replacement raises the tip and the fee cap
	// over the highest attempt so far, at least MinBumpPercent (the
	// default).
	BumpPercent int
	// MaxFeePerGas caps the fee per gas (the EIP-1559 fee cap, or the
	// legacy gas price), wei. Default DefaultMaxFeeGwei gwei. A suggestion
	// above it is cut to it, and a stuck transaction whose bump would go
	// over it waits: both are logged as warnings and counted
	// (SignerState.FeeCapHits).
	MaxFeePerGas *big.Int
	// ConfirmFor is how long one Confirm call works before it returns with
	// intents still open (its caller runs it again: the engine enqueues its
	// next confirmation job). Default one minute.
	ConfirmFor time.Duration
	// Mine, when set, mines a block on a backend that mines only on demand
	// (the simulated backend's Commit): each round of the loop calls it
	// while intents are in flight, so a block carries every transaction
	// sent since the last.
	Mine func()
	// Now is the clock of the records (attempt times, and so when a bump is
	// due). Default time.Now.
	Now func() time.Time
	// Logger receives rebroadcasts, bumps, reorgs and faults (info) and the
	// fee cap reached (warning). Default slog.Default().
	Logger *slog.Logger
}

// managerReader is what the Manager needs of the node beyond Backend: the
// signer's mined transaction count and transaction lookups.
// *ethclient.Client and the simulated backend's client have both.
type managerReader interface {
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (tx *types.Transaction, isPending bool, err error)
}

// Manager is a transaction manager for one signer over a Chain: every
// chain action is an intent recorded in a tokenize.IntentStore, with its
// nonce and each broadcast attempt, before it is sent; many are in flight
// at once; a loop (Confirm) confirms them together and applies the fault
// rules. It implements tokenize.TxManager, and tokenize.Chain with
// synchronous transaction methods (submit, then Await).
//
// The store is the truth, so any number of Managers (one per instance)
// may share a signer: nonces are unique in the store, keys unique among
// live intents, updates conditional on the version read. The engine runs
// Confirm in one instance at a time (the signer's job lane); Submit and
// Await may run anywhere. Once a Manager sends for a key, send through
// Managers only: the Chain's own transaction methods keep their nonce in
// memory.
type Manager struct {
	c     *Chain
	r     managerReader
	store tokenize.IntentStore
	cfg   ManagerConfig

	sendMu  sync.Mutex    // one group of nonces taken at a time in this process
	queueMu sync.Mutex    // guards queue
	queue   []*submission // Submit calls waiting for sendMu
	workMu  sync.Mutex    // one round at a time in this process

	mu        sync.Mutex // guards the fields below
	lastErr   string
	lastErrAt time.Time
	capHits   uint64
	capLogged map[int64]time.Time // when each intent's cap warning was logged
}

var (
	_ tokenize.Chain     = (*Manager)(nil)
	_ tokenize.TxManager = (*Manager)(nil)
)

// NewManager returns a Manager for chain's signer, keeping its intents in
// store. Errors: invalid settings, or a backend that cannot read nonces and
// transactions by hash.
func NewManager(chain *Chain, store tokenize.IntentStore, cfg ManagerConfig) (*Manager, error) {
	if chain == nil || store == nil {
		return nil, errors.New("ethchain: NewManager needs a chain and a store")
	}
	r, ok := chain.backend.(managerReader)
	if !ok {
		return nil, errors.New("ethchain: the backend cannot read nonces (NonceAt) and transactions (TransactionByHash)")
	}
	if cfg.MaxInFlight < 0 || cfg.BumpAfter < 0 || cfg.ConfirmFor < 0 {
		return nil, errors.New("ethchain: ManagerConfig.MaxInFlight, BumpAfter and ConfirmFor must not be negative")
	}
	if cfg.BumpPercent != 0 && cfg.BumpPercent < MinBumpPercent {
		return nil, fmt.Errorf("ethchain: ManagerConfig.BumpPercent must be at least %d, the replacement minimum; got %d", MinBumpPercent, cfg.BumpPercent)
	}
	if cfg.MaxFeePerGas != nil && cfg.MaxFeePerGas.Sign() <= 0 {
		return nil, fmt.Errorf("ethchain: ManagerConfig.MaxFeePerGas must be positive, got %s", cfg.MaxFeePerGas)
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.BumpAfter == 0 {
		cfg.BumpAfter = DefaultBumpAfter
	}
	if cfg.BumpPercent == 0 {
		cfg.BumpPercent = DefaultBumpPercent
	}
	if cfg.MaxFeePerGas == nil {
		cfg.MaxFeePerGas = new(big.Int).Mul(big.NewInt(DefaultMaxFeeGwei), big.NewInt(1e9))
	} else {
		cfg.MaxFeePerGas = new(big.Int).Set(cfg.MaxFeePerGas)
	}
	if cfg.ConfirmFor == 0 {
		cfg.ConfirmFor = DefaultConfirmFor
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Manager{c: chain, r: r, store: store, cfg: cfg, capLogged: map[int64]time.Time{}}, nil
}

// ChainID is the chain's (see Chain.ChainID).
func (m *Manager) ChainID(ctx context.Context) (*big.Int, error) { return m.c.ChainID(ctx) }

// Signer is the signing key's address.
func (m *Manager) Signer() string { return m.c.Signer() }

// Token reads a token's state (see Chain.Token).
func (m *Manager) Token(ctx context.Context, contract string, n *big.Int) (tokenize.TokenState, error) {
	return m.c.Token(ctx, contract, n)
}

// MintReceipt finds a token's mint transaction (see Chain.MintReceipt).
func (m *Manager) MintReceipt(ctx context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return m.c.MintReceipt(ctx, contract, n)
}

// Deploy deploys an AssetToken through an intent and waits for it; as
// Chain.Deploy otherwise.
func (m *Manager) Deploy(ctx context.Context, p tokenize.DeployParams) (string, tokenize.Receipt, error) {
	in, err := m.transact(ctx, tokenize.Call{Kind: tokenize.KindDeploy, Deploy: p})
	if err != nil {
		return "", tokenize.Receipt{}, err
	}
	addr := common.HexToAddress(in.ContractAddress)
	code, err := m.c.backend.CodeAt(ctx, addr, new(big.Int).SetUint64(in.BlockNumber))
	if err != nil {
		return "", tokenize.Receipt{}, fmt.Errorf("ethchain: deploy: reading the contract's code: %w", err)
	}
	if len(code) == 0 {
		return "", tokenize.Receipt{}, fmt.Errorf("ethchain: deploy: %w at %s", bind.ErrNoCodeAfterDeploy, addr.Hex())
	}
	return addr.Hex(), intentReceipt(in), nil
}

// Mint mints through an intent and waits for it; as Chain.Mint otherwise.
func (m *Manager) Mint(ctx context.Context, contract string, p tokenize.MintParams) (tokenize.Receipt, error) {
	in, err := m.transact(ctx, tokenize.Call{Kind: tokenize.KindMint, Contract: contract, Mint: p})
	return intentReceipt(in), err
}

// Lock locks through an intent and waits for it; as Chain.Lock otherwise.
func (m *Manager) Lock(ctx context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	in, err := m.transact(ctx, tokenize.Call{Kind: tokenize.KindLock, Contract: contract, TokenNumber: n})
	return intentReceipt(in), err
}

// Unlock unlocks through an intent and waits for it; as Chain.Unlock
// otherwise.
func (m *Manager) Unlock(ctx context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	in, err := m.transact(ctx, tokenize.Call{Kind: tokenize.KindUnlock, Contract: contract, TokenNumber: n})
	return intentReceipt(in), err
}

// Seize seizes through an intent and waits for it; as Chain.Seize
// otherwise.
func (m *Manager) Seize(ctx context.Context, contract string, n *big.Int, to string) (tokenize.Receipt, error) {
	in, err := m.transact(ctx, tokenize.Call{Kind: tokenize.KindSeize, Contract: contract, TokenNumber: n, To: to})
	return intentReceipt(in), err
}

func intentReceipt(in *tokenize.Intent) tokenize.Receipt {
	if in == nil || in.State != tokenize.IntentConfirmed {
		return tokenize.Receipt{}
	}
	return tokenize.Receipt{TxHash: in.TxHash, BlockNumber: in.BlockNumber}
}

// transact submits call and awaits its intent, bounded by the Chain's
// ReceiptTimeout: a reverted intent is a *RevertError (replayed at its
// block for the reason), a failed one ErrIntentFailed.
func (m *Manager) transact(ctx context.Context, call tokenize.Call) (*tokenize.Intent, error) {
	in, err := m.Submit(ctx, call)
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, m.c.cfg.ReceiptTimeout)
	defer cancel()
	id := in.ID
	in, err = m.Await(wctx, id)
	if err != nil {
		return nil, fmt.Errorf("ethchain: %s: waiting for intent %d: %w", call.Kind, id, withContextErr(wctx, err))
	}
	switch in.State {
	case tokenize.IntentReverted:
		return in, m.revertError(ctx, in)
	case tokenize.IntentFailed:
		return in, fmt.Errorf("ethchain: %s, intent %d: %w: %s", in.Kind, in.ID, tokenize.ErrIntentFailed, in.Error)
	}
	return in, nil
}

// pack validates call and returns its contract (nil to deploy) and
// calldata.
func (m *Manager) pack(call tokenize.Call) (*common.Address, []byte, error) {
	if call.Kind == tokenize.KindDeploy {
		p := call.Deploy
		roles := make([]common.Address, 3)
		for i, f := range []struct{ name, value string }{{"admin", p.Admin}, {"minter", p.Minter}, {"lender", p.Lender}} {
			if f.value == "" {
				roles[i] = m.c.from
				continue
			}
			a, err := parseAddress(f.name, f.value)
			if err != nil {
				return nil, nil, err
			}
			roles[i] = a
		}
		data := append(common.FromHex(contracts.AssetTokenMetaData.Bin),
			m.c.token.PackConstructor(p.Name, p.Symbol, roles[0], roles[1], roles[2])...)
		return nil, data, nil
	}
	addr, err := parseAddress("contract", call.Contract)
	if err != nil {
		return nil, nil, err
	}
	var data []byte
	switch call.Kind {
	case tokenize.KindMint:
		to, err := parseAddress("to", call.Mint.To)
		if err != nil {
			return nil, nil, err
		}
		if err := checkTokenNumber(call.Mint.TokenNumber); err != nil {
			return nil, nil, err
		}
		data = m.c.token.PackMint(to, call.Mint.TokenNumber, call.Mint.URI, call.Mint.MetadataHash)
	case tokenize.KindLock, tokenize.KindUnlock, tokenize.KindSeize:
		if err := checkTokenNumber(call.TokenNumber); err != nil {
			return nil, nil, err
		}
		switch call.Kind {
		case tokenize.KindLock:
			data = m.c.token.PackLock(call.TokenNumber)
		case tokenize.KindUnlock:
			data = m.c.token.PackUnlock(call.TokenNumber)
		default:
			to, err := parseAddress("to", call.To)
			if err != nil {
				return nil, nil, err
			}
			data = m.c.token.PackSeize(call.TokenNumber, to)
		}
	default:
		return nil, nil, &tokenize.InputError{Param: "kind", Message: fmt.Sprintf("no call of kind %q", call.Kind)}
	}
	return &addr, data, nil
}

func (m *Manager) chainID(ctx context.Context) (string, error) {
	id, err := m.c.ChainID(ctx)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// Submit records call as an intent with its first attempt, then broadcasts
// it (see tokenize.TxManager). The nonce is the next of the signer's in
// the store, or the node's count of its mined transactions when that is
// higher (another sender), or its pending count when nothing of the signer
// is in flight; a nonce another instance took meanwhile (ErrNonceTaken)
// is passed over. Concurrent calls share the work (as the engine's mint
// jobs, one per asset lane, make them): the one that gets the send lock
// records every call waiting by then in one store transaction, at
// consecutive nonces, and broadcasts them all, so a burst of N actions
// costs one durable commit, not N. (A batch runs under the context of the
// call that records it: if that one is cancelled, the others get its
// error, and their callers retry.) Errors: as tokenize.TxManager's; bind.ErrNoCode
// (wrapped) when no contract is at call.Contract; a *RevertError when the
// estimate reverts.
func (m *Manager) Submit(ctx context.Context, call tokenize.Call) (*tokenize.Intent, error) {
	to, data, err := m.pack(call)
	if err != nil {
		return nil, err
	}
	chainID, err := m.chainID(ctx)
	if err != nil {
		return nil, err
	}
	if call.Key != "" {
		if in, err := m.liveIntent(ctx, chainID, call.Key); in != nil || err != nil {
			return in, err
		}
	}
	if to != nil {
		code, err := m.c.backend.PendingCodeAt(ctx, *to)
		if err != nil {
			return nil, fmt.Errorf("ethchain: %s: reading the contract's code: %w", call.Kind, err)
		}
		if len(code) == 0 {
			return nil, fmt.Errorf("ethchain: %s: %w at %s", call.Kind, bind.ErrNoCode, to.Hex())
		}
	}

	sub := &submission{call: call, to: to, data: data, done: make(chan struct{})}
	m.queueMu.Lock()
	m.queue = append(m.queue, sub)
	m.queueMu.Unlock()
	m.sendMu.Lock()
	defer m.sendMu.Unlock()
	select {
	case <-sub.done: // recorded with the batch of the caller that held sendMu before
		return sub.in, sub.err
	default:
	}
	m.queueMu.Lock()
	batch := m.queue
	m.queue = nil
	m.queueMu.Unlock()
	m.submitBatch(ctx, chainID, batch)
	return sub.in, sub.err
}

// submission is a Submit call waiting to be recorded; done is closed once
// in or err is set.
type submission struct {
	call tokenize.Call
	to   *common.Address
	data []byte

	in   *tokenize.Intent
	err  error
	done chan struct{}
}

// submitBatch records the submissions as intents at consecutive nonces,
// as many at a time as there is room for, each group in one store
// transaction (one durable commit), and broadcasts them. A group that
// conflicts with another instance's intents (a nonce or a key taken
// meanwhile) is submitted one at a time instead, so each gets its own
// rule. A key submitted twice in the batch is one intent, both callers'.
// The caller holds sendMu.
func (m *Manager) submitBatch(ctx context.Context, chainID string, batch []*submission) {
	var unique []*submission
	firsts, again := map[string]*submission{}, map[*submission]*submission{}
	for _, s := range batch {
		if first, ok := firsts[s.call.Key]; ok && s.call.Key != "" {
			again[s] = first
			continue
		}
		firsts[s.call.Key] = s
		unique = append(unique, s)
	}
	defer func() {
		for s, first := range again {
			s.in, s.err = first.in, first.err
		}
		for _, s := range batch {
			close(s.done)
		}
	}()
	for todo := unique; len(todo) > 0; {
		inFlight, err := m.waitForRoom(ctx, chainID)
		if err != nil {
			for _, s := range todo {
				s.err = err
			}
			return
		}
		group := todo[:min(len(todo), m.cfg.MaxInFlight-inFlight)]
		todo = todo[len(group):]
		err = m.recordGroup(ctx, chainID, group, inFlight)
		switch {
		case errors.Is(err, tokenize.ErrNonceTaken), errors.Is(err, tokenize.ErrIntentExists):
			for _, s := range group {
				m.submitOne(ctx, chainID, s)
			}
		case err != nil:
			for _, s := range group {
				s.err = err
			}
		}
	}
}

// submitOne records and broadcasts one submission on its own: a nonce
// another instance took (ErrNonceTaken) is passed over; a key another
// submission made live meanwhile (ErrIntentExists) answers with that
// intent.
func (m *Manager) submitOne(ctx context.Context, chainID string, s *submission) {
	for range 20 {
		inFlight, err := m.waitForRoom(ctx, chainID)
		if err != nil {
			s.err = err
			return
		}
		err = m.recordGroup(ctx, chainID, []*submission{s}, inFlight)
		switch {
		case errors.Is(err, tokenize.ErrNonceTaken):
			continue
		case errors.Is(err, tokenize.ErrIntentExists):
			if s.in, s.err = m.liveIntent(ctx, chainID, s.call.Key); s.in != nil || s.err != nil {
				return
			}
			continue // it failed meanwhile: the key is free again
		case err != nil:
			s.err = err
		}
		return
	}
	s.in, s.err = nil, fmt.Errorf("ethchain: %s: every nonce tried was taken by other instances", s.call.Kind)
}

// Live returns the signer's intent with key that is in flight or
// confirmed, or nil (see tokenize.TxManager).
func (m *Manager) Live(ctx context.Context, key string) (*tokenize.Intent, error) {
	chainID, err := m.chainID(ctx)
	if err != nil {
		return nil, err
	}
	return m.liveIntent(ctx, chainID, key)
}

// liveIntent is the signer's intent with key that is in flight or
// confirmed, or nil.
func (m *Manager) liveIntent(ctx context.Context, chainID, key string) (*tokenize.Intent, error) {
	in, err := m.store.IntentByKey(ctx, chainID, m.c.from.Hex(), key)
	switch {
	case errors.Is(err, tokenize.ErrIntentNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	case in.State.InFlight() || in.State == tokenize.IntentConfirmed:
		return in, nil
	}
	return nil, nil
}

// recordGroup prices the group once, estimates and signs each call at
// the next nonces, records the intents in one store transaction, and
// broadcasts them; each submission gets its intent, or its own error (a
// call whose estimate reverts takes no nonce). The error is the store's,
// for the whole group, when nothing was recorded. The caller holds sendMu.
func (m *Manager) recordGroup(ctx context.Context, chainID string, group []*submission, inFlight int) error {
	nonce, err := m.nextNonce(ctx, chainID, inFlight)
	if err != nil {
		return fmt.Errorf("ethchain: reading the nonce: %w", err)
	}
	f, err := m.suggest(ctx)
	if err != nil {
		return fmt.Errorf("ethchain: pricing gas: %w", err)
	}
	if capped, ok := m.clamp(f); ok {
		m.capReached(ctx, nil, nil, fmt.Sprintf("the node suggests %s, more than the cap; sending at the cap", f))
		f = capped
	}
	now := m.cfg.Now().UTC()
	var (
		recorded []*submission
		ins      []*tokenize.Intent
		txs      []*types.Transaction
	)
	for _, s := range group {
		s.in, s.err = nil, nil
		gas, err := m.estimate(ctx, s.call.Kind, s.to, s.data, f)
		if err != nil {
			s.err = err
			continue
		}
		tx, att, err := m.sign(nonce+uint64(len(ins)), f, gas, s.to, s.data, false)
		if err != nil {
			s.err = fmt.Errorf("ethchain: %s: signing: %w", s.call.Kind, err)
			continue
		}
		in := &tokenize.Intent{ChainID: chainID, Signer: m.c.from.Hex(), Nonce: tx.Nonce(), Key: s.call.Key, Kind: s.call.Kind,
			Ref: s.call.Ref, Data: s.data, Gas: gas, State: tokenize.IntentPending, Attempts: []tokenize.Attempt{att},
			CreatedAt: now, UpdatedAt: now}
		if s.to != nil {
			in.To = s.to.Hex()
		}
		recorded, ins, txs = append(recorded, s), append(ins, in), append(txs, tx)
	}
	if len(ins) == 0 {
		return nil
	}
	if err := m.store.CreateIntents(ctx, ins...); err != nil {
		return err
	}
	for i, s := range recorded {
		s.in = ins[i]
		if res, err := m.send(ctx, txs[i]); res != sent {
			m.note(ctx, nil, s.in, fmt.Sprintf("broadcasting its first attempt: %v", err))
		}
	}
	return nil
}

// waitForRoom returns how many intents are in flight once fewer than
// MaxInFlight are, working the open intents meanwhile (their outcomes are
// left for Confirm to settle).
func (m *Manager) waitForRoom(ctx context.Context, chainID string) (int, error) {
	for {
		open, err := m.store.OpenIntents(ctx, chainID, m.c.from.Hex())
		if err != nil {
			return 0, err
		}
		n := 0
		for _, in := range open {
			if in.State.InFlight() {
				n++
			}
		}
		if n < m.cfg.MaxInFlight {
			return n, nil
		}
		if _, err := m.work(ctx, nil); err != nil {
			return 0, err
		}
		if err := sleep(ctx, m.c.cfg.PollInterval); err != nil {
			return 0, err
		}
	}
}

// nextNonce: see Submit.
func (m *Manager) nextNonce(ctx context.Context, chainID string, inFlight int) (uint64, error) {
	n, err := m.store.NextNonce(ctx, chainID, m.c.from.Hex())
	if err != nil {
		return 0, err
	}
	mined, err := m.r.NonceAt(ctx, m.c.from, nil)
	if err != nil {
		return 0, err
	}
	n = max(n, mined)
	if inFlight == 0 {
		// Nothing of ours is out: the node's pool is the truth (another
		// sender may have transactions there).
		pending, err := m.c.backend.PendingNonceAt(ctx, m.c.from)
		if err != nil {
			return 0, err
		}
		n = max(n, pending)
	}
	return n, nil
}

// estimate is the gas limit of a call: the node's estimate with the
// margin. A call that would revert is a *RevertError: the estimate runs on
// the chain's latest state, so a call that depends on an intent still in
// flight (a lock right after its mint) must wait for it; the engine orders
// such actions through what it records, and never needs a guess.
func (m *Manager) estimate(ctx context.Context, method string, to *common.Address, data []byte, f fees) (uint64, error) {
	msg := ethereum.CallMsg{From: m.c.from, To: to, Data: data}
	if f.price != nil {
		msg.GasPrice = f.price
	} else {
		msg.GasTipCap, msg.GasFeeCap = f.tip, f.cap
	}
	gas, err := m.c.backend.EstimateGas(ctx, msg)
	if err == nil {
		return gas + gas*uint64(m.c.cfg.GasMarginPercent)/100, nil
	}
	if re, ok := revertError(m.c.token, method, "", err); ok {
		return 0, re
	}
	return 0, fmt.Errorf("ethchain: %s: estimating gas: %w", method, err)
}

// sign builds and signs a transaction at nonce: the call, or a no-op (a
// 0-value transfer to the signer).
func (m *Manager) sign(nonce uint64, f fees, gas uint64, to *common.Address, data []byte, noop bool) (*types.Transaction, tokenize.Attempt, error) {
	if noop {
		self := m.c.from
		to, data, gas = &self, nil, 21_000
	}
	var unsigned types.TxData
	if f.price != nil {
		unsigned = &types.LegacyTx{Nonce: nonce, GasPrice: f.price, Gas: gas, To: to, Value: new(big.Int), Data: data}
	} else {
		unsigned = &types.DynamicFeeTx{ChainID: m.c.chainID, Nonce: nonce, GasTipCap: f.tip, GasFeeCap: f.cap,
			Gas: gas, To: to, Value: new(big.Int), Data: data}
	}
	tx, err := types.SignNewTx(m.c.key, m.c.signer, unsigned)
	if err != nil {
		return nil, tokenize.Attempt{}, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return nil, tokenize.Attempt{}, err
	}
	a := tokenize.Attempt{Hash: tx.Hash().Hex(), Raw: raw, Noop: noop, SentAt: m.cfg.Now().UTC()}
	if f.price != nil {
		a.GasPrice = new(big.Int).Set(f.price)
	} else {
		a.GasTipCap, a.GasFeeCap = new(big.Int).Set(f.tip), new(big.Int).Set(f.cap)
	}
	return tx, a, nil
}

// Await works the signer's intents until intent id is final, and returns
// it (see tokenize.TxManager).
func (m *Manager) Await(ctx context.Context, id int64) (*tokenize.Intent, error) {
	for {
		in, err := m.store.Intent(ctx, id)
		if err != nil {
			return nil, err
		}
		if in.State.Final() {
			return in, nil
		}
		if _, err := m.work(ctx, nil); err != nil {
			return nil, err
		}
		if in, err = m.store.Intent(ctx, id); err != nil || in.State.Final() {
			return in, err
		}
		if err := sleep(ctx, m.c.cfg.PollInterval); err != nil {
			return nil, err
		}
	}
}

// Confirm works the signer's open intents round after round, every
// PollInterval, settling each that reaches a final state, until none is
// open (it returns 0), ctx ends (its error), or ConfirmFor has passed (the
// number still open). See tokenize.TxManager.
func (m *Manager) Confirm(ctx context.Context, settle tokenize.SettleFunc) (int, error) {
	if settle == nil {
		return 0, errors.New("ethchain: Confirm needs a settle func")
	}
	slice := time.NewTimer(m.cfg.ConfirmFor)
	defer slice.Stop()
	for {
		open, err := m.work(ctx, settle)
		if err != nil {
			return open, err
		}
		if open == 0 {
			return 0, nil
		}
		select {
		case <-ctx.Done():
			return open, ctx.Err()
		case <-slice.C:
			return open, nil
		case <-time.After(m.c.cfg.PollInterval):
		}
	}
}

// State reads the signer's state: from the store (cluster-wide), the node
// (its nonce) and this process (its fee-cap count and last fault).
// Errors: the store's and the context's; a node that cannot be read is
// reported as LastError, not as an error.
func (m *Manager) State(ctx context.Context) (tokenize.SignerState, error) {
	chainID, err := m.chainID(ctx)
	if err != nil {
		m.fault(err)
		chainID = ""
	}
	s := tokenize.SignerState{ChainID: chainID, Signer: m.c.from.Hex(), MaxInFlight: m.cfg.MaxInFlight,
		FeeCap: new(big.Int).Set(m.cfg.MaxFeePerGas)}
	if chainID == "" {
		s.LastError, s.LastErrorAt = m.lastFault()
		return s, nil
	}
	open, err := m.store.OpenIntents(ctx, chainID, s.Signer)
	if err != nil {
		return s, err
	}
	if s.NextNonce, err = m.store.NextNonce(ctx, chainID, s.Signer); err != nil {
		return s, err
	}
	if n, err := m.r.NonceAt(ctx, m.c.from, nil); err == nil {
		s.ChainNonce = n
	} else {
		m.fault(fmt.Errorf("reading the nonce: %w", err))
	}
	for _, in := range open {
		if in.Error != "" && in.UpdatedAt.After(s.LastErrorAt) {
			s.LastError, s.LastErrorAt = in.Error, in.UpdatedAt
		}
		if !in.State.InFlight() {
			s.Unsettled++
			continue
		}
		s.InFlight++
		if s.OldestInFlight.IsZero() || in.CreatedAt.Before(s.OldestInFlight) {
			s.OldestInFlight = in.CreatedAt
		}
		if last := in.Last(); last != nil && m.atCap(last) {
			s.FeeCapped++
		}
	}
	if msg, at := m.lastFault(); msg != "" && at.After(s.LastErrorAt) {
		s.LastError, s.LastErrorAt = msg, at
	}
	m.mu.Lock()
	s.FeeCapHits = m.capHits
	m.mu.Unlock()
	return s, nil
}

// atCap reports whether an attempt pays the cap.
func (m *Manager) atCap(a *tokenize.Attempt) bool {
	fee := a.GasFeeCap
	if a.GasPrice != nil {
		fee = a.GasPrice
	}
	return fee != nil && fee.Cmp(m.cfg.MaxFeePerGas) >= 0
}

// fault records what this process ran into last, for State.
func (m *Manager) fault(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastErr, m.lastErrAt = err.Error(), m.cfg.Now().UTC()
}

func (m *Manager) lastFault() (string, time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastErr, m.lastErrAt
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
