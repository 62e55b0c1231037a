package ethchain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/contracts"
)

// Backend is what the Chain needs of a node: *ethclient.Client and the
// simulated backend's client both satisfy it. A backend that also
// implements ethereum.ChainIDReader is asked for the chain id when
// Config.ChainID is nil.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
}

// Defaults for the zero Config.
const (
	DefaultConfirmations     = 1
	DefaultPollInterval      = 200 * time.Millisecond
	DefaultGasMarginPercent  = 20
	DefaultReceiptTimeout    = 2 * time.Minute
	DefaultDependentGasLimit = 1_000_000
)

// Config holds the Chain's optional settings; the zero value means the
// defaults.
type Config struct {
	// ChainID signs transactions (EIP-155). Required unless the backend
	// implements ethereum.ChainIDReader, which is then asked once.
	ChainID *big.Int
	// Confirmations is how many blocks, counting the receipt's own, must
	// be on the chain before a transaction method returns. Default 1.
	Confirmations uint64
	// PollInterval is how often the receipt and the head are polled.
	// Default 200ms.
	PollInterval time.Duration
	// GasMarginPercent is added to the gas estimate. Default 20; negative
	// is invalid.
	GasMarginPercent int
	// DependentGasLimit is the explicit gas limit used when gas estimation
	// reverts while earlier transactions of this signer are still
	// unmined: the estimate ran against a state that lacks them (a lock
	// sent in the same block as its mint), so the transaction is sent with
	// this limit and its receipt decides. Default 1,000,000.
	DependentGasLimit uint64
	// ReceiptTimeout bounds the wait for a receipt and its confirmations
	// (on top of the caller's context). Default 2m.
	ReceiptTimeout time.Duration
	// LogsFromBlock is the first block MintReceipt searches for Minted
	// events (the contract's deployment block keeps the query small on
	// nodes that limit log ranges). Default 0.
	LogsFromBlock uint64
	// Commit, when set, mines a block on a backend that mines only on
	// demand (the simulated backend's Commit). It is called after every
	// send, so each transaction is mined before the next one is sent, and
	// while waiting for confirmations.
	Commit func()
}

// Chain implements tokenize.Chain over a go-ethereum backend with one
// signing key. Its methods are safe for concurrent use: sends are
// serialized in nonce order, receipts are awaited concurrently.
type Chain struct {
	backend Backend
	key     *ecdsa.PrivateKey
	from    common.Address
	cfg     Config
	token   *contracts.AssetToken

	idMu    sync.Mutex
	chainID *big.Int
	signer  types.Signer

	mu       sync.Mutex // serializes sends; guards the fields below
	nonce    uint64
	nonceOK  bool // false: fetch the pending nonce before the next send
	inflight int  // sent, receipt not yet seen
}

var _ tokenize.Chain = (*Chain)(nil)

// New returns a Chain that signs with key and sends through backend. It
// fails when the settings are invalid or when neither cfg.ChainID nor the
// backend can give the chain id.
func New(backend Backend, key *ecdsa.PrivateKey, cfg Config) (*Chain, error) {
	if backend == nil {
		return nil, errors.New("ethchain: nil backend")
	}
	if key == nil {
		return nil, errors.New("ethchain: nil signing key")
	}
	if cfg.ChainID == nil {
		if _, ok := backend.(ethereum.ChainIDReader); !ok {
			return nil, errors.New("ethchain: Config.ChainID is required: the backend cannot report the chain id")
		}
	} else if cfg.ChainID.Sign() <= 0 {
		return nil, fmt.Errorf("ethchain: Config.ChainID must be positive, got %s", cfg.ChainID)
	}
	if cfg.GasMarginPercent < 0 {
		return nil, fmt.Errorf("ethchain: Config.GasMarginPercent must not be negative, got %d", cfg.GasMarginPercent)
	}
	if cfg.PollInterval < 0 || cfg.ReceiptTimeout < 0 {
		return nil, errors.New("ethchain: Config.PollInterval and ReceiptTimeout must not be negative")
	}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = DefaultConfirmations
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.GasMarginPercent == 0 {
		cfg.GasMarginPercent = DefaultGasMarginPercent
	}
	if cfg.DependentGasLimit == 0 {
		cfg.DependentGasLimit = DefaultDependentGasLimit
	}
	if cfg.ReceiptTimeout == 0 {
		cfg.ReceiptTimeout = DefaultReceiptTimeout
	}
	c := &Chain{
		backend: backend,
		key:     key,
		from:    crypto.PubkeyToAddress(key.PublicKey),
		cfg:     cfg,
		token:   contracts.NewAssetToken(),
	}
	if cfg.ChainID != nil {
		c.chainID = new(big.Int).Set(cfg.ChainID)
		c.signer = types.LatestSignerForChainID(c.chainID)
	}
	return c, nil
}

// ChainID returns Config.ChainID, or asks the backend once. Errors: the
// backend's.
func (c *Chain) ChainID(ctx context.Context) (*big.Int, error) {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	if c.chainID == nil {
		id, err := c.backend.(ethereum.ChainIDReader).ChainID(ctx)
		if err != nil {
			return nil, fmt.Errorf("ethchain: chain id: %w", err)
		}
		c.chainID = id
		c.signer = types.LatestSignerForChainID(id)
	}
	return new(big.Int).Set(c.chainID), nil
}

// Signer returns the EIP-55 address of the signing key.
func (c *Chain) Signer() string { return c.from.Hex() }

// Deploy deploys an AssetToken. An empty Admin, Minter or Lender defaults
// to the signer. Errors: a *tokenize.InputError (Param "admin",
// "minter" or "lender") for a malformed address; a *RevertError (wrapping
// tokenize.ErrReverted) when the constructor reverts, as for a zero role
// holder; the backend's errors; the context's error.
func (c *Chain) Deploy(ctx context.Context, p tokenize.DeployParams) (string, tokenize.Receipt, error) {
	roles := make([]common.Address, 3)
	for i, f := range []struct{ name, value string }{{"admin", p.Admin}, {"minter", p.Minter}, {"lender", p.Lender}} {
		if f.value == "" {
			roles[i] = c.from
			continue
		}
		a, err := parseAddress(f.name, f.value)
		if err != nil {
			return "", tokenize.Receipt{}, err
		}
		roles[i] = a
	}
	data := append(common.FromHex(contracts.AssetTokenMetaData.Bin),
		c.token.PackConstructor(p.Name, p.Symbol, roles[0], roles[1], roles[2])...)
	r, err := c.transact(ctx, "deploy", nil, data)
	if err != nil {
		return "", tokenize.Receipt{}, err
	}
	code, err := c.backend.CodeAt(ctx, r.ContractAddress, r.BlockNumber)
	if err != nil {
		return "", tokenize.Receipt{}, fmt.Errorf("ethchain: deploy: reading the contract's code: %w", err)
	}
	if len(code) == 0 {
		return "", tokenize.Receipt{}, fmt.Errorf("ethchain: deploy: %w at %s", bind.ErrNoCodeAfterDeploy, r.ContractAddress.Hex())
	}
	return r.ContractAddress.Hex(), receipt(r), nil
}

// Mint mints m.TokenNumber to m.To with its URI and metadata hash. Errors:
// a *tokenize.InputError (Param "contract", "to" or
// "token_number") for bad input; a *RevertError wrapping
// tokenize.ErrTokenExists and tokenize.ErrReverted when the token number is
// taken (ERC721InvalidSender, or TokenLocked for a pledged token), or wrapping tokenize.ErrReverted for any other revert (the signer
// lacks MINTER_ROLE, the receiver cannot hold tokens); bind.ErrNoCode
// (wrapped) when no contract is at the address; the backend's errors; the
// context's error.
func (c *Chain) Mint(ctx context.Context, contract string, m tokenize.MintParams) (tokenize.Receipt, error) {
	addr, err := parseAddress("contract", contract)
	if err != nil {
		return tokenize.Receipt{}, err
	}
	to, err := parseAddress("to", m.To)
	if err != nil {
		return tokenize.Receipt{}, err
	}
	if err := checkTokenNumber(m.TokenNumber); err != nil {
		return tokenize.Receipt{}, err
	}
	r, err := c.transact(ctx, "mint", &addr, c.token.PackMint(to, m.TokenNumber, m.URI, m.MetadataHash))
	return receipt(r), err
}

// Lock pledges a token: transfers revert until Unlock. Errors: as Mint's
// for bad input; a *RevertError wrapping tokenize.ErrReverted naming
// AlreadyLocked, ERC721NonexistentToken or
// AccessControlUnauthorizedAccount (the signer lacks LENDER_ROLE); the
// backend's and the context's errors.
func (c *Chain) Lock(ctx context.Context, contract string, tokenNumber *big.Int) (tokenize.Receipt, error) {
	return c.tokenTx(ctx, "lock", contract, tokenNumber, c.token.PackLock)
}

// Unlock releases a pledged token. Errors: as Lock's, with NotLocked in
// place of AlreadyLocked.
func (c *Chain) Unlock(ctx context.Context, contract string, tokenNumber *big.Int) (tokenize.Receipt, error) {
	return c.tokenTx(ctx, "unlock", contract, tokenNumber, c.token.PackUnlock)
}

// Seize moves a locked token to to and marks it seized; it stays locked.
// Errors: as Lock's (NotLocked for an unlocked token,
// ERC721InvalidReceiver for a receiver that cannot hold it), and an
// *tokenize.InputError (Param "to") for a malformed address.
func (c *Chain) Seize(ctx context.Context, contract string, tokenNumber *big.Int, to string) (tokenize.Receipt, error) {
	toAddr, err := parseAddress("to", to)
	if err != nil {
		return tokenize.Receipt{}, err
	}
	return c.tokenTx(ctx, "seize", contract, tokenNumber, func(n *big.Int) []byte {
		return c.token.PackSeize(n, toAddr)
	})
}

func (c *Chain) tokenTx(ctx context.Context, method, contract string, tokenNumber *big.Int, pack func(*big.Int) []byte) (tokenize.Receipt, error) {
	addr, err := parseAddress("contract", contract)
	if err != nil {
		return tokenize.Receipt{}, err
	}
	if err := checkTokenNumber(tokenNumber); err != nil {
		return tokenize.Receipt{}, err
	}
	r, err := c.transact(ctx, method, &addr, pack(tokenNumber))
	return receipt(r), err
}

// Token reads a token's owner, URI, metadata hash, and lock and seizure
// flags, all at the same block. A token number never minted gives
// Exists false and no error. Errors: a *tokenize.InputError for
// bad input; bind.ErrNoCode (wrapped) when no contract is at the address;
// the backend's and the context's errors.
func (c *Chain) Token(ctx context.Context, contract string, tokenNumber *big.Int) (tokenize.TokenState, error) {
	addr, err := parseAddress("contract", contract)
	if err != nil {
		return tokenize.TokenState{}, err
	}
	if err := checkTokenNumber(tokenNumber); err != nil {
		return tokenize.TokenState{}, err
	}
	head, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return tokenize.TokenState{}, fmt.Errorf("ethchain: token: reading the head: %w", err)
	}
	instance := c.token.Instance(c.backend, addr)
	opts := &bind.CallOpts{Context: ctx, BlockNumber: head.Number}

	owner, err := bind.Call(instance, opts, c.token.PackOwnerOf(tokenNumber), c.token.UnpackOwnerOf)
	if err != nil {
		if reason, ok := c.token.DecodeRevert(err); ok {
			if _, missing := reason.(*contracts.AssetTokenERC721NonexistentToken); missing {
				return tokenize.TokenState{}, nil
			}
		}
		return tokenize.TokenState{}, fmt.Errorf("ethchain: token: ownerOf: %w", err)
	}
	s := tokenize.TokenState{Exists: true, Owner: owner.Hex()}
	if s.URI, err = bind.Call(instance, opts, c.token.PackTokenURI(tokenNumber), c.token.UnpackTokenURI); err != nil {
		return tokenize.TokenState{}, fmt.Errorf("ethchain: token: tokenURI: %w", err)
	}
	if s.MetadataHash, err = bind.Call(instance, opts, c.token.PackMetadataHash(tokenNumber), c.token.UnpackMetadataHash); err != nil {
		return tokenize.TokenState{}, fmt.Errorf("ethchain: token: metadataHash: %w", err)
	}
	if s.Locked, err = bind.Call(instance, opts, c.token.PackLocked(tokenNumber), c.token.UnpackLocked); err != nil {
		return tokenize.TokenState{}, fmt.Errorf("ethchain: token: locked: %w", err)
	}
	if s.Seized, err = bind.Call(instance, opts, c.token.PackSeized(tokenNumber), c.token.UnpackSeized); err != nil {
		return tokenize.TokenState{}, fmt.Errorf("ethchain: token: seized: %w", err)
	}
	return s, nil
}

// MintReceipt finds the transaction that minted tokenNumber from the
// contract's Minted event, searching from Config.LogsFromBlock. Errors: an
// *tokenize.InputError for bad input; an error wrapping
// tokenize.ErrNotMinted when no such event is on the chain; the backend's
// errors (a node may refuse a block range that is too wide) and the
// context's.
func (c *Chain) MintReceipt(ctx context.Context, contract string, tokenNumber *big.Int) (tokenize.Receipt, error) {
	addr, err := parseAddress("contract", contract)
	if err != nil {
		return tokenize.Receipt{}, err
	}
	if err := checkTokenNumber(tokenNumber); err != nil {
		return tokenize.Receipt{}, err
	}
	logs, err := c.backend.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(c.cfg.LogsFromBlock),
		Addresses: []common.Address{addr},
		Topics: [][]common.Hash{
			{c.token.GetABI().Events[contracts.AssetTokenMintedEventName].ID},
			{common.BigToHash(tokenNumber)},
		},
	})
	if err != nil {
		return tokenize.Receipt{}, fmt.Errorf("ethchain: mint receipt: filtering Minted events: %w", err)
	}
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		if ev, err := c.token.UnpackMintedEvent(l); err != nil || ev.TokenId.Cmp(tokenNumber) != 0 {
			continue
		}
		return tokenize.Receipt{TxHash: l.TxHash.Hex(), BlockNumber: l.BlockNumber}, nil
	}
	return tokenize.Receipt{}, fmt.Errorf("ethchain: token %s on %s: %w", tokenNumber, addr.Hex(), tokenize.ErrNotMinted)
}

func receipt(r *types.Receipt) tokenize.Receipt {
	if r == nil {
		return tokenize.Receipt{}
	}
	return tokenize.Receipt{TxHash: r.TxHash.Hex(), BlockNumber: r.BlockNumber.Uint64()}
}

// parseAddress validates a 0x-prefixed hex address. Mixed-case input must
// carry a valid EIP-55 checksum, so a mistyped address is refused rather
// than sent to.
func parseAddress(param, s string) (common.Address, error) {
	if s == "" {
		return common.Address{}, &tokenize.InputError{Param: param, Message: param + " address is required"}
	}
	norm, err := tokenize.NormalizeAddress(s)
	if err != nil {
		return common.Address{}, &tokenize.InputError{Param: param, Message: fmt.Sprintf("%s address %q: %v", param, s, err)}
	}
	return common.HexToAddress(norm), nil
}

func checkTokenNumber(n *big.Int) error {
	if n == nil || n.Sign() < 0 || n.BitLen() > 256 {
		return &tokenize.InputError{Param: "token_number", Message: "token number must be a uint256"}
	}
	return nil
}

func has0x(s string) bool { return len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') }

// Dial connects to the JSON-RPC node at url (http, https, ws or ipc) and
// returns the Chain over it, signing with key, and the func that closes the
// connection. The chain id is read from the node unless cfg sets it.
func Dial(ctx context.Context, url string, key *ecdsa.PrivateKey, cfg Config) (*Chain, func(), error) {
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	c, err := New(client, key, cfg)
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return c, client.Close, nil
}
