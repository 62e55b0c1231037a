package ethchain_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/assetmint/assetmint/tokenize/ethchain"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

// fixture is a simulated chain with an AssetToken deployed by the signer,
// who holds every role.
type fixture struct {
	sim      *simchain.Sim
	chain    *ethchain.Chain
	contract string
	alice    string // a token owner
	vault    string // where seized tokens go
}

func setup(t testing.TB, cfg simchain.Config) *fixture {
	t.Helper()
	sim, err := simchain.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	f := &fixture{sim: sim, chain: sim.Chain(), alice: newAddress(t), vault: newAddress(t)}
	f.contract, _, err = f.chain.Deploy(t.Context(), tokenize.DeployParams{Name: "AssetMint Asset", Symbol: "AMA"})
	require.NoError(t, err)
	return f
}

func newAddress(t testing.TB) string {
	key, err := crypto.GenerateKey()
	require.NoError(t, err)
	return crypto.PubkeyToAddress(key.PublicKey).Hex()
}

func (f *fixture) mintParams(n int64) tokenize.MintParams {
	return tokenize.MintParams{
		To:           f.alice,
		TokenNumber:  big.NewInt(n),
		URI:          "ipfs://bafy-asset-" + big.NewInt(n).String(),
		MetadataHash: crypto.Keccak256Hash([]byte(big.NewInt(n).String())),
	}
}

func (f *fixture) mint(t *testing.T, n int64) tokenize.Receipt {
	t.Helper()
	r, err := f.chain.Mint(t.Context(), f.contract, f.mintParams(n))
	require.NoError(t, err)
	return r
}

// requireRevert checks err is a *RevertError naming the custom error.
func requireRevert(t *testing.T, err error, name string, reason any) *ethchain.RevertError {
	t.Helper()
	require.ErrorIs(t, err, tokenize.ErrReverted)
	var re *ethchain.RevertError
	require.ErrorAs(t, err, &re)
	require.Equal(t, name, re.Name)
	if reason != nil {
		require.Equal(t, reason, re.Reason)
	}
	require.Contains(t, err.Error(), name)
	return re
}

func TestMintLockedTokenExists(t *testing.T) {
	f := setup(t, simchain.Config{})
	f.mint(t, 1)
	_, err := f.chain.Lock(t.Context(), f.contract, big.NewInt(1))
	require.NoError(t, err)
	_, err = f.chain.Mint(t.Context(), f.contract, f.mintParams(1))
	require.ErrorIs(t, err, tokenize.ErrTokenExists)
	requireRevert(t, err, "TokenLocked", nil)
}

// manualChain is a second adapter on the same simulated chain and key that
// does not commit: the test mines.
func manualChain(t *testing.T, f *fixture, cfg ethchain.Config) *ethchain.Chain {
	t.Helper()
	cfg.ChainID = simchain.ChainID
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 2 * time.Millisecond
	}
	c, err := ethchain.New(f.sim.Client(), f.sim.Key(), cfg)
	require.NoError(t, err)
	return c
}

func pendingNonce(t *testing.T, f *fixture) uint64 {
	n, err := f.sim.Client().PendingNonceAt(t.Context(), common.HexToAddress(f.chain.Signer()))
	require.NoError(t, err)
	return n
}

func TestDeploy(t *testing.T) {
	f := setup(t, simchain.Config{})
	require.True(t, common.IsHexAddress(f.contract))
	require.Equal(t, common.HexToAddress(f.contract).Hex(), f.contract, "EIP-55")

	id, err := f.chain.ChainID(t.Context())
	require.NoError(t, err)
	require.Equal(t, simchain.ChainID, id)

	// The signer holds every role by default; explicit holders are used.
	lender := newAddress(t)
	addr, r, err := f.chain.Deploy(t.Context(), tokenize.DeployParams{Name: "n", Symbol: "s", Lender: lender})
	require.NoError(t, err)
	require.NotEmpty(t, r.TxHash)
	require.NotZero(t, r.BlockNumber)
	token := contracts.NewAssetToken()
	instance := token.Instance(f.sim.Client(), common.HexToAddress(addr))
	role, err := bind.Call(instance, nil, token.PackLENDERROLE(), token.UnpackLENDERROLE)
	require.NoError(t, err)
	for who, want := range map[string]bool{lender: true, f.chain.Signer(): false} {
		has, err := bind.Call(instance, nil, token.PackHasRole(role, common.HexToAddress(who)), token.UnpackHasRole)
		require.NoError(t, err)
		require.Equal(t, want, has, who)
	}
}

func TestMintAndToken(t *testing.T) {
	f := setup(t, simchain.Config{})
	p := f.mintParams(7001)
	r, err := f.chain.Mint(t.Context(), f.contract, p)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(r.TxHash, "0x") && len(r.TxHash) == 66, r.TxHash)

	receipt, err := f.sim.Client().TransactionReceipt(t.Context(), common.HexToHash(r.TxHash))
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, receipt.Status)
	require.Equal(t, r.BlockNumber, receipt.BlockNumber.Uint64())

	s, err := f.chain.Token(t.Context(), f.contract, p.TokenNumber)
	require.NoError(t, err)
	require.Equal(t, tokenize.TokenState{Exists: true, Owner: f.alice, URI: p.URI, MetadataHash: p.MetadataHash}, s)

	got, err := f.chain.MintReceipt(t.Context(), f.contract, p.TokenNumber)
	require.NoError(t, err)
	require.Equal(t, r, got)

	// A token number derived from an asset id: the full uint256 range.
	big := tokenize.TokenNumber("asset_01")
	p.TokenNumber = big
	_, err = f.chain.Mint(t.Context(), strings.ToLower(f.contract), p)
	require.NoError(t, err)
	s, err = f.chain.Token(t.Context(), f.contract, big)
	require.NoError(t, err)
	require.True(t, s.Exists)
}

func TestTokenNeverMinted(t *testing.T) {
	f := setup(t, simchain.Config{})
	s, err := f.chain.Token(t.Context(), f.contract, big.NewInt(404))
	require.NoError(t, err)
	require.Equal(t, tokenize.TokenState{}, s)

	_, err = f.chain.MintReceipt(t.Context(), f.contract, big.NewInt(404))
	require.ErrorIs(t, err, tokenize.ErrNotMinted)
}

func TestMintTwice(t *testing.T) {
	f := setup(t, simchain.Config{})
	first := f.mint(t, 1)

	p := f.mintParams(1)
	p.To = f.vault
	_, err := f.chain.Mint(t.Context(), f.contract, p)
	require.ErrorIs(t, err, tokenize.ErrTokenExists)
	re := requireRevert(t, err, "ERC721InvalidSender", &contracts.AssetTokenERC721InvalidSender{})
	require.Empty(t, re.TxHash, "refused by gas estimation, never sent")

	s, err := f.chain.Token(t.Context(), f.contract, big.NewInt(1))
	require.NoError(t, err)
	require.Equal(t, f.alice, s.Owner)
	got, err := f.chain.MintReceipt(t.Context(), f.contract, big.NewInt(1))
	require.NoError(t, err)
	require.Equal(t, first, got)

	// Other mint reverts are not ErrTokenExists.
	p = f.mintParams(2)
	p.To = f.contract // a contract that cannot hold ERC-721 tokens
	_, err = f.chain.Mint(t.Context(), f.contract, p)
	requireRevert(t, err, "ERC721InvalidReceiver", nil)
	require.NotErrorIs(t, err, tokenize.ErrTokenExists)
}

func TestLockUnlockSeize(t *testing.T) {
	f := setup(t, simchain.Config{})
	ctx := t.Context()
	n := big.NewInt(5)
	f.mint(t, 5)

	state := func() tokenize.TokenState {
		s, err := f.chain.Token(ctx, f.contract, n)
		require.NoError(t, err)
		return s
	}

	_, err := f.chain.Unlock(ctx, f.contract, n)
	requireRevert(t, err, "NotLocked", &contracts.AssetTokenNotLocked{TokenId: n})
	_, err = f.chain.Seize(ctx, f.contract, n, f.vault)
	requireRevert(t, err, "NotLocked", &contracts.AssetTokenNotLocked{TokenId: n})

	_, err = f.chain.Lock(ctx, f.contract, n)
	require.NoError(t, err)
	require.True(t, state().Locked)
	_, err = f.chain.Lock(ctx, f.contract, n)
	requireRevert(t, err, "AlreadyLocked", &contracts.AssetTokenAlreadyLocked{TokenId: n})

	_, err = f.chain.Unlock(ctx, f.contract, n)
	require.NoError(t, err)
	require.False(t, state().Locked)

	_, err = f.chain.Lock(ctx, f.contract, n)
	require.NoError(t, err)
	r, err := f.chain.Seize(ctx, f.contract, n, f.vault)
	require.NoError(t, err)
	require.NotEmpty(t, r.TxHash)
	s := state()
	require.Equal(t, f.vault, s.Owner)
	require.True(t, s.Locked)
	require.True(t, s.Seized)

	missing := big.NewInt(6)
	for name, send := range map[string]func() (tokenize.Receipt, error){
		"lock":   func() (tokenize.Receipt, error) { return f.chain.Lock(ctx, f.contract, missing) },
		"unlock": func() (tokenize.Receipt, error) { return f.chain.Unlock(ctx, f.contract, missing) },
		"seize":  func() (tokenize.Receipt, error) { return f.chain.Seize(ctx, f.contract, missing, f.vault) },
	} {
		_, err := send()
		re := requireRevert(t, err, "ERC721NonexistentToken", &contracts.AssetTokenERC721NonexistentToken{TokenId: missing})
		require.Equal(t, name, re.Method)
	}
}

func TestRolesRequired(t *testing.T) {
	f := setup(t, simchain.Config{})
	other := newAddress(t)
	contract, _, err := f.chain.Deploy(t.Context(), tokenize.DeployParams{Name: "n", Symbol: "s", Minter: other, Lender: other})
	require.NoError(t, err)

	_, err = f.chain.Mint(t.Context(), contract, f.mintParams(1))
	re := requireRevert(t, err, "AccessControlUnauthorizedAccount", nil)
	require.Equal(t, common.HexToAddress(f.chain.Signer()), re.Reason.(*contracts.AssetTokenAccessControlUnauthorizedAccount).Account)
	require.NotErrorIs(t, err, tokenize.ErrTokenExists)

	_, err = f.chain.Lock(t.Context(), contract, big.NewInt(1))
	requireRevert(t, err, "AccessControlUnauthorizedAccount", nil)
	require.Contains(t, err.Error(), "lock reverted: AccessControlUnauthorizedAccount(account="+f.chain.Signer())

	_, _, err = f.chain.Deploy(t.Context(), tokenize.DeployParams{Admin: "0x0000000000000000000000000000000000000000"})
	requireRevert(t, err, "ZeroRoleHolder", &contracts.AssetTokenZeroRoleHolder{})
}

func TestBadInput(t *testing.T) {
	f := setup(t, simchain.Config{})
	ctx := t.Context()
	lowerContract := strings.ToLower(f.contract)
	// 0x71562b71999873DB5b286dF957af199Ec94617F7 with one letter's case changed.
	const badChecksum = "0x71562b71999873Db5b286dF957af199Ec94617F7"
	for _, tc := range []struct {
		name   string
		mutate func(contract *string, p *tokenize.MintParams)
		param  string
	}{
		{"empty contract", func(c *string, _ *tokenize.MintParams) { *c = "" }, "contract"},
		{"contract without 0x", func(c *string, _ *tokenize.MintParams) { *c = lowerContract[2:] }, "contract"},
		{"short contract", func(c *string, _ *tokenize.MintParams) { *c = lowerContract[:40] }, "contract"},
		{"contract not hex", func(c *string, _ *tokenize.MintParams) { *c = "0x" + strings.Repeat("g", 40) }, "contract"},
		{"bad checksum", func(c *string, _ *tokenize.MintParams) { *c = badChecksum }, "contract"},
		{"empty to", func(_ *string, p *tokenize.MintParams) { p.To = "" }, "to"},
		{"to not an address", func(_ *string, p *tokenize.MintParams) { p.To = "alice" }, "to"},
		{"nil token number", func(_ *string, p *tokenize.MintParams) { p.TokenNumber = nil }, "token_number"},
		{"negative token number", func(_ *string, p *tokenize.MintParams) { p.TokenNumber = big.NewInt(-1) }, "token_number"},
		{"token number too big", func(_ *string, p *tokenize.MintParams) {
			p.TokenNumber = new(big.Int).Lsh(big.NewInt(1), 256)
		}, "token_number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			contract, p := f.contract, f.mintParams(1)
			tc.mutate(&contract, &p)
			_, err := f.chain.Mint(ctx, contract, p)
			require.Equal(t, tc.param, inputParam(err), "%v", err)
			require.NotErrorIs(t, err, tokenize.ErrReverted)
		})
	}

	_, err := f.chain.Seize(ctx, f.contract, big.NewInt(1), "0x123")
	require.Equal(t, "to", inputParam(err))
	_, err = f.chain.Token(ctx, "nope", big.NewInt(1))
	require.Equal(t, "contract", inputParam(err))
	_, err = f.chain.Lock(ctx, f.contract, nil)
	require.Equal(t, "token_number", inputParam(err))
	_, _, err = f.chain.Deploy(ctx, tokenize.DeployParams{Minter: "0xnope"})
	require.Equal(t, "minter", inputParam(err))

	// A well-formed address with no contract behind it.
	nobody := newAddress(t)
	_, err = f.chain.Mint(ctx, nobody, f.mintParams(1))
	require.ErrorIs(t, err, bind.ErrNoCode)
	_, err = f.chain.Token(ctx, nobody, big.NewInt(1))
	require.ErrorIs(t, err, bind.ErrNoCode)
}

// Another process sending for the same signer between two of the
// adapter's sends (another instance, when the signer's lane passed to it)
// takes the next nonce; the adapter, with nothing of its own in flight,
// asks the node again, so its next send neither fails nor reuses a nonce.
func TestNonceFollowsAnotherSender(t *testing.T) {
	f := setup(t, simchain.Config{})
	f.mint(t, 1)

	opts := bind.NewKeyedTransactor(f.sim.Key(), simchain.ChainID)
	opts.Context = t.Context()
	token := contracts.NewAssetToken()
	instance := token.Instance(f.sim.Client(), common.HexToAddress(f.contract))
	_, err := bind.Transact(instance, opts, token.PackMint(common.HexToAddress(f.alice), big.NewInt(2), "u", [32]byte{}))
	require.NoError(t, err)
	f.sim.Backend().Commit()

	f.mint(t, 3)
	f.mint(t, 4)
	for _, n := range []int64{1, 2, 3, 4} {
		s, err := f.chain.Token(t.Context(), f.contract, big.NewInt(n))
		require.NoError(t, err)
		require.True(t, s.Exists, n)
	}
}

func TestConcurrentMints(t *testing.T) {
	f := setup(t, simchain.Config{})
	const workers, each = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				_, err := f.chain.Mint(t.Context(), f.contract, f.mintParams(int64(100+w*each+i)))
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for n := int64(100); n < 100+workers*each; n++ {
		s, err := f.chain.Token(t.Context(), f.contract, big.NewInt(n))
		require.NoError(t, err)
		require.True(t, s.Exists, n)
	}
}

// commitEvery mines a block every interval until the test ends.
func commitEvery(t *testing.T, b *simulated.Backend, interval time.Duration) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				b.Commit()
			}
		}
	})
	t.Cleanup(func() { close(done); wg.Wait() })
}

func TestConfirmations(t *testing.T) {
	head := func(t *testing.T, f *fixture) uint64 {
		n, err := f.sim.Client().BlockNumber(t.Context())
		require.NoError(t, err)
		return n
	}

	t.Run("the adapter commits", func(t *testing.T) {
		f := setup(t, simchain.Config{Confirmations: 3})
		r := f.mint(t, 1)
		require.GreaterOrEqual(t, head(t, f), r.BlockNumber+2)
	})

	t.Run("blocks come from elsewhere", func(t *testing.T) {
		f := setup(t, simchain.Config{})
		commitEvery(t, f.sim.Backend(), 5*time.Millisecond)
		c := manualChain(t, f, ethchain.Config{Confirmations: 4})
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for i := range 4 { // pipelined: several in flight at once
			wg.Go(func() {
				r, err := c.Mint(ctx, f.contract, f.mintParams(int64(10+i)))
				if err != nil {
					t.Errorf("mint %d: %v", i, err)
					return
				}
				if h := head(t, f); h < r.BlockNumber+3 {
					t.Errorf("mint %d returned at head %d, receipt block %d", i, h, r.BlockNumber)
				}
			})
		}
		wg.Wait()
	})
}

// TestDependentInOneBlock sends a lock while its mint is unmined: the
// lock's estimate reverts (the token does not exist yet), so it goes out
// with the explicit limit and both land in one block. A duplicate mint
// sent the same way fails on chain and is still explained.
func TestDependentInOneBlock(t *testing.T) {
	f := setup(t, simchain.Config{})
	c := manualChain(t, f, ethchain.Config{})
	n := big.NewInt(42)
	base := pendingNonce(t, f)

	type result struct {
		r   tokenize.Receipt
		err error
	}
	mint, lock, again := make(chan result, 1), make(chan result, 1), make(chan result, 1)
	go func() { r, err := c.Mint(t.Context(), f.contract, f.mintParams(42)); mint <- result{r, err} }()
	require.Eventually(t, func() bool { return pendingNonce(t, f) == base+1 }, 5*time.Second, time.Millisecond)
	go func() { r, err := c.Lock(t.Context(), f.contract, n); lock <- result{r, err} }()
	require.Eventually(t, func() bool { return pendingNonce(t, f) == base+2 }, 5*time.Second, time.Millisecond)
	go func() { r, err := c.Mint(t.Context(), f.contract, f.mintParams(42)); again <- result{r, err} }()
	require.Eventually(t, func() bool { return pendingNonce(t, f) == base+3 }, 5*time.Second, time.Millisecond)
	f.sim.Backend().Commit()

	m, l, a := <-mint, <-lock, <-again
	require.NoError(t, m.err)
	require.NoError(t, l.err)
	require.Equal(t, m.r.BlockNumber, l.r.BlockNumber)

	require.ErrorIs(t, a.err, tokenize.ErrTokenExists)
	// The token is locked by then, and the lock check comes first.
	re := requireRevert(t, a.err, "TokenLocked", &contracts.AssetTokenTokenLocked{TokenId: n})
	require.NotEmpty(t, re.TxHash, "mined with status 0")
	receipt, err := f.sim.Client().TransactionReceipt(t.Context(), common.HexToHash(re.TxHash))
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusFailed, receipt.Status)

	s, err := f.chain.Token(t.Context(), f.contract, n)
	require.NoError(t, err)
	require.True(t, s.Locked)
}

func TestContextCancellation(t *testing.T) {
	f := setup(t, simchain.Config{})
	c := manualChain(t, f, ethchain.Config{}) // nobody mines

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Mint(cancelled, f.contract, f.mintParams(1))
	require.ErrorIs(t, err, context.Canceled)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Mint(ctx, f.contract, f.mintParams(1))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "waiting for transaction 0x")

	// The sent mint is mined later; the adapter carries on.
	f.sim.Backend().Commit()
	commitEvery(t, f.sim.Backend(), 5*time.Millisecond)
	_, err = c.Mint(t.Context(), f.contract, f.mintParams(1))
	require.ErrorIs(t, err, tokenize.ErrTokenExists)
	_, err = c.Mint(t.Context(), f.contract, f.mintParams(2))
	require.NoError(t, err)
}

func TestReceiptTimeout(t *testing.T) {
	f := setup(t, simchain.Config{})
	c := manualChain(t, f, ethchain.Config{ReceiptTimeout: 30 * time.Millisecond})
	_, err := c.Mint(t.Context(), f.contract, f.mintParams(1))
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// flaky wraps the simulated client: receipts are "not indexed yet" a few
// times, and the node may not suggest tips.
type flaky struct {
	simulated.Client
	mu         sync.Mutex
	notIndexed int
	noTips     bool
}

func (b *flaky) TransactionReceipt(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.notIndexed > 0 {
		b.notIndexed--
		if b.notIndexed%2 == 0 {
			return nil, ethereum.NotFound
		}
		return nil, errors.New("transaction indexing is in progress")
	}
	return b.Client.TransactionReceipt(ctx, h)
}

func (b *flaky) SuggestGasTipCap(ctx context.Context) (*big.Int, error) {
	if b.noTips {
		return nil, errors.New("the method eth_maxPriorityFeePerGas does not exist/is not available")
	}
	return b.Client.SuggestGasTipCap(ctx)
}

func TestFlakyBackend(t *testing.T) {
	f := setup(t, simchain.Config{})
	backend := &flaky{Client: f.sim.Client(), notIndexed: 4, noTips: true}
	c, err := ethchain.New(backend, f.sim.Key(), ethchain.Config{ // chain id from the backend
		PollInterval: time.Millisecond,
		Commit:       func() { f.sim.Backend().Commit() },
	})
	require.NoError(t, err)
	r, err := c.Mint(t.Context(), f.contract, f.mintParams(1))
	require.NoError(t, err)
	require.Zero(t, backend.notIndexed)

	tx, _, err := f.sim.Client().TransactionByHash(t.Context(), common.HexToHash(r.TxHash))
	require.NoError(t, err)
	require.Equal(t, uint8(types.LegacyTxType), tx.Type(), "legacy pricing without tip suggestions")

	backend.noTips = false
	r, err = c.Mint(t.Context(), f.contract, f.mintParams(2))
	require.NoError(t, err)
	tx, _, err = f.sim.Client().TransactionByHash(t.Context(), common.HexToHash(r.TxHash))
	require.NoError(t, err)
	require.Equal(t, uint8(types.DynamicFeeTxType), tx.Type())
	receipt, err := f.sim.Client().TransactionReceipt(t.Context(), tx.Hash())
	require.NoError(t, err)
	require.Less(t, receipt.GasUsed, tx.Gas(), "the margin leaves gas unused")
	require.GreaterOrEqual(t, tx.Gas(), receipt.GasUsed*110/100)
}

// noChainID hides the simulated client's ChainID.
type noChainID struct{ ethchain.Backend }

func TestNew(t *testing.T) {
	sim, err := simchain.New(simchain.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	key := sim.Key()

	for _, tc := range []struct {
		name    string
		backend ethchain.Backend
		key     *ecdsa.PrivateKey
		cfg     ethchain.Config
		want    string
	}{
		{"nil backend", nil, key, ethchain.Config{}, "nil backend"},
		{"nil key", sim.Client(), nil, ethchain.Config{}, "nil signing key"},
		{"no chain id", noChainID{sim.Client()}, key, ethchain.Config{}, "ChainID is required"},
		{"zero chain id", sim.Client(), key, ethchain.Config{ChainID: big.NewInt(0)}, "must be positive"},
		{"negative margin", sim.Client(), key, ethchain.Config{GasMarginPercent: -1}, "GasMarginPercent"},
		{"negative poll", sim.Client(), key, ethchain.Config{PollInterval: -time.Second}, "PollInterval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ethchain.New(tc.backend, tc.key, tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}

	c, err := ethchain.New(noChainID{sim.Client()}, key, ethchain.Config{ChainID: big.NewInt(1337)})
	require.NoError(t, err)
	require.Equal(t, crypto.PubkeyToAddress(key.PublicKey).Hex(), c.Signer())
}

func TestParsePrivateKey(t *testing.T) {
	const hexKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"
	want, err := crypto.HexToECDSA(hexKey)
	require.NoError(t, err)
	for _, s := range []string{hexKey, "0x" + hexKey, "0X" + strings.ToUpper(hexKey), " " + hexKey + "\n"} {
		key, err := ethchain.ParsePrivateKey(s)
		require.NoError(t, err, s)
		require.True(t, want.Equal(key))
	}
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"0x", "empty"},
		{hexKey[:62], "64 hex digits"},
		{hexKey + "00", "64 hex digits"},
		{"zz" + hexKey[2:], "not hex"},
		{strings.Repeat("0", 64), "not a valid secp256k1 key"},
		{strings.Repeat("f", 64), "not a valid secp256k1 key"},
	} {
		_, err := ethchain.ParsePrivateKey(tc.in)
		require.ErrorContains(t, err, tc.want, tc.in)
		if len(tc.in) > 8 {
			require.NotContains(t, err.Error(), tc.in[2:10], "the error must not echo the key")
		}
	}
}

// inputParam is the argument a *tokenize.InputError names, or "".
func inputParam(err error) string {
	var ie *tokenize.InputError
	if errors.As(err, &ie) {
		return ie.Param
	}
	return ""
}
