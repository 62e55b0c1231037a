package assetmint_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/tokenize"
)

// fakeChain is a hand-written tokenize.Chain: an in-memory AssetToken that
// can be told to lose the answer of a mint, as a crash between sending and
// recording would.
type fakeChain struct {
	mu        sync.Mutex
	deployed  []string
	tokens    map[string]tokenize.TokenState
	txs       map[string]tokenize.Receipt
	block     uint64
	mints     int
	crashNext bool
	calls     []string // lock, unlock, seize, in order
}

const signer = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

func newFakeChain() *fakeChain {
	return &fakeChain{tokens: map[string]tokenize.TokenState{}, txs: map[string]tokenize.Receipt{}}
}

func (f *fakeChain) ChainID(context.Context) (*big.Int, error) { return big.NewInt(1337), nil }
func (f *fakeChain) Signer() string                            { return signer }

func (f *fakeChain) tx(what string) tokenize.Receipt {
	f.block++
	sum := sha256.Sum256([]byte(fmt.Sprint(what, f.block)))
	return tokenize.Receipt{TxHash: "0x" + hex.EncodeToString(sum[:]), BlockNumber: f.block}
}

func (f *fakeChain) Deploy(_ context.Context, p tokenize.DeployParams) (string, tokenize.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	addr := fmt.Sprintf("0x%040x", len(f.deployed)+0xC0FFEE)
	f.deployed = append(f.deployed, addr)
	return addr, f.tx("deploy"), nil
}

func (f *fakeChain) Mint(_ context.Context, contract string, m tokenize.MintParams) (tokenize.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := contract + "/" + m.TokenNumber.String()
	if _, ok := f.tokens[key]; ok {
		return tokenize.Receipt{}, fmt.Errorf("mint %s: %w", m.TokenNumber, tokenize.ErrTokenExists)
	}
	f.mints++
	r := f.tx("mint")
	f.tokens[key] = tokenize.TokenState{Exists: true, Owner: m.To, URI: m.URI, MetadataHash: m.MetadataHash}
	f.txs[key] = r
	if f.crashNext {
		f.crashNext = false
		return tokenize.Receipt{}, fmt.Errorf("connection reset while waiting for the receipt")
	}
	return r, nil
}

// Lock, Unlock and Seize follow AssetToken: a lock of a locked token, an
// unlock of an unlocked one and a seizure of an unlocked one revert.
func (f *fakeChain) Lock(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return f.change(contract, n, "lock", func(s *tokenize.TokenState) error {
		if s.Locked {
			return fmt.Errorf("AlreadyLocked: %w", tokenize.ErrReverted)
		}
		s.Locked = true
		return nil
	})
}

func (f *fakeChain) Unlock(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	return f.change(contract, n, "unlock", func(s *tokenize.TokenState) error {
		if !s.Locked {
			return fmt.Errorf("NotLocked: %w", tokenize.ErrReverted)
		}
		s.Locked = false
		return nil
	})
}

func (f *fakeChain) Seize(_ context.Context, contract string, n *big.Int, to string) (tokenize.Receipt, error) {
	return f.change(contract, n, "seize", func(s *tokenize.TokenState) error {
		if !s.Locked {
			return fmt.Errorf("NotLocked: %w", tokenize.ErrReverted)
		}
		s.Owner, s.Seized = to, true
		return nil
	})
}

func (f *fakeChain) change(contract string, n *big.Int, what string, fn func(*tokenize.TokenState) error) (tokenize.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := contract + "/" + n.String()
	s, ok := f.tokens[key]
	if !ok {
		return tokenize.Receipt{}, fmt.Errorf("ERC721NonexistentToken: %w", tokenize.ErrReverted)
	}
	if err := fn(&s); err != nil {
		return tokenize.Receipt{}, err
	}
	f.tokens[key] = s
	f.calls = append(f.calls, what)
	return f.tx(what), nil
}

func (f *fakeChain) Token(_ context.Context, contract string, n *big.Int) (tokenize.TokenState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[contract+"/"+n.String()], nil
}

func (f *fakeChain) MintReceipt(_ context.Context, contract string, n *big.Int) (tokenize.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.txs[contract+"/"+n.String()]
	if !ok {
		return r, tokenize.ErrNotMinted
	}
	return r, nil
}

func chainSetup(t *testing.T, chain *fakeChain) *bundle {
	return flowSetup(t, func(c *assetmint.Config) { c.Chain.Chain = chain })
}

// A verified asset is minted to the business's wallet (or the custody
// address), recorded once its receipt is in, and the asset is tokenized.
func TestVerifiedAssetIsMinted(t *testing.T) {
	chain := newFakeChain()
	b := chainSetup(t, chain)
	ctx := context.Background()
	wallet := "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	biz, _, err := b.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", WalletAddress: wallet})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	_, err = b.engine.UploadDocument(ctx, biz.ID, invoice(a.ID, "X200-0042"))
	require.NoError(t, err)
	b.settle(t, biz.ID, a.ID, assetmint.AssetTokenized)

	tok, err := b.db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Regexp(t, `^tok_`, tok.ID)
	require.Equal(t, tokenize.TokenNumber(a.ID).String(), tok.TokenNumber)
	require.Equal(t, wallet, tok.OwnerAddress)
	require.Equal(t, "1337", tok.ChainID)
	require.Equal(t, chain.deployed[0], tok.Contract, "deployed on first use")
	require.Equal(t, assetmint.TokenMinted, tok.Status)
	state, err := chain.Token(ctx, tok.Contract, tokenize.TokenNumber(a.ID))
	require.NoError(t, err)
	require.Equal(t, "0x"+hex.EncodeToString(state.MetadataHash[:]), tok.MetadataHash)
	require.True(t, strings.HasPrefix(tok.TokenURI, "data:application/json;base64,"))
	require.Contains(t, eventTypes(t, b.engine, biz.ID), "token.minted")

	// A second asset reuses the contract.
	other := cnc(t, b.engine, biz.ID)
	_, err = b.engine.UploadDocument(ctx, biz.ID, invoice(other.ID, "X200-0043"))
	require.NoError(t, err)
	b.settle(t, biz.ID, other.ID, assetmint.AssetTokenized)
	require.Len(t, chain.deployed, 1)
	require.Equal(t, 2, chain.mints)
}

// A mint whose answer was lost (a crash between sending and recording)
// runs again, finds the token minted to the right owner, and records it
// once, with the transaction found from the chain.
func TestMintAfterACrashIsRecordedOnce(t *testing.T) {
	chain := newFakeChain()
	chain.crashNext = true
	b := chainSetup(t, chain)
	ctx := context.Background()
	biz, _, err := b.engine.CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a := cnc(t, b.engine, biz.ID)
	_, err = b.engine.UploadDocument(ctx, biz.ID, invoice(a.ID, "X200-0042"))
	require.NoError(t, err)
	require.NoError(t, b.engine.RunPending(ctx))
	got, err := b.engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetVerified, got.Status, "the mint went out but was not recorded")

	b.clock.Advance(time.Minute) // past the job's backoff
	b.settle(t, biz.ID, a.ID, assetmint.AssetTokenized)
	require.Equal(t, 1, chain.mints, "minted once")
	tok, err := b.db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	receipt, err := chain.MintReceipt(ctx, tok.Contract, tokenize.TokenNumber(a.ID))
	require.NoError(t, err)
	require.Equal(t, receipt.TxHash, tok.TxHash)
	require.Equal(t, signer, tok.OwnerAddress, "the custody address, for a business without a wallet")
	page, err := b.engine.Tokens(ctx, biz.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
}
