// Package fakechain is an in-memory tokenize.Chain for tests: one
// AssetToken per deployed address, following the contract's rules (a
// minted number cannot be minted again; a lock of a locked token, an
// unlock of an unlocked one and a seizure of an unlocked one revert), with
// made-up transactions. It can also lose the answer of a mint, as a crash
// between sending and recording would.
package fakechain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// Chain is the fake. It is safe for concurrent use.
type Chain struct {
	mu        sync.Mutex
	deployed  []string
	tokens    map[string]tokenize.TokenState
	mintTxs   map[string]tokenize.Receipt
	block     uint64
	mints     int
	calls     []string
	loseMints int
}

var _ tokenize.Chain = (*Chain)(nil)

// New returns an empty chain.
func New() *Chain {
	return &Chain{tokens: map[string]tokenize.TokenState{}, mintTxs: map[string]tokenize.Receipt{}}
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

// Calls lists the lender's actions (lock, unlock, seize), in order.
func (c *Chain) Calls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// LoseNextMintAnswer makes the next mint happen on chain but fail for its
// caller, as a crash between sending and recording would.
func (c *Chain) LoseNextMintAnswer() {
	c.mu.Lock()
	c.loseMints++
	c.mu.Unlock()
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
		return tokenize.Receipt{}, fmt.Errorf("mint %s: %w", m.TokenNumber, tokenize.ErrTokenExists)
	}
	c.mints++
	r := c.tx("mint")
	c.tokens[key] = tokenize.TokenState{Exists: true, Owner: m.To, URI: m.URI, MetadataHash: m.MetadataHash}
	c.mintTxs[key] = r
	if c.loseMints > 0 {
		c.loseMints--
		return tokenize.Receipt{}, fmt.Errorf("connection reset while waiting for the receipt")
	}
	return r, nil
}

func (c *Chain) Lock(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return c.change(contract, n, "lock", func(s *tokenize.TokenState) error {
		if s.Locked {
			return fmt.Errorf("AlreadyLocked: %w", tokenize.ErrReverted)
		}
		s.Locked = true
		return nil
	})
}

func (c *Chain) Unlock(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return c.change(contract, n, "unlock", func(s *tokenize.TokenState) error {
		if !s.Locked {
			return fmt.Errorf("NotLocked: %w", tokenize.ErrReverted)
		}
		s.Locked = false
		return nil
	})
}

// Seize moves a locked token to to; it stays locked, as on the contract.
func (c *Chain) Seize(_ context.Context, contract string, n *big.Int, to string) (tokenize.Receipt, error) {
	return c.change(contract, n, "seize", func(s *tokenize.TokenState) error {
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
		return tokenize.Receipt{}, fmt.Errorf("ERC721NonexistentToken: %w", tokenize.ErrReverted)
	}
	if err := fn(&s); err != nil {
		return tokenize.Receipt{}, err
	}
	c.tokens[key] = s
	c.calls = append(c.calls, what)
	return c.tx(what), nil
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
