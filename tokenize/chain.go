package tokenize

import (
	"context"
	"crypto/sha256"
	"errors"
	"math/big"
)

// Chain is what the Engine needs of an EVM chain that holds AssetToken
// contracts (tokenize/contracts). Addresses are 0x-prefixed hex strings
// (EIP-55 checksummed on output) and token numbers are the ERC-721 ids, so
// that this package, and the Engine, do not import go-ethereum:
// tokenize/ethchain implements Chain over any go-ethereum backend and
// tokenize/simchain provides the in-process simulated chain.
//
// Every transaction method waits for its receipt (and the adapter's
// configured confirmations) and fails with an error wrapping ErrReverted
// when the receipt's status is 0 or the call would revert.
type Chain interface {
	// ChainID is the chain's id.
	ChainID(ctx context.Context) (*big.Int, error)
	// Signer is the address that sends every transaction; it holds the
	// contract's minter and lender roles when it deployed the contract.
	Signer() string
	// Deploy deploys an AssetToken and waits for it to be mined.
	Deploy(ctx context.Context, p DeployParams) (contract string, r Receipt, err error)
	// Mint mints m.TokenNumber to m.To. A token that exists already fails
	// with an error wrapping ErrTokenExists.
	Mint(ctx context.Context, contract string, m MintParams) (Receipt, error)
	// Lock, Unlock and Seize are the lender's actions on a token.
	Lock(ctx context.Context, contract string, tokenNumber *big.Int) (Receipt, error)
	Unlock(ctx context.Context, contract string, tokenNumber *big.Int) (Receipt, error)
	Seize(ctx context.Context, contract string, tokenNumber *big.Int, to string) (Receipt, error)
	// Token reads a token's state; Exists is false when it was never
	// minted.
	Token(ctx context.Context, contract string, tokenNumber *big.Int) (TokenState, error)
	// MintReceipt finds the transaction that minted a token, from the
	// contract's Minted event: how a mint job that crashed after sending
	// learns the hash it never recorded. An error wrapping ErrNotMinted if
	// there is no such event.
	MintReceipt(ctx context.Context, contract string, tokenNumber *big.Int) (Receipt, error)
}

// DeployParams are an AssetToken's constructor arguments.
type DeployParams struct {
	Name, Symbol          string
	Admin, Minter, Lender string // addresses
}

// MintParams are a mint's arguments.
type MintParams struct {
	To           string
	TokenNumber  *big.Int
	URI          string
	MetadataHash [32]byte
}

// Receipt is a mined transaction.
type Receipt struct {
	TxHash      string
	BlockNumber uint64
}

// TokenState is a token as the chain has it.
type TokenState struct {
	Exists       bool
	Owner        string
	URI          string
	MetadataHash [32]byte
	Locked       bool
	Seized       bool
}

var (
	// ErrReverted: the transaction or call reverted (the wrapping error
	// names the contract's custom error when it is known).
	ErrReverted = errors.New("tokenize: reverted")
	// ErrTokenExists: the token number is minted already.
	ErrTokenExists = errors.New("tokenize: token already minted")
	// ErrNotMinted: the token number was never minted.
	ErrNotMinted = errors.New("tokenize: token not minted")
)

// TokenNumber derives an asset's ERC-721 token id from its asset id: the
// SHA-256 of "assetmint:asset:" + id, as a uint256. Deriving it (rather than
// counting) is what makes a retried mint idempotent: a mint job that runs
// twice asks for the same token, finds it minted to the right owner, and
// records it.
func TokenNumber(assetID string) *big.Int {
	sum := sha256.Sum256([]byte("assetmint:asset:" + assetID))
	return new(big.Int).SetBytes(sum[:])
}
