package ethchain_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/ethchain"
	"github.com/assetmint/assetmint/tokenize/simchain"
)

// Deploy an AssetToken, mint an asset's token, read it back, and see a
// second mint of the same token refused.
func Example() {
	ctx := context.Background()
	sim, err := simchain.New(simchain.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()
	var chain tokenize.Chain = sim.Chain() // an *ethchain.Chain

	contract, _, err := chain.Deploy(ctx, tokenize.DeployParams{Name: "AssetMint Asset", Symbol: "AMA"})
	if err != nil {
		log.Fatal(err)
	}
	owner := "0x00000000000000000000000000000000000a11ce"
	mint := tokenize.MintParams{
		To:           owner,
		TokenNumber:  tokenize.TokenNumber("asset_01"),
		URI:          "ipfs://bafy-asset-01",
		MetadataHash: crypto.Keccak256Hash([]byte(`{"asset_id":"asset_01"}`)),
	}
	if _, err := chain.Mint(ctx, contract, mint); err != nil {
		log.Fatal(err)
	}
	token, err := chain.Token(ctx, contract, mint.TokenNumber)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(token.Exists, token.Owner, token.URI, token.Locked)

	_, err = chain.Mint(ctx, contract, mint)
	fmt.Println(errors.Is(err, tokenize.ErrTokenExists))
	var revert *ethchain.RevertError
	if errors.As(err, &revert) {
		fmt.Println(revert.Name)
	}
	// Output:
	// true 0x00000000000000000000000000000000000A11cE ipfs://bafy-asset-01 false
	// true
	// ERC721InvalidSender
}

func ExampleParsePrivateKey() {
	key, err := ethchain.ParsePrivateKey("0xb71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(crypto.PubkeyToAddress(key.PublicKey).Hex())

	_, err = ethchain.ParsePrivateKey("0x1234")
	fmt.Println(err)
	// Output:
	// 0x71562b71999873DB5b286dF957af199Ec94617F7
	// ethchain: private key must be 64 hex digits (32 bytes), got 4 characters
}
