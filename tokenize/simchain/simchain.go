package simchain

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/assetmint/assetmint/tokenize"
	"github.com/assetmint/assetmint/tokenize/ethchain"
)

// ChainID is the simulated chain's id.
var ChainID = big.NewInt(1337)

// DefaultBalanceWei funds the signer: one million ether.
var DefaultBalanceWei = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))

// Config holds a Sim's optional settings; the zero value means the
// defaults.
type Config struct {
	// Key signs every transaction; a new random key when nil.
	Key *ecdsa.PrivateKey
	// BalanceWei is the signer's balance at genesis. Default
	// DefaultBalanceWei.
	BalanceWei *big.Int
	// Accounts are funded with BalanceWei too (other signers in tests).
	Accounts []common.Address
	// Confirmations is passed to ethchain.Config: the adapter mines the
	// extra blocks itself. Default 1.
	Confirmations uint64
	// PollInterval is passed to ethchain.Config. Default 5ms: every send
	// is mined at once, so the wait is only for the receipt index.
	PollInterval time.Duration
}

// Sim is an in-process, in-memory go-ethereum chain and an ethchain.Chain
// that sends to it, mining a block after every transaction. Its state is
// lost on Close.
type Sim struct {
	backend *simulated.Backend
	chain   *ethchain.Chain
	key     *ecdsa.PrivateKey
}

// New starts a simulated chain with the signer funded. Errors: an invalid
// setting, or a failure to generate the key.
func New(cfg Config) (*Sim, error) {
	key := cfg.Key
	if key == nil {
		var err error
		if key, err = crypto.GenerateKey(); err != nil {
			return nil, fmt.Errorf("simchain: generating the signer's key: %w", err)
		}
	}
	balance := cfg.BalanceWei
	if balance == nil {
		balance = DefaultBalanceWei
	}
	if balance.Sign() <= 0 {
		return nil, errors.New("simchain: Config.BalanceWei must be positive")
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 5 * time.Millisecond
	}
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: new(big.Int).Set(balance)}}
	for _, a := range cfg.Accounts {
		alloc[a] = types.Account{Balance: new(big.Int).Set(balance)}
	}
	backend := simulated.NewBackend(alloc)
	chain, err := ethchain.New(backend.Client(), key, ethchain.Config{
		ChainID:       ChainID,
		Confirmations: cfg.Confirmations,
		PollInterval:  cfg.PollInterval,
		Commit:        func() { backend.Commit() },
	})
	if err != nil {
		_ = backend.Close()
		return nil, fmt.Errorf("simchain: %w", err)
	}
	return &Sim{backend: backend, chain: chain, key: key}, nil
}

// Chain returns the adapter that signs with the Sim's key; every send is
// mined at once.
func (s *Sim) Chain() *ethchain.Chain { return s.chain }

// Manager returns a transaction manager for the Sim's signer that keeps
// its intents in store. Unless cfg says otherwise, each round of its loop
// mines a block (ManagerConfig.Mine), so one block carries every
// transaction sent since the last. Send only through the Manager once it
// is in use: the Chain's own transaction methods keep their nonce in
// memory.
func (s *Sim) Manager(store tokenize.IntentStore, cfg ethchain.ManagerConfig) (*ethchain.Manager, error) {
	if cfg.Mine == nil {
		cfg.Mine = func() { s.backend.Commit() }
	}
	return ethchain.NewManager(s.chain, store, cfg)
}

// Client returns the simulated node's client for raw access (bind v2
// calls, a second ethchain.Chain with another key).
func (s *Sim) Client() simulated.Client { return s.backend.Client() }

// Backend returns the simulated backend itself: Commit, AdjustTime,
// Rollback.
func (s *Sim) Backend() *simulated.Backend { return s.backend }

// Key returns the signer's private key.
func (s *Sim) Key() *ecdsa.PrivateKey { return s.key }

// Close stops the simulated node; its state is gone.
func (s *Sim) Close() error { return s.backend.Close() }
