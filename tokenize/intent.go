package tokenize

import (
	"context"
	"errors"
	"math/big"
	"time"
)

// An Intent is one chain action of one signer (a mint, a lock, an
// unlock, a seizure, a deployment), recorded by a transaction manager
// (tokenize/ethchain's Manager) before anything is sent, with its nonce and
// every broadcast attempt. A restart resumes from the record: what is
// unconfirmed is broadcast again, its nonce never goes to another intent,
// and an intent already on chain is never sent again.
//
// The states, and the rule that moves an intent out of each (the
// manager's doc lists them all):
//
//	pending    nonce taken, attempts broadcast, no receipt (any more)
//	  -> mined       a receipt of one of its attempts is on the chain
//	  -> failed      its nonce was used by another transaction, or filled
//	                 with a no-op because the node refuses the transaction
//	mined      a receipt is in, fewer than the confirmations hold it
//	  -> pending     the receipt's block was reorganised away
//	  -> confirmed   status 1, confirmations reached
//	  -> reverted    status 0, confirmations reached
//	  -> failed      the receipt is the no-op's
//
// confirmed, reverted and failed are final; SettledAt is set once the
// caller has recorded the outcome (the engine's settle step).
type Intent struct {
	ID      int64  // assigned by the store
	ChainID string // decimal
	Signer  string // EIP-55 address
	Nonce   uint64
	// Key, when set, names the action ("mint:asset_..."): at most one of
	// the signer's intents with a key is pending, mined or confirmed, so
	// an action retried while its transaction is in flight or done finds
	// it instead of sending again. A reverted or failed intent frees its
	// key for a new attempt at the action.
	Key string
	// Kind is the call: KindMint, KindLock, KindUnlock, KindSeize or
	// KindDeploy.
	Kind string
	// Ref is the caller's, kept and given back with the outcome (the
	// engine keeps there what it records once the intent is final).
	Ref string
	// To is the contract called, "" for a deployment; Data the calldata
	// (with the constructor arguments, for a deployment); Gas the limit.
	To   string
	Data []byte
	Gas  uint64

	State IntentState
	// Attempts are the signed transactions broadcast for the intent, oldest
	// first; each is recorded before it is sent.
	Attempts []Attempt
	// TxHash, BlockNumber and BlockHash are the mined attempt's, once a
	// receipt is in (mined and after); ContractAddress is a mined
	// deployment's contract.
	TxHash          string
	BlockNumber     uint64
	BlockHash       string
	ContractAddress string
	// Error says why the intent reverted or failed, or what the manager
	// last ran into while it was in flight ("" when nothing went wrong).
	Error string
	// Version counts the intent's updates; UpdateIntent writes only over
	// the version it read.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	SettledAt time.Time // zero until the outcome is recorded
}

// IntentState is where an intent is; see Intent.
type IntentState string

const (
	IntentPending   IntentState = "pending"
	IntentMined     IntentState = "mined"
	IntentConfirmed IntentState = "confirmed"
	IntentReverted  IntentState = "reverted"
	IntentFailed    IntentState = "failed"
)

// Final reports whether s is a state the intent never leaves: confirmed,
// reverted or failed.
func (s IntentState) Final() bool {
	return s == IntentConfirmed || s == IntentReverted || s == IntentFailed
}

// InFlight reports whether s is pending or mined: the intent holds a
// nonce the chain has not settled.
func (s IntentState) InFlight() bool { return s == IntentPending || s == IntentMined }

// The calls an intent makes.
const (
	KindMint   = "mint"
	KindLock   = "lock"
	KindUnlock = "unlock"
	KindSeize  = "seize"
	KindDeploy = "deploy"
)

// Attempt is one signed transaction broadcast for an intent: the first,
// each fee bump (same nonce, fees at least BumpPercent higher) and a no-op
// that fills the nonce of an intent the node refuses. Fees are in wei;
// GasPrice is set for a legacy transaction, GasTipCap and GasFeeCap for an
// EIP-1559 one.
type Attempt struct {
	Hash      string
	Raw       []byte // the signed transaction, broadcast again as it is
	GasTipCap *big.Int
	GasFeeCap *big.Int
	GasPrice  *big.Int
	// Noop is a 0-value transfer to the signer at the intent's nonce.
	Noop   bool
	SentAt time.Time // when it was recorded, just before it was first sent
}

// Last returns the intent's newest attempt, or nil.
func (in *Intent) Last() *Attempt {
	if len(in.Attempts) == 0 {
		return nil
	}
	return &in.Attempts[len(in.Attempts)-1]
}

var (
	// ErrIntentNotFound: no such intent.
	ErrIntentNotFound = errors.New("tokenize: intent not found")
	// ErrIntentExists: another of the signer's intents with the key is
	// pending, mined or confirmed.
	ErrIntentExists = errors.New("tokenize: an intent with this key is in flight or done")
	// ErrNonceTaken: another of the signer's intents holds the nonce.
	ErrNonceTaken = errors.New("tokenize: nonce taken by another intent")
	// ErrIntentChanged: the intent was updated since it was read (by
	// another instance's manager), or the attempt's number is taken; read
	// it again.
	ErrIntentChanged = errors.New("tokenize: intent changed since it was read")
	// ErrIntentFailed: the intent never landed (its Error says why).
	ErrIntentFailed = errors.New("tokenize: transaction failed")
)

// IntentReader reads a store's intents. Every method fails with the
// store's own error for anything but the conditions named.
type IntentReader interface {
	// Intent reads one intent with its attempts. ErrIntentNotFound.
	Intent(ctx context.Context, id int64) (*Intent, error)
	// IntentByKey reads the newest of the signer's intents with key, with
	// its attempts. ErrIntentNotFound.
	IntentByKey(ctx context.Context, chainID, signer, key string) (*Intent, error)
	// OpenIntents lists the signer's intents whose outcome is not settled
	// (in flight, or final with SettledAt zero), in nonce order, with their
	// attempts.
	OpenIntents(ctx context.Context, chainID, signer string) ([]*Intent, error)
	// NextNonce is one past the highest nonce any of the signer's intents
	// holds, 0 when it has none.
	NextNonce(ctx context.Context, chainID, signer string) (uint64, error)
}

// IntentWriter records intents. Inserts that conflict report a sentinel
// and leave the store as it was.
type IntentWriter interface {
	// CreateIntents inserts ins with their attempts (usually the first)
	// in one transaction, all or none, and sets each one's ID and Version.
	// ErrNonceTaken if a signer's nonce is held on that chain;
	// ErrIntentExists if an intent's Key is set and another of the
	// signer's intents with it is pending, mined or confirmed.
	CreateIntents(ctx context.Context, ins ...*Intent) error
	// AddAttempt appends a to the intent's attempts. ErrIntentNotFound;
	// ErrIntentChanged if the intent got an attempt since it was read
	// (prev is how many attempts the caller saw) or the hash is recorded.
	AddAttempt(ctx context.Context, id int64, prev int, a Attempt) error
	// UpdateIntent writes in's State, TxHash, BlockNumber, BlockHash,
	// ContractAddress, Error, UpdatedAt and SettledAt if the stored
	// version is still in.Version, and increments in.Version.
	// ErrIntentChanged if it is not; ErrIntentNotFound.
	UpdateIntent(ctx context.Context, in *Intent) error
	// UpdateIntents writes each of ins as UpdateIntent does, all in one
	// transaction (one durable commit for a round of the manager's loop):
	// each whose stored version is still its Version is written and its
	// Version incremented; the others are left as they are, with their
	// Version, and the error wraps ErrIntentChanged for each that moved on
	// (ErrIntentNotFound for each that is gone), the written ones staying
	// written. Any other error writes none of them.
	UpdateIntents(ctx context.Context, ins []*Intent) error
}

// IntentStore is the persistence a transaction manager needs: a store
// implements it (store/sqlite, store/postgres) and proves it with
// store/storetest. Intents of one signer on one chain are found by (chain
// id, signer); the stores keep nonces unique per signer and chain and keys
// unique among the signer's intents in flight or confirmed, which is what
// keeps several instances' managers from giving one nonce to two intents
// or sending one action twice.
type IntentStore interface {
	IntentReader
	IntentWriter
}

// Call is an action to send through a transaction manager.
type Call struct {
	// Kind is KindMint, KindLock, KindUnlock, KindSeize or KindDeploy.
	Kind string
	// Key and Ref are the intent's (see Intent).
	Key, Ref string
	// Contract is the AssetToken called (all but KindDeploy).
	Contract string
	// Mint is a mint's arguments.
	Mint MintParams
	// TokenNumber is the token a lock, unlock or seizure acts on.
	TokenNumber *big.Int
	// To receives a seized token.
	To string
	// Deploy is a deployment's constructor arguments.
	Deploy DeployParams
}

// SettleFunc records the outcome of an intent that reached a final state
// (confirmed, reverted or failed). It must be idempotent: after a crash it
// is called again for an intent it already recorded. An error leaves the
// intent unsettled, to be offered again.
type SettleFunc func(ctx context.Context, in *Intent) error

// TxManager is an optional capability of a Chain (found by type
// assertion): transactions sent without waiting for them, many of one
// signer in flight at once, confirmed together by a loop that one process
// runs at a time. A Chain without it is used synchronously: each
// transaction method sends and waits for its receipt.
type TxManager interface {
	// Submit records call as an intent with its first attempt and
	// broadcasts it; it returns once the intent is recorded, whether or not
	// the broadcast went through (the loop sends it again). An intent with
	// call.Key that is in flight or confirmed is returned as it is, and
	// nothing is sent. It waits while the signer has its limit of intents
	// in flight. The call is estimated on the chain's latest state: one
	// that depends on an intent still in flight must wait for it. Errors:
	// an *InputError for bad arguments; an error wrapping ErrReverted
	// (and ErrTokenExists for a mint of a taken number) when the call
	// would revert; the node's and the store's errors; nothing is recorded
	// then.
	Submit(ctx context.Context, call Call) (*Intent, error)
	// Live returns the signer's intent with key that is in flight or
	// confirmed, nil if there is none. Errors: the store's.
	Live(ctx context.Context, key string) (*Intent, error)
	// Await works the signer's intents until the intent id is final and
	// returns it. Errors: the context's, the store's.
	Await(ctx context.Context, id int64) (*Intent, error)
	// Confirm works the signer's intents round after round (receipts,
	// confirmations, rebroadcasts, fee bumps, the fault rules), calling
	// settle once for each intent that reaches a final state, until none
	// is open or the manager's time slice is over, and returns how many
	// are still open. Faults of the node are recorded and retried, not
	// returned. Errors: the context's.
	Confirm(ctx context.Context, settle SettleFunc) (open int, err error)
	// State reads the signer's state for operators.
	State(ctx context.Context) (SignerState, error)
}

// SignerState is a transaction manager's state for one signer: what an
// operator looks at when chain actions seem slow.
type SignerState struct {
	ChainID string
	Signer  string
	// InFlight counts intents pending or mined; Unsettled those final
	// whose outcome is not recorded yet.
	InFlight, Unsettled int
	// MaxInFlight is the manager's limit.
	MaxInFlight int
	// OldestInFlight is when the oldest intent in flight was recorded
	// (zero when none is).
	OldestInFlight time.Time
	// NextNonce is the nonce the next intent gets, as far as the store
	// knows; ChainNonce is the signer's mined transaction count on the
	// node (0 when the node could not be read).
	NextNonce, ChainNonce uint64
	// FeeCap is the most the manager pays per gas, wei; FeeCapped counts
	// intents in flight whose newest attempt is at it; FeeCapHits counts
	// the times this process found a stuck transaction it could not bump
	// because of the cap (a metric: it only grows).
	FeeCap     *big.Int
	FeeCapped  int
	FeeCapHits uint64
	// LastError is the newest fault seen: on an intent still open, or by
	// this process (the node unreachable, ...); "" when none.
	LastError   string
	LastErrorAt time.Time
}
