package assetmint_test

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/assetmint/assetmint"
	"github.com/assetmint/assetmint/internal/fakechain"
	"github.com/assetmint/assetmint/tokenize"
)

func chainSetup(t *testing.T, chain *fakechain.Chain) *bundle {
	return flowSetup(t, func(c *assetmint.Config) { c.Chain.Chain = chain })
}

// A verified asset is minted to the business's wallet (or the custody
// address), recorded once its receipt is in, and the asset is tokenized.
func TestVerifiedAssetIsMinted(t *testing.T) {
	chain := fakechain.New()
	b := chainSetup(t, chain)
	ctx := context.Background()
	wallet := "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme", WalletAddress: wallet})
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
	require.Equal(t, chain.Deployed()[0], tok.Contract, "deployed on first use")
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
	require.Len(t, chain.Deployed(), 1)
	require.Equal(t, 2, chain.Mints())
}

// A mint whose answer was lost (a crash between sending and recording)
// runs again, finds the token minted to the right owner, and records it
// once, with the transaction found from the chain.
func TestMintAfterACrashIsRecordedOnce(t *testing.T) {
	chain := fakechain.New()
	chain.LoseNextAnswer(fakechain.Mint)
	b := chainSetup(t, chain)
	ctx := context.Background()
	biz, _, err := b.engine.Operator().CreateBusiness(ctx, assetmint.NewBusiness{Name: "Acme"})
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
	require.Equal(t, 1, chain.Mints(), "minted once")
	tok, err := b.db.AssetToken(ctx, biz.ID, a.ID)
	require.NoError(t, err)
	receipt, err := chain.MintReceipt(ctx, tok.Contract, tokenize.TokenNumber(a.ID))
	require.NoError(t, err)
	require.Equal(t, receipt.TxHash, tok.TxHash)
	require.Equal(t, fakechain.Signer, tok.OwnerAddress, "the custody address, for a business without a wallet")
	page, err := b.engine.Tokens(ctx, biz.ID, assetmint.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
}
