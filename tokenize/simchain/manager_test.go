package simchain_test

import (
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
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/testclock"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
	"github.com/assetmint/assetmint/tokenize/ethchain"
	"github.com/assetmint/assetmint/tokenize/simchain"
	"github.com/assetmint/assetmint/valuation"
)

// managed is an engine over SQLite whose chain is a transaction manager
// on the simulated chain.
type managed struct {
	engine *assetmint.Engine
	db     *sqlite.DB
	sim    *simchain.Sim
	m      *ethchain.Manager
	clock  *testclock.Clock
}

func managedSetup(t *testing.T, lc assetmint.LendingConfig, chain func(sim *simchain.Sim, db *sqlite.DB) *ethchain.Manager) *managed {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "engine.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(context.Background()))
	sim := newSim(t)
	var m *ethchain.Manager
	if chain != nil {
		m = chain(sim, db)
	} else {
		m, err = sim.Manager(db, ethchain.ManagerConfig{})
		require.NoError(t, err)
	}
	blobs, err := fsblob.New(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	clock := testclock.New(time.Now().UTC())
	engine, err := assetmint.New(db, assetmint.Config{Now: clock.Now, Blobs: blobs, MasterKey: testMasterKey,
		Logger: slog.New(slog.DiscardHandler), Chain: assetmint.ChainConfig{Chain: m}, Lending: lc})
	require.NoError(t, err)
	return &managed{engine: engine, db: db, sim: sim, m: m, clock: clock}
}

// evidenced submits n CNC machines of a new business, each with an invoice
// of its own, so that the next RunPending values, verifies and mints them.
func evidenced(t *testing.T, engine *assetmint.Engine, n int) (string, []string) {
	ctx := context.Background()
	biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	var ids []string
	for i := range n {
		a, err := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: fmt.Sprintf("CNC Milling Machine %d", i),
			Type: assetmint.AssetEquipment, Description: "2021, excellent condition", EstimatedValue: decimal.NewFromInt(85000)})
		require.NoError(t, err)
		_, err = engine.UploadDocument(ctx, biz.ID, assetmint.NewDocument{
			AssetID: a.ID, Kind: valuation.KindInvoice, Filename: "invoice.pdf",
			Content: strings.NewReader(fmt.Sprintf("%%PDF-1.4\n%% invoice %s\n%%%%EOF\n", a.ID)),
			Amount:  decimal.NewNullDecimal(decimal.NewFromInt(150000)), Currency: "USD", Serial: fmt.Sprintf("X200-%04d", i),
			Date: new(time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)),
		})
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	return biz.ID, ids
}

// mintedOnChain counts the Minted events of each token number, read with
// bind v2.
func mintedOnChain(t *testing.T, sim *simchain.Sim, contract string) (map[string]int, map[uint64]int) {
	t.Helper()
	token := contracts.NewAssetToken()
	logs, err := sim.Client().FilterLogs(t.Context(), ethereum.FilterQuery{
		FromBlock: big.NewInt(0), Addresses: []common.Address{common.HexToAddress(contract)},
		Topics: [][]common.Hash{{token.GetABI().Events[contracts.AssetTokenMintedEventName].ID}},
	})
	require.NoError(t, err)
	byToken, byBlock := map[string]int{}, map[uint64]int{}
	for i := range logs {
		ev, err := token.UnpackMintedEvent(&logs[i])
		require.NoError(t, err)
		byToken[ev.TokenId.String()]++
		byBlock[logs[i].BlockNumber]++
	}
	return byToken, byBlock
}

// requireTokenizedOnce checks every asset is tokenized, its token recorded
// with the transaction that minted it, and minted once on chain.
func (mg *managed) requireTokenizedOnce(t *testing.T, biz string, ids []string) (blocks map[uint64]int) {
	t.Helper()
	ctx := context.Background()
	page, err := mg.engine.Tokens(ctx, biz, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.Items, len(ids), "one token per asset")
	var contract string
	for _, id := range ids {
		a, err := mg.engine.Asset(ctx, biz, id)
		require.NoError(t, err)
		require.Equal(t, assetmint.AssetTokenized, a.Status)
		tok, err := mg.db.AssetToken(ctx, biz, id)
		require.NoError(t, err)
		contract = tok.Contract
		r, err := mg.m.MintReceipt(ctx, tok.Contract, tokenize.TokenNumber(id))
		require.NoError(t, err)
		require.Equal(t, r, tokenize.Receipt{TxHash: tok.TxHash, BlockNumber: tok.BlockNumber})
	}
	byToken, byBlock := mintedOnChain(t, mg.sim, contract)
	require.Len(t, byToken, len(ids))
	for n, c := range byToken {
		require.Equal(t, 1, c, "token %s minted once", n)
	}
	return byBlock
}

// Verified assets are minted through the manager: the mint jobs submit and
// return, the confirmation job awaits the receipts together and records
// each token once; one block carries many mints.
func TestEngineMintsThroughTheManager(t *testing.T) {
	mg := managedSetup(t, assetmint.LendingConfig{}, nil)
	ctx := context.Background()
	biz, ids := evidenced(t, mg.engine, 10)
	require.NoError(t, mg.engine.RunPending(ctx))
	blocks := mg.requireTokenizedOnce(t, biz, ids)
	t.Logf("mints by block: %v", blocks)
	require.Less(t, len(blocks), len(ids), "several mints a block: %v", blocks)

	a, err := mg.engine.Asset(ctx, biz, ids[0])
	require.NoError(t, err)
	j, err := mg.db.JobByKey(ctx, fmt.Sprintf("mint:%s:%d", ids[0], a.Revision))
	require.NoError(t, err)
	require.Equal(t, "asset:"+ids[0], j.Lane, "a mint runs in its asset's lane")
	st, err := mg.engine.Operator().ChainState(ctx)
	require.NoError(t, err)
	require.True(t, st.Managed)
	require.Len(t, st.Signers, 1)
	s := st.Signers[0]
	require.Equal(t, mg.m.Signer(), s.Signer)
	require.Zero(t, s.InFlight)
	require.Zero(t, s.Unsettled)
	require.Equal(t, uint64(len(ids)+1), s.NextNonce, "the deployment and the mints")
	require.Equal(t, s.NextNonce, s.ChainNonce)
	require.Equal(t, ethchain.DefaultMaxInFlight, s.MaxInFlight)
}

// A loan's lock, its release after repayment, and another loan's seizure
// after default go through the manager and are recorded once each.
func TestEngineLoanActionsThroughTheManager(t *testing.T) {
	lender := "0x00000000000000000000000000000000000A11cE"
	mg := managedSetup(t, assetmint.LendingConfig{AutoFund: true, LenderAddress: lender}, nil)
	ctx := context.Background()
	biz, ids := evidenced(t, mg.engine, 2)
	require.NoError(t, mg.engine.RunPending(ctx))
	mg.requireTokenizedOnce(t, biz, ids)
	state := func(id string) tokenize.TokenState {
		tok, err := mg.db.AssetToken(ctx, biz, id)
		require.NoError(t, err)
		s, err := mg.m.Token(ctx, tok.Contract, tokenize.TokenNumber(id))
		require.NoError(t, err)
		return s
	}

	repaid, err := mg.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: ids[0], Amount: decimal.NewFromInt(20000), TermMonths: 12})
	require.NoError(t, err)
	defaulted, err := mg.engine.RequestLoan(ctx, biz, assetmint.NewLoan{AssetID: ids[1], Amount: decimal.NewFromInt(20000), TermMonths: 12})
	require.NoError(t, err)
	require.NoError(t, mg.engine.RunPending(ctx))
	for _, l := range []*assetmint.Loan{repaid, defaulted} {
		got, err := mg.engine.Loan(ctx, biz, l.ID)
		require.NoError(t, err)
		require.Equal(t, assetmint.LoanFunded, got.Status)
		require.True(t, state(l.AssetID).Locked)
	}

	got, err := mg.engine.Loan(ctx, biz, repaid.ID)
	require.NoError(t, err)
	_, err = mg.engine.Operator().RecordRepayment(ctx, repaid.ID, assetmint.NewRepayment{Amount: got.Position.Payoff})
	require.NoError(t, err)
	require.NoError(t, mg.engine.RunPending(ctx))
	require.False(t, state(ids[0]).Locked, "released on chain")
	tok, err := mg.db.AssetToken(ctx, biz, ids[0])
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenMinted, tok.Status)

	mg.clock.Advance(200 * 24 * time.Hour)
	_, err = mg.engine.Operator().ServiceLoans(ctx)
	require.NoError(t, err)
	require.NoError(t, mg.engine.RunPending(ctx))
	s := state(ids[1])
	require.True(t, s.Seized)
	require.Equal(t, lender, s.Owner)
	tok, err = mg.db.AssetToken(ctx, biz, ids[1])
	require.NoError(t, err)
	require.Equal(t, assetmint.TokenSeized, tok.Status)

	events, err := mg.engine.Events(ctx, biz, assetmint.ListParams{Limit: 100})
	require.NoError(t, err)
	counts := map[string]int{}
	for _, ev := range events.Items {
		counts[ev.Type]++
	}
	require.Equal(t, 2, counts["token.locked"])
	require.Equal(t, 2, counts["loan.funded"])
	require.Equal(t, 1, counts["token.unlocked"])
	require.Equal(t, 1, counts["token.seized"])
	require.Equal(t, 2, counts["token.minted"])
}

// dropFirst is the simulated node, except that the first broadcast of a
// mint never reaches it.
type dropFirst struct {
	simulated.Client
	mu      sync.Mutex
	dropped bool
}

func (d *dropFirst) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	d.mu.Lock()
	drop := !d.dropped && tx.To() != nil // the first call after the deployment: a mint
	if drop {
		d.dropped = true
	}
	d.mu.Unlock()
	if drop {
		return errors.New("EOF")
	}
	return d.Client.SendTransaction(ctx, tx)
}

// An intent that fails (its nonce taken by another transaction of the
// key) is settled by running its job again, which submits a new intent;
// the token is minted and recorded once.
func TestEngineRetriesAFailedIntent(t *testing.T) {
	var node *dropFirst
	mg := managedSetup(t, assetmint.LendingConfig{}, func(sim *simchain.Sim, db *sqlite.DB) *ethchain.Manager {
		node = &dropFirst{Client: sim.Client()}
		chain, err := ethchain.New(node, sim.Key(), ethchain.Config{ChainID: simchain.ChainID, PollInterval: 5 * time.Millisecond})
		require.NoError(t, err)
		// No Mine: the test mines.
		m, err := ethchain.NewManager(chain, db, ethchain.ManagerConfig{})
		require.NoError(t, err)
		return m
	})
	ctx := context.Background()
	// The simulated backend's Commit is not safe to call concurrently: the
	// two goroutines below that mine take turns.
	var mining sync.Mutex
	mine := func() {
		mining.Lock()
		defer mining.Unlock()
		mg.sim.Backend().Commit()
	}
	go func() { // blocks for the deployment
		for ctx.Err() == nil && !t.Failed() {
			time.Sleep(5 * time.Millisecond)
			node.mu.Lock()
			dropped := node.dropped
			node.mu.Unlock()
			if dropped {
				return
			}
			mine()
		}
	}()
	biz, ids := evidenced(t, mg.engine, 1)
	// Runs until the mint is submitted (and its broadcast lost); the
	// confirmation job waits for a block.
	done := make(chan error, 1)
	go func() { done <- mg.engine.RunPending(ctx) }()
	var mint *tokenize.Intent
	require.Eventually(t, func() bool {
		in, err := mg.m.Live(ctx, "mint:"+ids[0])
		mint = in
		return err == nil && in != nil
	}, 10*time.Second, 5*time.Millisecond)

	// Another program with the key takes the nonce.
	self := common.HexToAddress(mg.m.Signer())
	other, err := types.SignNewTx(mg.sim.Key(), types.LatestSignerForChainID(simchain.ChainID), &types.DynamicFeeTx{
		ChainID: simchain.ChainID, Nonce: mint.Nonce, GasTipCap: big.NewInt(2e9), GasFeeCap: big.NewInt(10e9), Gas: 21_000, To: &self,
		Value: new(big.Int)})
	require.NoError(t, err)
	require.NoError(t, mg.sim.Client().SendTransaction(ctx, other))
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				mine()
			}
		}
	}()
	defer close(stop)
	require.NoError(t, <-done)
	failed, err := mg.db.Intent(ctx, mint.ID)
	require.NoError(t, err)
	require.Equal(t, tokenize.IntentFailed, failed.State)
	require.False(t, failed.SettledAt.IsZero())
	a, err := mg.engine.Asset(ctx, biz, ids[0])
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetVerified, a.Status, "not minted yet: the job runs again after its back-off")

	mg.clock.Advance(time.Minute)
	require.NoError(t, mg.engine.RunPending(ctx))
	mg.requireTokenizedOnce(t, biz, ids)
	retry, err := mg.db.JobByKey(ctx, fmt.Sprintf("%s:retry:%d", assetmint.JobMint, mint.ID))
	require.NoError(t, err)
	require.Contains(t, string(retry.Payload), `"tries":1`)
	again, err := mg.m.Live(ctx, "mint:"+ids[0])
	require.NoError(t, err)
	require.NotEqual(t, mint.ID, again.ID)
	require.Equal(t, mint.Nonce+1, again.Nonce)
}

// blackhole is the simulated node, except that no call to a contract
// reaches it (deployments do).
type blackhole struct{ simulated.Client }

func (b blackhole) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	if tx.To() != nil {
		return errors.New("EOF")
	}
	return b.Client.SendTransaction(ctx, tx)
}

// The simulated chain is lost (the process restarted) while a mint was in
// flight: Remint on the fresh chain enqueues the mint again, and the asset
// is minted there once.
func TestRemintResumesAMintInFlight(t *testing.T) {
	mg := managedSetup(t, assetmint.LendingConfig{}, func(sim *simchain.Sim, db *sqlite.DB) *ethchain.Manager {
		chain, err := ethchain.New(blackhole{sim.Client()}, sim.Key(), ethchain.Config{ChainID: simchain.ChainID, PollInterval: 5 * time.Millisecond})
		require.NoError(t, err)
		m, err := ethchain.NewManager(chain, db, ethchain.ManagerConfig{ConfirmFor: 50 * time.Millisecond,
			Mine: func() { sim.Backend().Commit() }})
		require.NoError(t, err)
		return m
	})
	ctx := context.Background()
	biz, ids := evidenced(t, mg.engine, 1)
	require.NoError(t, mg.engine.RunPending(ctx), "ends while the mint is stuck")
	in, err := mg.m.Live(ctx, "mint:"+ids[0])
	require.NoError(t, err)
	require.Equal(t, tokenize.IntentPending, in.State)

	// A new process: a fresh chain and key, a fresh contract, the same
	// database.
	after := newSim(t)
	m, err := after.Manager(mg.db, ethchain.ManagerConfig{})
	require.NoError(t, err)
	contract, _, err := m.Deploy(ctx, tokenize.DeployParams{Name: "T", Symbol: "T"})
	require.NoError(t, err)
	restarted, err := assetmint.New(mg.db, assetmint.Config{Now: mg.clock.Now, MasterKey: testMasterKey, Logger: slog.New(slog.DiscardHandler),
		Chain: assetmint.ChainConfig{Chain: m, Contract: contract}})
	require.NoError(t, err)
	n, err := restarted.Operator().Remint(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "no token was recorded")
	require.NoError(t, restarted.RunPending(ctx))
	mg.sim, mg.m, mg.engine = after, m, restarted
	mg.requireTokenizedOnce(t, biz, ids)
	n, err = restarted.Operator().Remint(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.NoError(t, restarted.RunPending(ctx))
	mg.requireTokenizedOnce(t, biz, ids)
}
