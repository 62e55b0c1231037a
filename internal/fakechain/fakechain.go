// Package fakechain is an in-memory tokenize.Chain for tests: one
// AssetToken per deployed address, following the contract's rules (a
// minted number cannot be minted again; a lock of a locked token, an
// unlock of an unlocked one and a seizure of an unlocked one revert), with
// made-up transactions. It can also lose the answer of a transaction: the
// change is applied and the caller gets an error, as when the connection
// drops after the node accepted the transaction, or the process crashes
// between sending and recording.
package fakechain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"

	"github.com/assetmint/assetmint/tokenize"
)

// Signer is the address that "sends" every transaction.
const Signer = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

// ChainID is the fake chain's id.
const ChainID = 1337

// The transactions whose answer LoseNextAnswer can lose.
const (
	Mint   = "mint"
	Lock   = "lock"
	Unlock = "unlock"
	Seize  = "seize"
)

// ErrAnswerLost is what a call whose answer was lost returns, after its
// change was applied.
var ErrAnswerLost = errors.New("connection reset while waiting for the receipt")

// Chain is the fake. It is safe for concurrent use.
type Chain struct {
	mu       sync.Mutex
	deployed []string
	tokens   map[string]tokenize.TokenState
	mintTxs  map[string]tokenize.Receipt
	block    uint64
	mints    int
	calls    []string
	reverts  int
	lose     map[string]int // transaction kind: answers still to lose
}

var _ tokenize.Chain = (*Chain)(nil)

// New returns an empty chain.
func New() *Chain {
	return &Chain{tokens: map[string]tokenize.TokenState{}, mintTxs: map[string]tokenize.Receipt{}, lose: map[string]int{}}
}

// Deployed lists the contracts deployed, in order.
func (c *Chain) Deployed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.deployed)
}

// Mints counts the tokens minted.
func (c *Chain) Mints() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mints
}

// Calls lists the lender's actions (Lock, Unlock, Seize) that changed the
// chain, in order, whether or not their answer was lost.
func (c *Chain) Calls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// Reverts counts the transactions sent that reverted and changed nothing
// (a second mint of a number, a lock of a locked token, ...): a caller
// that sends again what already happened shows here.
func (c *Chain) Reverts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reverts
}

// LoseNextAnswer makes the next transaction of kind (Mint, Lock, Unlock or
// Seize) that would succeed change the chain, then return ErrAnswerLost to
// its caller. Each call loses one more answer.
func (c *Chain) LoseNextAnswer(kind string) {
	if !slices.Contains([]string{Mint, Lock, Unlock, Seize}, kind) {
		panic("fakechain: no transaction of kind " + kind)
	}
	c.mu.Lock()
	c.lose[kind]++
	c.mu.Unlock()
}

// answer is a successful transaction's answer, unless LoseNextAnswer asked
// for it to be lost; the caller holds mu.
func (c *Chain) answer(kind string, r tokenize.Receipt) (tokenize.Receipt, error) {
	if c.lose[kind] > 0 {
		c.lose[kind]--
		return tokenize.Receipt{}, fmt.Errorf("%s: %w", kind, ErrAnswerLost)
	}
	return r, nil
}

func (c *Chain) ChainID(context.Context) (*big.Int, error) { return big.NewInt(ChainID), nil }
func (c *Chain) Signer() string                            { return Signer }

// tx makes up a mined transaction; the caller holds mu.
func (c *Chain) tx(what string) tokenize.Receipt {
	c.block++
	sum := sha256.Sum256([]byte(fmt.Sprint(what, c.block)))
	return tokenize.Receipt{TxHash: "0x" + hex.EncodeToString(sum[:]), BlockNumber: c.block}
}

func (c *Chain) Deploy(context.Context, tokenize.DeployParams) (string, tokenize.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	addr := fmt.Sprintf("0x%040x", len(c.deployed)+0xC0FFEE)
	c.deployed = append(c.deployed, addr)
	return addr, c.tx("deploy"), nil
}

func (c *Chain) Mint(_ context.Context, contract string, m tokenize.MintParams) (tokenize.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := contract + "/" + m.TokenNumber.String()
	if _, ok := c.tokens[key]; ok {
		c.reverts++
		return tokenize.Receipt{}, fmt.Errorf("mint %s: %w", m.TokenNumber, tokenize.ErrTokenExists)
	}
	c.mints++
	r := c.tx(Mint)
	c.tokens[key] = tokenize.TokenState{Exists: true, Owner: m.To, URI: m.URI, MetadataHash: m.MetadataHash}
	c.mintTxs[key] = r
	return c.answer(Mint, r)
}

func (c *Chain) Lock(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return c.change(contract, n, Lock, func(s *tokenize.TokenState) error {
		if s.Locked {
			return fmt.Errorf("AlreadyLocked: %w", tokenize.ErrReverted)
		}
		s.Locked = true
		return nil
	})
}

func (c *Chain) Unlock(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return c.change(contract, n, Unlock, func(s *tokenize.TokenState) error {
		if !s.Locked {
			return fmt.Errorf("NotLocked: %w", tokenize.ErrReverted)
		}
		s.Locked = false
		return nil
	})
}

// Seize moves a locked token to to; it stays locked, as on the contract.
func (c *Chain) Seize(_ context.Context, contract string, n *big.Int, to string) (tokenize.Receipt, error) {
	return c.change(contract, n, Seize, func(s *tokenize.TokenState) error {
		if !s.Locked {
			return fmt.Errorf("NotLocked: %w", tokenize.ErrReverted)
		}
		s.Owner, s.Seized = to, true
		return nil
	})
}

func (c *Chain) change(contract string, n *big.Int, what string, fn func(*tokenize.TokenState) error) (tokenize.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := contract + "/" + n.String()
	s, ok := c.tokens[key]
	if !ok {
		c.reverts++
		return tokenize.Receipt{}, fmt.Errorf("ERC721NonexistentToken: %w", tokenize.ErrReverted)
	}
	if err := fn(&s); err != nil {
		c.reverts++
		return tokenize.Receipt{}, err
	}
	c.tokens[key] = s
	c.calls = append(c.calls, what)
	return c.answer(what, c.tx(what))
}

func (c *Chain) Token(_ context.Context, contract string, n *big.Int) (tokenize.TokenState, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens[contract+"/"+n.String()], nil
}

func (c *Chain) MintReceipt(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.mintTxs[contract+"/"+n.String()]
	if !ok {
		return r, tokenize.ErrNotMinted
	}
	return r, nil
}
