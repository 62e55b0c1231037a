package ethchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// transact sends one transaction (to nil deploys) and waits for its
// receipt and confirmations. A mined transaction with status 0 is a
// *RevertError.
func (c *Chain) transact(ctx context.Context, method string, to *common.Address, data []byte) (*types.Receipt, error) {
	tx, err := c.send(ctx, method, to, data)
	if err != nil {
		return nil, withContextErr(ctx, err)
	}
	r, err := c.wait(ctx, tx)
	c.mu.Lock()
	if c.cfg.Commit == nil {
		c.inflight--
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		// The transaction may have been dropped: the next send asks the
		// node for the nonce.
		c.nonceOK = false
	}
	c.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("ethchain: %s: waiting for transaction %s: %w", method, tx.Hash().Hex(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, c.failed(ctx, method, tx, r)
	}
	return r, nil
}

// send prices, signs and sends a transaction under the send lock, in
// nonce order.
func (c *Chain) send(ctx context.Context, method string, to *common.Address, data []byte) (*types.Transaction, error) {
	if _, err := c.ChainID(ctx); err != nil {
		return nil, err
	}
	if to != nil {
		// Without this, a call to an address with no code "succeeds".
		code, err := c.backend.PendingCodeAt(ctx, *to)
		if err != nil {
			return nil, fmt.Errorf("ethchain: %s: reading the contract's code: %w", method, err)
		}
		if len(code) == 0 {
			return nil, fmt.Errorf("ethchain: %s: %w at %s", method, bind.ErrNoCode, to.Hex())
		}
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The node's pending nonce is asked whenever this Chain has nothing of
	// its own in flight: another process may have sent for the same signer
	// since (instances take turns through the signer's job lane, whose
	// lease lets one send at a time), and a cached nonce would then
	// collide with, or replace, its transaction. Only while its own
	// transactions are in flight does it count on from its cache.
	if !c.nonceOK || c.inflight == 0 {
		n, err := c.backend.PendingNonceAt(ctx, c.from)
		if err != nil {
			return nil, fmt.Errorf("ethchain: %s: reading the nonce: %w", method, err)
		}
		c.nonce, c.nonceOK = n, true
	}

	msg := ethereum.CallMsg{From: c.from, To: to, Data: data}
	legacy, err := c.price(ctx, &msg)
	if err != nil {
		return nil, fmt.Errorf("ethchain: %s: pricing gas: %w", method, err)
	}
	gas, err := c.backend.EstimateGas(ctx, msg)
	switch {
	case err == nil:
		gas += gas * uint64(c.cfg.GasMarginPercent) / 100
	case c.inflight > 0 && to != nil:
		// The estimate ran without this signer's unmined transactions,
		// which this call may depend on: send it with an explicit limit.
		// (A deployment depends on nothing and needs more gas.)
		if _, reverted := revertError(c.token, method, "", err); !reverted {
			return nil, fmt.Errorf("ethchain: %s: estimating gas: %w", method, err)
		}
		gas = c.cfg.DependentGasLimit
	default:
		if re, ok := revertError(c.token, method, "", err); ok {
			return nil, re
		}
		return nil, fmt.Errorf("ethchain: %s: estimating gas: %w", method, err)
	}

	var unsigned types.TxData
	if legacy {
		unsigned = &types.LegacyTx{Nonce: c.nonce, GasPrice: msg.GasPrice, Gas: gas, To: to, Value: new(big.Int), Data: data}
	} else {
		unsigned = &types.DynamicFeeTx{ChainID: c.chainID, Nonce: c.nonce, GasTipCap: msg.GasTipCap, GasFeeCap: msg.GasFeeCap,
			Gas: gas, To: to, Value: new(big.Int), Data: data}
	}
	tx, err := types.SignNewTx(c.key, c.signer, unsigned)
	if err != nil {
		return nil, fmt.Errorf("ethchain: %s: signing: %w", method, err)
	}
	if err := c.backend.SendTransaction(ctx, tx); err != nil {
		c.nonceOK = false // resync: the node knows better (nonce too low, replaced, ...)
		return nil, fmt.Errorf("ethchain: %s: sending: %w", method, err)
	}
	c.nonce++
	if c.cfg.Commit != nil {
		c.cfg.Commit()
	} else {
		c.inflight++
	}
	return tx, nil
}

// price sets msg's fees: EIP-1559 (the suggested tip plus twice the head's
// base fee) when the head has a base fee and the node suggests tips, the
// legacy gas price otherwise.
func (c *Chain) price(ctx context.Context, msg *ethereum.CallMsg) (legacy bool, err error) {
	head, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return false, err
	}
	if head.BaseFee != nil {
		if tip, err := c.backend.SuggestGasTipCap(ctx); err == nil {
			msg.GasTipCap = tip
			msg.GasFeeCap = new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
			return false, nil
		}
	}
	if msg.GasPrice, err = c.backend.SuggestGasPrice(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// wait polls for tx's receipt every PollInterval, then for the head to
// reach the receipt's block plus Confirmations-1.
func (c *Chain) wait(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.ReceiptTimeout)
	defer cancel()
	ticker := time.NewTicker(c.cfg.PollInterval)
	defer ticker.Stop()
	for {
		r, err := c.backend.TransactionReceipt(ctx, tx.Hash())
		switch {
		case err == nil && r != nil:
			if c.cfg.Confirmations <= 1 {
				return r, nil
			}
			head, err := c.backend.HeaderByNumber(ctx, nil)
			if err != nil {
				return nil, withContextErr(ctx, fmt.Errorf("reading the head: %w", err))
			}
			want := new(big.Int).Add(r.BlockNumber, new(big.Int).SetUint64(c.cfg.Confirmations-1))
			if head.Number.Cmp(want) >= 0 {
				return r, nil
			}
			if c.cfg.Commit != nil {
				c.cfg.Commit()
				continue
			}
		case err == nil, notYet(err):
		default:
			return nil, withContextErr(ctx, fmt.Errorf("reading the receipt: %w", err))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-ticker.C:
		}
	}
}

// failed explains a mined transaction with status 0: it replays the call
// at the receipt's block for the revert reason.
func (c *Chain) failed(ctx context.Context, method string, tx *types.Transaction, r *types.Receipt) error {
	msg := ethereum.CallMsg{From: c.from, To: tx.To(), Gas: tx.Gas(), Data: tx.Data()}
	_, err := c.backend.CallContract(ctx, msg, r.BlockNumber)
	if re, ok := revertError(c.token, method, tx.Hash().Hex(), err); ok {
		return re
	}
	return &RevertError{Method: method, TxHash: tx.Hash().Hex()}
}

// withContextErr makes an error that ctx's end caused match the context's
// error: an RPC cut short by a deadline reports an i/o timeout, sometimes
// before ctx.Err() is set.
func withContextErr(ctx context.Context, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	cerr := ctx.Err()
	if d, ok := ctx.Deadline(); cerr == nil && ok && !time.Now().Before(d) {
		cerr = context.DeadlineExceeded
	}
	if cerr == nil {
		return err
	}
	return fmt.Errorf("%w (%w)", err, cerr)
}
