package ethchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/assetmint/assetmint/tokenize"
)

// The rules of the loop. Each round (work) reads the signer's open intents
// from the store and, from the node, the head, the signer's mined nonce
// (transactions in blocks) and pending nonce (those plus the pool's
// executable ones); then, for each intent in flight, in nonce order:
//
//   - nonce below the mined nonce: something was mined at its nonce. A
//     receipt of one of its attempts (the newest first) makes it mined,
//     then confirmed (status 1) or reverted (status 0) once the head is
//     Confirmations-1 blocks past the receipt's; the receipt of its no-op
//     makes it failed. No receipt, and no attempt the node knows as mined
//     (a receipt not indexed yet waits a round): the nonce was used by
//     another transaction, and the intent failed ("nonce too low").
//   - otherwise, if it was mined: its block was reorganised away; it is
//     pending again (and the rules below send it again if the node lost
//     it).
//   - nonce at or above the pending nonce, and the node knows none of its
//     attempts: it was dropped (the node restarted and lost its pool) or
//     never reached the node (a connection reset, a crash between record
//     and send), which leaves a nonce gap that holds back every later
//     nonce: its newest attempt is broadcast again, byte for byte. If the
//     node refuses it for good (too much gas for a block, intrinsic gas too
//     low, ...) its nonce is filled with a no-op (a 0-value transfer to
//     the signer), so later nonces go through, and the intent fails once
//     that is mined.
//   - its newest attempt older than BumpAfter: it is replaced by an attempt
//     with the same nonce and the node's current fees, at least
//     BumpPercent over the highest so far, up to MaxFeePerGas; a bump that
//     the cap would hold under the minimum is not sent (a warning, and
//     SignerState.FeeCapHits).
//
// A broadcast answered "already known" went through; "nonce too low" and
// "replacement transaction underpriced" are left to the next round's
// rules (the nonce mined, or another attempt of the nonce in the pool);
// a node that cannot be reached is noted on the intents and tried again.
// Every write is conditional on the version read, so two processes working
// one intent at once cannot undo each other's writes.

// work is one round over the signer's open intents. It settles, with
// settle when it is not nil, each that is final, and returns how many are
// still open (in flight, or final and unsettled). Faults of the node are
// recorded, not returned; the store's and the context's errors are.
func (m *Manager) work(ctx context.Context, settle tokenize.SettleFunc) (int, error) {
	m.workMu.Lock()
	defer m.workMu.Unlock()
	w := &writes{}
	defer m.flush(ctx, w)
	chainID, err := m.chainID(ctx)
	if err != nil {
		m.fault(err)
		return 1, ctx.Err()
	}
	open, err := m.store.OpenIntents(ctx, chainID, m.c.from.Hex())
	if err != nil {
		return 0, err
	}
	left := 0
	var live []*tokenize.Intent
	for _, in := range open {
		switch {
		case in.State.InFlight():
			live = append(live, in)
		case !m.settle(ctx, w, in, settle):
			left++
		}
	}
	if len(live) == 0 {
		return left, ctx.Err()
	}
	if m.cfg.Mine != nil {
		m.cfg.Mine()
	}
	head, mined, pending, err := m.readNode(ctx)
	if err != nil {
		m.fault(err)
		for _, in := range live {
			m.note(ctx, w, in, err.Error())
		}
		return left + len(live), ctx.Err()
	}
	receipts := m.receipts(ctx, live, mined)
	for _, in := range live {
		m.advance(ctx, w, in, head, mined, pending, receipts[in.ID])
	}
	// The outcomes are stored before any is settled, as when each was
	// written by itself: a settle func acts on them (the engine enqueues a
	// failed action again, whose Submit must find the key free).
	m.flush(ctx, w)
	for _, in := range live {
		if in.State.InFlight() || !m.settle(ctx, w, in, settle) {
			left++
		}
	}
	return left, ctx.Err()
}

// readNode reads the head and the signer's mined and pending nonces.
func (m *Manager) readNode(ctx context.Context) (head *types.Header, mined, pending uint64, err error) {
	if head, err = m.c.backend.HeaderByNumber(ctx, nil); err != nil {
		return nil, 0, 0, fmt.Errorf("the node is unreachable (reading the head): %w", err)
	}
	if mined, err = m.r.NonceAt(ctx, m.c.from, nil); err != nil {
		return nil, 0, 0, fmt.Errorf("the node is unreachable (reading the nonce): %w", err)
	}
	if pending, err = m.c.backend.PendingNonceAt(ctx, m.c.from); err != nil {
		return nil, 0, 0, fmt.Errorf("the node is unreachable (reading the pending nonce): %w", err)
	}
	return head, mined, pending, nil
}

// found is an intent's receipt, and the attempt it is of; err when the
// lookup failed.
type found struct {
	r   *types.Receipt
	a   *tokenize.Attempt
	err error
}

// receipts looks up, all at once, the receipts of the intents whose nonce
// is below the mined nonce: the hash recorded as mined first, then every
// attempt, the newest first.
func (m *Manager) receipts(ctx context.Context, live []*tokenize.Intent, mined uint64) map[int64]found {
	out := make(map[int64]found, len(live))
	type result struct {
		id int64
		f  found
	}
	results := make(chan result)
	sem := make(chan struct{}, 8)
	n := 0
	for _, in := range live {
		if in.Nonce >= mined {
			continue
		}
		n++
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results <- result{in.ID, m.receiptOf(ctx, in)}
		}()
	}
	for range n {
		r := <-results
		out[r.id] = r.f
	}
	return out
}

func (m *Manager) receiptOf(ctx context.Context, in *tokenize.Intent) found {
	tried := map[string]bool{}
	try := func(a *tokenize.Attempt) (found, bool) {
		if tried[a.Hash] {
			return found{}, false
		}
		tried[a.Hash] = true
		r, err := m.c.backend.TransactionReceipt(ctx, common.HexToHash(a.Hash))
		switch {
		case err == nil && r != nil:
			return found{r: r, a: a}, true
		case err == nil, notYet(err):
			return found{}, false
		}
		return found{err: err}, true
	}
	for i := len(in.Attempts) - 1; i >= 0; i-- {
		if in.Attempts[i].Hash == in.TxHash {
			if f, ok := try(&in.Attempts[i]); ok {
				return f
			}
		}
	}
	for i := len(in.Attempts) - 1; i >= 0; i-- {
		if f, ok := try(&in.Attempts[i]); ok {
			return f
		}
	}
	return found{}
}

// advance applies the rules to one intent in flight.
func (m *Manager) advance(ctx context.Context, w *writes, in *tokenize.Intent, head *types.Header, mined, pending uint64, f found) {
	if in.Nonce < mined {
		switch {
		case f.err != nil:
			m.note(ctx, w, in, fmt.Sprintf("reading its receipt: %v", f.err))
		case f.r == nil:
			if m.minedButNotIndexed(ctx, in) {
				return
			}
			m.update(ctx, w, in, func() {
				in.State, in.TxHash, in.BlockNumber, in.BlockHash = tokenize.IntentFailed, "", 0, ""
				in.Error = fmt.Sprintf("nonce %d was used by another transaction: none of this intent's %d attempts was mined", in.Nonce, len(in.Attempts))
			})
			m.cfg.Logger.Info("ethchain: intent failed: its nonce was used by another transaction",
				"intent", in.ID, "signer", in.Signer, "nonce", in.Nonce)
		default:
			m.mined(ctx, w, in, head, f)
		}
		return
	}
	if in.State == tokenize.IntentMined {
		was, block := in.TxHash, in.BlockNumber
		m.update(ctx, w, in, func() {
			in.State, in.TxHash, in.BlockNumber, in.BlockHash = tokenize.IntentPending, "", 0, ""
			in.Error = fmt.Sprintf("block %d, which held its transaction %s, was reorganised away", block, was)
		})
		m.cfg.Logger.Info("ethchain: a receipt was reorganised away; the intent is pending again",
			"intent", in.ID, "nonce", in.Nonce, "tx", was, "block", block)
	}
	if in.Nonce >= pending {
		known, err := m.known(ctx, in)
		if err != nil {
			m.note(ctx, w, in, fmt.Sprintf("looking its transaction up: %v", err))
			return
		}
		if !known {
			m.rebroadcast(ctx, w, in)
			return
		}
	}
	if last := in.Last(); last != nil && !m.cfg.Now().Before(last.SentAt.Add(m.cfg.BumpAfter)) {
		m.bump(ctx, w, in)
	}
}

// mined records a receipt of one of the intent's attempts, and finishes
// the intent once the receipt has its confirmations.
func (m *Manager) mined(ctx context.Context, w *writes, in *tokenize.Intent, head *types.Header, f found) {
	r := f.r
	confirmed := new(big.Int).Add(r.BlockNumber, new(big.Int).SetUint64(m.c.cfg.Confirmations-1)).Cmp(head.Number) <= 0
	state := tokenize.IntentMined
	var reason string
	switch {
	case !confirmed:
	case f.a.Noop:
		state = tokenize.IntentFailed
		reason = "its nonce was filled with a no-op: " + in.Error
	case r.Status == types.ReceiptStatusSuccessful:
		state = tokenize.IntentConfirmed
	default:
		state = tokenize.IntentReverted
		at := *in
		at.TxHash, at.BlockNumber = r.TxHash.Hex(), r.BlockNumber.Uint64()
		reason = m.revertError(ctx, &at).Error()
	}
	if in.State == state && in.TxHash == r.TxHash.Hex() && in.BlockHash == r.BlockHash.Hex() {
		return
	}
	m.update(ctx, w, in, func() {
		in.State, in.TxHash, in.BlockNumber, in.BlockHash = state, r.TxHash.Hex(), r.BlockNumber.Uint64(), r.BlockHash.Hex()
		if in.To == "" && r.ContractAddress != (common.Address{}) {
			in.ContractAddress = r.ContractAddress.Hex()
		}
		switch {
		case reason != "":
			in.Error = reason
		case state == tokenize.IntentConfirmed:
			in.Error = ""
		}
	})
}

// minedButNotIndexed reports whether the node knows one of the intent's
// attempts as mined although its receipt was not found (a node still
// indexing).
func (m *Manager) minedButNotIndexed(ctx context.Context, in *tokenize.Intent) bool {
	for i := len(in.Attempts) - 1; i >= 0; i-- {
		_, isPending, err := m.r.TransactionByHash(ctx, common.HexToHash(in.Attempts[i].Hash))
		if err == nil && !isPending {
			return true
		}
	}
	return false
}

// known reports whether the node holds one of the intent's attempts.
func (m *Manager) known(ctx context.Context, in *tokenize.Intent) (bool, error) {
	for i := len(in.Attempts) - 1; i >= 0; i-- {
		_, _, err := m.r.TransactionByHash(ctx, common.HexToHash(in.Attempts[i].Hash))
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, ethereum.NotFound):
		default:
			return false, err
		}
	}
	return false, nil
}

// rebroadcast sends the intent's newest attempt again, as it is; a
// transaction the node refuses for good gets its nonce filled with a
// no-op.
func (m *Manager) rebroadcast(ctx context.Context, w *writes, in *tokenize.Intent) {
	last := in.Last()
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(last.Raw); err != nil {
		m.note(ctx, w, in, fmt.Sprintf("decoding its attempt %s: %v", last.Hash, err))
		return
	}
	res, err := m.send(ctx, tx)
	switch res {
	case sent:
		m.cfg.Logger.Info("ethchain: broadcast again a transaction the node did not hold",
			"intent", in.ID, "nonce", in.Nonce, "tx", last.Hash)
	case refused:
		if last.Noop {
			m.note(ctx, w, in, fmt.Sprintf("the node refuses even a no-op at its nonce: %v", err))
			return
		}
		m.fill(ctx, w, in, err)
	default:
		m.note(ctx, w, in, fmt.Sprintf("broadcasting it again: %v", err))
	}
}

// fill replaces the intent's transaction with a no-op at its nonce, paying
// over every attempt so far so that it replaces whichever the node holds.
func (m *Manager) fill(ctx context.Context, w *writes, in *tokenize.Intent, cause error) {
	f, err := m.suggest(ctx)
	if err != nil {
		m.note(ctx, w, in, fmt.Sprintf("pricing a no-op: %v", err))
		return
	}
	f = f.atLeast(m.bumped(in, f.price != nil))
	f, _ = m.clamp(f)
	tx, att, err := m.sign(in.Nonce, f, 0, nil, nil, true)
	if err != nil {
		m.note(ctx, w, in, fmt.Sprintf("signing a no-op: %v", err))
		return
	}
	if !m.attempt(ctx, in, att) {
		return
	}
	m.update(ctx, w, in, func() { in.Error = fmt.Sprintf("the node refuses its transaction (%v)", cause) })
	m.cfg.Logger.Info("ethchain: the node refuses a transaction for good; filling its nonce with a no-op",
		"intent", in.ID, "nonce", in.Nonce, "err", cause)
	if res, err := m.send(ctx, tx); res != sent {
		m.note(ctx, w, in, fmt.Sprintf("the node refuses its transaction (%v); sending the no-op: %v", cause, err))
	}
}

// bump replaces the intent's newest attempt with one at the same nonce
// and higher fees, unless the cap holds it under the replacement minimum.
func (m *Manager) bump(ctx context.Context, w *writes, in *tokenize.Intent) {
	last := in.Last()
	f, err := m.suggest(ctx)
	if err != nil {
		m.note(ctx, w, in, fmt.Sprintf("pricing a replacement: %v", err))
		return
	}
	least := m.bumped(in, f.price != nil)
	want := f.atLeast(least)
	capped, _ := m.clamp(want)
	if !capped.covers(least) {
		m.capReached(ctx, w, in, fmt.Sprintf("its transaction has waited since %s and a replacement needs %s", last.SentAt.Format("15:04:05"), least))
		return
	}
	var to *common.Address
	if in.To != "" {
		a := common.HexToAddress(in.To)
		to = &a
	}
	tx, att, err := m.sign(in.Nonce, capped, in.Gas, to, in.Data, last.Noop)
	if err != nil {
		m.note(ctx, w, in, fmt.Sprintf("signing a replacement: %v", err))
		return
	}
	if !m.attempt(ctx, in, att) {
		return
	}
	m.cfg.Logger.Info("ethchain: replaced a stuck transaction with higher fees",
		"intent", in.ID, "nonce", in.Nonce, "old", last.Hash, "new", att.Hash, "fees", capped.String())
	if res, err := m.send(ctx, tx); res != sent {
		m.note(ctx, w, in, fmt.Sprintf("broadcasting a replacement: %v", err))
	}
}

// attempt records a new attempt of the intent before it is sent; false
// when another process recorded one first (its attempt goes out instead).
func (m *Manager) attempt(ctx context.Context, in *tokenize.Intent, a tokenize.Attempt) bool {
	if err := m.store.AddAttempt(ctx, in.ID, len(in.Attempts), a); err != nil {
		if !errors.Is(err, tokenize.ErrIntentChanged) {
			m.fault(err)
		}
		return false
	}
	in.Attempts = append(in.Attempts, a)
	return true
}

// writes collects the updates of a round's intents, written together
// (flush) once the rules have run and again when the round ends: one store
// transaction, so one durable commit, each, where one per change made the
// store's syncs the loop's cost. Only updates wait: an attempt is recorded
// by itself before it is sent (AddAttempt), and no update has to be
// durable before anything is sent; a final state is before its intent is
// settled. A crash before a flush loses those updates, which the next
// round makes again from the chain and the store.
type writes struct {
	ins []*tokenize.Intent
}

// add queues in's update, once however often it changes in the round: one
// write over the version read.
func (w *writes) add(in *tokenize.Intent) {
	for _, q := range w.ins {
		if q == in {
			return
		}
	}
	w.ins = append(w.ins, in)
}

// flush writes the updates collected so far in one store transaction; a
// write that lost to another process is dropped (the next round reads the
// winner's).
func (m *Manager) flush(ctx context.Context, w *writes) {
	if len(w.ins) == 0 {
		return
	}
	err := m.store.UpdateIntents(ctx, w.ins)
	w.ins = nil
	if err != nil && !errors.Is(err, tokenize.ErrIntentChanged) {
		m.fault(err)
	}
}

// update applies change to the intent and queues it in w, or, with w nil
// (outside the loop), writes it over the version it was read at at once; a
// write that lost to another process is dropped (the next round reads the
// winner's).
func (m *Manager) update(ctx context.Context, w *writes, in *tokenize.Intent, change func()) {
	change()
	in.UpdatedAt = m.cfg.Now().UTC()
	if w != nil {
		w.add(in)
		return
	}
	if err := m.store.UpdateIntent(ctx, in); err != nil && !errors.Is(err, tokenize.ErrIntentChanged) {
		m.fault(err)
	}
}

// note records a fault on the intent (once per distinct message) and as
// this process's last.
func (m *Manager) note(ctx context.Context, w *writes, in *tokenize.Intent, msg string) {
	m.fault(errors.New(msg))
	if in == nil || in.Error == msg {
		return
	}
	m.update(ctx, w, in, func() { in.Error = msg })
}

// settle records a final intent's outcome through fn and marks it
// settled; false if it stays unsettled (fn is nil or failed).
func (m *Manager) settle(ctx context.Context, w *writes, in *tokenize.Intent, fn tokenize.SettleFunc) bool {
	if fn == nil {
		return false
	}
	if err := fn(ctx, in); err != nil {
		m.fault(fmt.Errorf("settling intent %d: %w", in.ID, err))
		return false
	}
	m.update(ctx, w, in, func() { in.SettledAt = m.cfg.Now().UTC() })
	m.mu.Lock()
	delete(m.capLogged, in.ID)
	m.mu.Unlock()
	return true
}

// capReached logs (at most once per BumpAfter for an intent) and counts
// that fees reached the cap.
func (m *Manager) capReached(ctx context.Context, w *writes, in *tokenize.Intent, why string) {
	now := m.cfg.Now()
	m.mu.Lock()
	m.capHits++
	var id int64
	if in != nil {
		id = in.ID
	}
	logged, seen := m.capLogged[id]
	if in != nil && (!seen || !now.Before(logged.Add(m.cfg.BumpAfter))) {
		m.capLogged[id] = now
	}
	m.mu.Unlock()
	if in != nil && seen && now.Before(logged.Add(m.cfg.BumpAfter)) {
		return
	}
	attrs := []any{"signer", m.c.from.Hex(), "max_fee_per_gas", m.cfg.MaxFeePerGas.String(), "why", why}
	if in != nil {
		attrs = append(attrs, "intent", in.ID, "nonce", in.Nonce)
		m.note(ctx, w, in, fmt.Sprintf("fees at the cap of %s wei per gas: %s", m.cfg.MaxFeePerGas, why))
	}
	m.cfg.Logger.Warn("ethchain: fee cap reached", attrs...)
}

// revertError explains a reverted intent: its call replayed at the
// receipt's block for the reason.
func (m *Manager) revertError(ctx context.Context, in *tokenize.Intent) *RevertError {
	msg := ethereum.CallMsg{From: m.c.from, Gas: in.Gas, Data: in.Data}
	if in.To != "" {
		to := common.HexToAddress(in.To)
		msg.To = &to
	}
	_, err := m.c.backend.CallContract(ctx, msg, new(big.Int).SetUint64(in.BlockNumber))
	if re, ok := revertError(m.c.token, in.Kind, in.TxHash, err); ok {
		return re
	}
	return &RevertError{Method: in.Kind, TxHash: in.TxHash}
}

// sendResult is how the node took a broadcast.
type sendResult int

const (
	sent        sendResult = iota // accepted, or already held
	nonceUsed                     // "nonce too low": a transaction is mined at the nonce
	underpriced                   // another transaction of the nonce, paying as much or more, is in the pool
	refused                       // never acceptable as it is
	unsent                        // anything else: the node down, out of funds, ...
)

// send broadcasts tx and classifies the node's answer.
func (m *Manager) send(ctx context.Context, tx *types.Transaction) (sendResult, error) {
	err := m.c.backend.SendTransaction(ctx, tx)
	if err == nil {
		return sent, nil
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "already known"), strings.Contains(msg, "known transaction"),
		strings.Contains(msg, "already imported"):
		return sent, nil
	case strings.Contains(msg, "nonce too low"):
		return nonceUsed, err
	case strings.Contains(msg, "replacement transaction underpriced"), strings.Contains(msg, "replacement underpriced"):
		return underpriced, err
	}
	for _, never := range []string{"exceeds block gas limit", "intrinsic gas too low", "oversized data", "invalid sender",
		"transaction type not supported", "tx type not supported", "max initcode size exceeded", "gas limit too high"} {
		if strings.Contains(msg, never) {
			return refused, err
		}
	}
	return unsent, err
}

// fees is a price: the EIP-1559 tip and fee cap, or a legacy gas price.
type fees struct{ tip, cap, price *big.Int }

func (f fees) String() string {
	if f.price != nil {
		return "a gas price of " + f.price.String() + " wei"
	}
	return fmt.Sprintf("a tip of %s and a fee cap of %s wei", f.tip, f.cap)
}

// atLeast raises each of f's components to least's.
func (f fees) atLeast(least fees) fees {
	if f.price != nil || least.price != nil {
		return fees{price: maxBig(f.price, least.price)}
	}
	return fees{tip: maxBig(f.tip, least.tip), cap: maxBig(f.cap, least.cap)}
}

// covers reports whether f pays at least least's every component.
func (f fees) covers(least fees) bool {
	if least.price != nil {
		return f.price != nil && f.price.Cmp(least.price) >= 0
	}
	return f.tip != nil && f.cap != nil && f.tip.Cmp(least.tip) >= 0 && f.cap.Cmp(least.cap) >= 0
}

func maxBig(a, b *big.Int) *big.Int {
	switch {
	case a == nil:
		return b
	case b == nil || a.Cmp(b) >= 0:
		return a
	}
	return b
}

// suggest is the node's price: EIP-1559 (the suggested tip plus twice the
// head's base fee) when the head has a base fee and the node suggests
// tips, the legacy gas price otherwise.
func (m *Manager) suggest(ctx context.Context) (fees, error) {
	head, err := m.c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return fees{}, err
	}
	if head.BaseFee != nil {
		if tip, err := m.c.backend.SuggestGasTipCap(ctx); err == nil {
			return fees{tip: tip, cap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))}, nil
		}
	}
	price, err := m.c.backend.SuggestGasPrice(ctx)
	if err != nil {
		return fees{}, err
	}
	return fees{price: price}, nil
}

// clamp holds f to MaxFeePerGas (the tip to the fee cap); ok when it had
// to.
func (m *Manager) clamp(f fees) (fees, bool) {
	limit := m.cfg.MaxFeePerGas
	if f.price != nil {
		if f.price.Cmp(limit) > 0 {
			return fees{price: new(big.Int).Set(limit)}, true
		}
		return f, false
	}
	out, ok := f, false
	if out.cap.Cmp(limit) > 0 {
		out.cap, ok = new(big.Int).Set(limit), true
	}
	if out.tip.Cmp(out.cap) > 0 {
		out.tip, ok = new(big.Int).Set(out.cap), true
	}
	return out, ok
}

// bumped is the least a replacement of the intent's attempts must pay:
// BumpPercent over the highest of each component so far, rounded up and
// at least one wei more. legacy says which kind the replacement is.
func (m *Manager) bumped(in *tokenize.Intent, legacy bool) fees {
	var tip, feeCap, price *big.Int
	for _, a := range in.Attempts {
		tip, feeCap = maxBig(tip, a.GasTipCap), maxBig(feeCap, a.GasFeeCap)
		price = maxBig(price, a.GasPrice)
		// A legacy attempt's price is both its tip and its fee cap.
		tip, feeCap = maxBig(tip, a.GasPrice), maxBig(feeCap, a.GasPrice)
	}
	up := func(n *big.Int) *big.Int {
		if n == nil {
			return big.NewInt(1)
		}
		p := big.NewInt(int64(100 + m.cfg.BumpPercent))
		v := new(big.Int).Mul(n, p)
		v.Add(v, big.NewInt(99)).Div(v, big.NewInt(100)) // ceil(n * p / 100)
		if v.Cmp(n) <= 0 {
			v.Add(n, big.NewInt(1))
		}
		return v
	}
	if legacy {
		return fees{price: up(maxBig(price, feeCap))}
	}
	return fees{tip: up(tip), cap: up(feeCap)}
}
