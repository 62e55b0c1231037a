package simchain_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/store/fsblob"
	"github.com/assetmint/assetmint/store/sqlite"
	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/simchain"
	"github.com/assetmint/assetmint/valuation"
)

// testMasterKey seals the test engines' secrets at rest.
var testMasterKey = []byte("0123456789abcdef0123456789abcdef")

func newSim(t *testing.T) *simchain.Sim {
	sim, err := simchain.New(simchain.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { sim.Close() })
	return sim
}

// engineOn is an engine over SQLite and document storage in a temp folder,
// minting on chain, on the given clock.
func engineOn(t *testing.T, chain tokenize.Chain, now func() time.Time) (*assetmint.Engine, *sqlite.DB) {
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "engine.db"), sqlite.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Migrate(context.Background()))
	blobs, err := fsblob.New(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	engine, err := assetmint.New(db, assetmint.Config{Now: now, Blobs: blobs, MasterKey: testMasterKey, Logger: slog.New(slog.DiscardHandler),
		Chain: assetmint.ChainConfig{Chain: chain}})
	require.NoError(t, err)
	return engine, db
}

// evidencedCNC submits a CNC machine with its invoice for a new business, so
// that the next RunPending values, verifies and mints it.
func evidencedCNC(t *testing.T, engine *assetmint.Engine) (*assetmint.Business, *assetmint.Asset) {
	ctx := context.Background()
	biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
	require.NoError(t, err)
	a, err := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{Name: "CNC Milling Machine", Type: assetmint.AssetEquipment,
		Description: "2021, excellent condition", EstimatedValue: decimal.NewFromInt(85000)})
	require.NoError(t, err)
	_, err = engine.UploadDocument(ctx, biz.ID, assetmint.NewDocument{
		AssetID: a.ID, Kind: valuation.KindInvoice, Filename: "invoice.pdf", Content: strings.NewReader("%PDF-1.4\n%%EOF\n"),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(150000)), Currency: "USD", Date: new(time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)),
	})
	require.NoError(t, err)
	return biz, a
}

// The engine over the simulated chain, end to end: the reference's CNC
// machine with its invoice is valued, verified and minted; what the chain
// holds at the token matches what the engine recorded, and the token URI's
// JSON hashes to the metadata hash on chain.
func TestEngineMintsOnTheSimulatedChain(t *testing.T) {
	ctx := context.Background()
	sim := newSim(t)
	engine, db := engineOn(t, sim.Chain(), time.Now)

	wallet := "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	biz, _, err := engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", WalletAddress: wallet})
	require.NoError(t, err)
	a, err := engine.SubmitAsset(ctx, biz.ID, assetmint.NewAsset{
		Name: "CNC Milling Machine — Model X200", Type: assetmint.AssetEquipment,
		Description: "Industrial CNC machine, 2021, excellent condition", EstimatedValue: decimal.NewFromInt(85000),
	})
	require.NoError(t, err)
	_, err = engine.UploadDocument(ctx, biz.ID, assetmint.NewDocument{
		AssetID: a.ID, Kind: valuation.KindInvoice, Filename: "invoice.pdf", Content: strings.NewReader("%PDF-1.4\n%%EOF\n"),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(150000)), Currency: "USD", Date: new(time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)),
	})
	require.NoError(t, err)
	require.NoError(t, engine.RunPending(ctx))

	got, err := engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetTokenized, got.Status)
	tok, err := db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, "1337", tok.ChainID)
	require.Equal(t, wallet, tok.OwnerAddress)

	number, ok := new(big.Int).SetString(tok.TokenNumber, 10)
	require.True(t, ok)
	state, err := sim.Chain().Token(ctx, tok.Contract, number)
	require.NoError(t, err)
	require.True(t, state.Exists)
	require.Equal(t, wallet, state.Owner)
	require.Equal(t, tok.TokenURI, state.URI)
	require.Equal(t, tok.MetadataHash, "0x"+hex.EncodeToString(state.MetadataHash[:]))
	require.False(t, state.Locked)
	doc, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(state.URI, "data:application/json;base64,"))
	require.NoError(t, err)
	sum := sha256.Sum256(doc)
	require.Equal(t, state.MetadataHash, sum, "the URI's JSON is what the hash commits to")
	require.Contains(t, string(doc), `"asset_id":"`+a.ID+`"`)

	receipt, err := sim.Chain().MintReceipt(ctx, tok.Contract, number)
	require.NoError(t, err)
	require.Equal(t, receipt.TxHash, tok.TxHash)
	require.Equal(t, receipt.BlockNumber, tok.BlockNumber)
}

// lossyChain loses the answer of the first Mint after the transaction went
// through, as a crash between sending and recording would.
type lossyChain struct {
	tokenize.Chain
	lost bool
}

func (c *lossyChain) Mint(ctx context.Context, contract string, m tokenize.MintParams) (tokenize.Receipt, error) {
	r, err := c.Chain.Mint(ctx, contract, m)
	if err == nil && !c.lost {
		c.lost = true
		return tokenize.Receipt{}, errors.New("connection reset while waiting for the receipt")
	}
	return r, err
}

// The mint job run again after a lost answer gets ErrTokenExists from the
// real contract, finds the transaction from the Minted event, and records
// the token once.
func TestMintRerunOnTheSimulatedChainRecordsOnce(t *testing.T) {
	ctx := context.Background()
	sim := newSim(t)
	now := time.Now()
	engine, _ := engineOn(t, &lossyChain{Chain: sim.Chain()}, func() time.Time { return now })
	biz, a := evidencedCNC(t, engine)
	require.NoError(t, engine.RunPending(ctx))
	got, err := engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetVerified, got.Status, "minted on chain, not recorded")

	now = now.Add(time.Minute) // past the job's backoff
	require.NoError(t, engine.RunPending(ctx))
	got, err = engine.Asset(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, assetmint.AssetTokenized, got.Status)
	page, err := engine.Tokens(ctx, biz.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	tok := page.Items[0]
	number, _ := new(big.Int).SetString(tok.TokenNumber, 10)
	receipt, err := sim.Chain().MintReceipt(ctx, tok.Contract, number)
	require.NoError(t, err)
	require.Equal(t, receipt.TxHash, tok.TxHash, "the hash the first run never recorded")
	require.Equal(t, sim.Chain().Signer(), tok.OwnerAddress, "custody")
}

// After a restart the simulated chain is empty: Remint mints every recorded
// token on the new contract with its recorded owner, URI and hash, and
// records where it now lives; running it again changes nothing.
func TestRemintOnAFreshChain(t *testing.T) {
	ctx := context.Background()
	before := newSim(t)
	engine, db := engineOn(t, before.Chain(), time.Now)
	biz, a := evidencedCNC(t, engine)
	require.NoError(t, engine.RunPending(ctx))
	old, err := db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)

	// A new process: a fresh chain, a fresh contract, the same database.
	after := newSim(t)
	contract, _, err := after.Chain().Deploy(ctx, tokenize.DeployParams{Name: "T", Symbol: "T"})
	require.NoError(t, err)
	restarted, err := assetmint.New(db, assetmint.Config{MasterKey: testMasterKey, Logger: slog.New(slog.DiscardHandler),
		Chain: assetmint.ChainConfig{Chain: after.Chain(), Contract: contract}})
	require.NoError(t, err)
	n, err := restarted.Operator().Remint(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	moved, err := db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, contract, moved.Contract)
	require.NotEqual(t, old.TxHash, moved.TxHash)
	require.Equal(t, old.ID, moved.ID)
	number, _ := new(big.Int).SetString(moved.TokenNumber, 10)
	state, err := after.Chain().Token(ctx, contract, number)
	require.NoError(t, err)
	require.Equal(t, old.OwnerAddress, state.Owner)
	require.Equal(t, old.TokenURI, state.URI)
	require.Equal(t, old.MetadataHash, "0x"+hex.EncodeToString(state.MetadataHash[:]))
	receipt, err := after.Chain().MintReceipt(ctx, contract, number)
	require.NoError(t, err)
	require.Equal(t, receipt.TxHash, moved.TxHash)

	n, err = restarted.Operator().Remint(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing left to re-mint")
	again, err := db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	require.Equal(t, moved.TxHash, again.TxHash)
}
