package assetmint

import (
	"context"
	"time"
)

// TokenStatus is where a token is: minted -> locked -> (minted | seized);
// burned.
type TokenStatus string

const (
	TokenMinted TokenStatus = "minted"
	TokenLocked TokenStatus = "locked"
	TokenSeized TokenStatus = "seized"
	TokenBurned TokenStatus = "burned"
)

// Token is an asset's ERC-721 token, recorded once its mint receipt is in.
type Token struct {
	ID           string
	BusinessID   string
	AssetID      string
	ChainID      string // decimal
	Contract     string // the AssetToken contract's address (the API's token_address)
	TokenNumber  string // the ERC-721 id, decimal
	OwnerAddress string
	TxHash       string // the mint transaction
	BlockNumber  uint64
	Status       TokenStatus
	MetadataHash string // 0x-prefixed hex SHA-256 of the metadata JSON
	TokenURI     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TokenStore keeps tokens and the small settings the chain side needs.
type TokenStore interface {
	// CreateToken inserts t. ECONFLICT if the id exists or the asset has a
	// token already; ENOTFOUND if the asset is not the business's.
	CreateToken(ctx context.Context, t *Token) error
	// Token reads one of the business's tokens. ENOTFOUND if absent or
	// another business's.
	Token(ctx context.Context, businessID, id string) (*Token, error)
	// AssetToken reads an asset's token. ENOTFOUND if it has none.
	AssetToken(ctx context.Context, businessID, assetID string) (*Token, error)
	// Tokens lists the business's tokens, newest first.
	Tokens(ctx context.Context, businessID string, p ListParams) (Page[*Token], error)
	// UpdateToken writes t's owner, status, metadata and timestamps (scoped
	// by t.BusinessID). ENOTFOUND if absent.
	UpdateToken(ctx context.Context, t *Token) error
	// AllTokens lists every business's tokens, newest first: for platform
	// work such as re-minting on a new chain, never for a business.
	AllTokens(ctx context.Context, p ListParams) (Page[*Token], error)
	// MoveToken writes where a re-minted token now lives: its contract,
	// mint transaction and block (scoped by t.BusinessID). ENOTFOUND if
	// absent; ECONFLICT if another token holds that contract and number.
	MoveToken(ctx context.Context, t *Token) error
	// Setting reads a platform setting (such as the deployed contract's
	// address per chain). ENOTFOUND if unset.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting writes a platform setting, replacing any value.
	SetSetting(ctx context.Context, key, value string) error
}
