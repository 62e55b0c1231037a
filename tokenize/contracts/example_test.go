package contracts_test

import (
	"context"
	"fmt"
	"log"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/assetmint/assetmint/tokenize/contracts"
)

// Deploy AssetToken on the simulated chain, mint a token to a borrower, pledge it, and watch a
// transfer of the pledged token fail with TokenLocked.
func Example() {
	ctx := context.Background()
	platformKey, _ := crypto.GenerateKey()
	borrowerKey, _ := crypto.GenerateKey()
	platform := bind.NewKeyedTransactor(platformKey, big.NewInt(1337))
	borrower := bind.NewKeyedTransactor(borrowerKey, big.NewInt(1337))
	eth := big.NewInt(1_000_000_000_000_000_000)
	backend := simulated.NewBackend(types.GenesisAlloc{
		platform.From: {Balance: eth},
		borrower.From: {Balance: eth},
	})
	defer backend.Close()
	client := backend.Client()

	// mined sends a transaction, seals a block and returns the receipt.
	mined := func(tx *types.Transaction, err error) *types.Receipt {
		if err != nil {
			log.Fatal(err)
		}
		backend.Commit()
		receipt, err := bind.WaitMined(ctx, client, tx.Hash())
		if err != nil {
			log.Fatal(err)
		}
		return receipt
	}

	// The platform signer holds all three roles here; production may split them.
	token := contracts.NewAssetToken()
	addr, tx, err := bind.DeployContract(platform, common.FromHex(contracts.AssetTokenMetaData.Bin), client,
		token.PackConstructor("AssetMint Asset", "AMA", platform.From, platform.From, platform.From))
	mined(tx, err)
	instance := token.Instance(client, addr)

	tokenID := big.NewInt(42)
	receipt := mined(bind.Transact(instance, platform,
		token.PackMint(borrower.From, tokenID, "ipfs://asset-42", crypto.Keccak256Hash([]byte("metadata")))))
	minted, err := token.UnpackMintedEvent(receipt.Logs[len(receipt.Logs)-1])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("minted token", minted.TokenId, "to the borrower:", minted.To == borrower.From)

	mined(bind.Transact(instance, platform, token.PackLock(tokenID)))
	locked, err := bind.Call(instance, nil, token.PackLocked(tokenID), token.UnpackLocked)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("locked:", locked)

	_, err = bind.Transact(instance, borrower, token.PackTransferFrom(borrower.From, platform.From, tokenID))
	if reason, ok := token.DecodeRevert(err); ok {
		if locked, ok := reason.(*contracts.AssetTokenTokenLocked); ok {
			fmt.Println("transfer refused: token", locked.TokenId, "is locked")
		}
	}
	// Output:
	// minted token 42 to the borrower: true
	// locked: true
	// transfer refused: token 42 is locked
}
