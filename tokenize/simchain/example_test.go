package simchain_test

import (
	"context"
	"fmt"
	"log"
	"math/big"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

// An in-memory chain with a funded signer; each transaction is mined as
// it is sent.
func Example() {
	ctx := context.Background()
	sim, err := simchain.New(simchain.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()

	chain := sim.Chain()
	contract, deployed, err := chain.Deploy(ctx, tokenize.DeployParams{Name: "AssetMint Asset", Symbol: "AMA"})
	if err != nil {
		log.Fatal(err)
	}
	minted, err := chain.Mint(ctx, contract, tokenize.MintParams{
		To: chain.Signer(), TokenNumber: big.NewInt(1), URI: "ipfs://bafy-asset-1",
	})
	if err != nil {
		log.Fatal(err)
	}
	id, err := chain.ChainID(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("chain", id, "deployed in block", deployed.BlockNumber, "minted in block", minted.BlockNumber)
	// Output:
	// chain 1337 deployed in block 1 minted in block 2
}
