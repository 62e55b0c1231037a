package assetmint

import (
	"context"
	"time"

	"github.com/assetmint/assetmint/jobs"
)

// The Engine's persistence is split by concern into small interfaces; a
// store implements them all (store/sqlite is the embedded one) and proves it
// with store/storetest. Every method that reads business data takes the
// business id and finds nothing outside it.
//
// Errors: ENOTFOUND for absent records, ECONFLICT for a duplicate id or
// unique value, EINTERNAL for the rest (wrapped).

// BusinessStore keeps businesses.
type BusinessStore interface {
	// CreateBusiness inserts b. ECONFLICT if the id exists.
	CreateBusiness(ctx context.Context, b *Business) error
	// Business reads one. ENOTFOUND if absent.
	Business(ctx context.Context, id string) (*Business, error)
	// Businesses lists all, newest first (operator use).
	Businesses(ctx context.Context, p ListParams) (Page[*Business], error)
	// UpdateBusiness writes every field of b. ENOTFOUND if absent.
	UpdateBusiness(ctx context.Context, b *Business) error
}

// ClientStore keeps API clients. Clients are looked up by id alone, at the
// token endpoint and on every authenticated request.
type ClientStore interface {
	// CreateClient inserts c. ECONFLICT if the id exists; ENOTFOUND if its
	// business does not.
	CreateClient(ctx context.Context, c *Client) error
	// Client reads one with its business. ENOTFOUND if absent.
	Client(ctx context.Context, id string) (*Client, *Business, error)
	// UpdateClient writes every field of c. ENOTFOUND if absent.
	UpdateClient(ctx context.Context, c *Client) error
}

// AssetStore keeps assets.
type AssetStore interface {
	// CreateAsset inserts a. ECONFLICT if the id exists.
	CreateAsset(ctx context.Context, a *Asset) error
	// Asset reads one of the business's assets. ENOTFOUND if absent or
	// another business's.
	Asset(ctx context.Context, businessID, id string) (*Asset, error)
	// Assets lists the business's assets, newest first.
	Assets(ctx context.Context, businessID string, p ListParams) (Page[*Asset], error)
	// UpdateAsset writes every mutable field of a (scoped by a.BusinessID).
	// ENOTFOUND if absent.
	UpdateAsset(ctx context.Context, a *Asset) error
	// AssetByID reads an asset whatever its business, for operator
	// decisions only; business-facing paths use Asset. ENOTFOUND if absent.
	AssetByID(ctx context.Context, id string) (*Asset, error)
}

// EventStore is the outbox.
type EventStore interface {
	// AppendEvent inserts e. ECONFLICT if the id exists.
	AppendEvent(ctx context.Context, e *Event) error
	// Event reads one of the business's events. ENOTFOUND if absent or
	// another business's.
	Event(ctx context.Context, businessID, id string) (*Event, error)
	// Events lists the business's events, newest first.
	Events(ctx context.Context, businessID string, p ListParams) (Page[*Event], error)
}

// Tx is what a transaction can do: every write the Engine makes together
// with its event and follow-up jobs.
type Tx interface {
	BusinessStore
	ClientStore
	AssetStore
	DocumentStore
	ValuationStore
	WebhookStore
	TokenStore
	LoanStore
	EventStore
	IdempotencyAnswerStore
	jobs.Enqueuer
}

// SigningKey is an HS256 key for access tokens; the newest signs, all
// verify. Kept in the store so that every instance shares them.
type SigningKey struct {
	ID        string // the JWT kid
	Secret    []byte
	CreatedAt time.Time
}

// SigningKeyStore keeps token signing keys.
type SigningKeyStore interface {
	// SigningKeys lists all keys, newest first.
	SigningKeys(ctx context.Context) ([]SigningKey, error)
	// AddSigningKey inserts k. ECONFLICT if the id exists.
	AddSigningKey(ctx context.Context, k SigningKey) error
	// DeleteSigningKey removes a key; tokens it signed stop verifying.
	// ENOTFOUND if absent.
	DeleteSigningKey(ctx context.Context, id string) error
}

// IdempotencyRecord remembers one Idempotency-Key of one caller.
type IdempotencyRecord struct {
	Scope       string // the business id, or "operator"
	Key         string
	RequestHash string    // what the request was: method, path, body
	LockedUntil time.Time // while in flight; a crashed request's lock expires
	Status      int       // the stored answer's status, once complete (0 before)
	Body        []byte    // the stored answer, sealed by the Engine
	CreatedAt   time.Time
}

// Complete reports whether the record holds a response to replay.
func (r *IdempotencyRecord) Complete() bool { return r.Status != 0 }

// IdempotencyStore keeps the idempotency keys of calls (Engine.Idempotent),
// so a retried call is answered from the first one's result. Each method is
// one atomic statement on the key's row (or one transaction), which is what
// keeps a key to one call across instances.
type IdempotencyStore interface {
	// ReserveIdempotencyKey claims (rec.Scope, rec.Key) for a request in
	// flight until rec.LockedUntil. If the key is free, expired (created
	// before notBefore) or its lock lapsed, it is claimed and nil returned;
	// otherwise the existing record is returned unchanged.
	ReserveIdempotencyKey(ctx context.Context, rec IdempotencyRecord, now, notBefore time.Time) (*IdempotencyRecord, error)
	// ReleaseIdempotencyKey frees the reservation held without a response,
	// so the request may be retried with its key. A reservation no longer
	// held is left alone.
	ReleaseIdempotencyKey(ctx context.Context, held IdempotencyRecord) error
	// PruneIdempotencyKeys deletes records created before createdBefore and
	// returns how many.
	PruneIdempotencyKeys(ctx context.Context, createdBefore time.Time) (int, error)
}

// IdempotencyAnswerStore stores a call's answer inside the transaction of
// the call's effect.
type IdempotencyAnswerStore interface {
	// CompleteIdempotencyKey stores the answer of the reservation held
	// (Scope, Key and the LockedUntil it was reserved with), as a
	// conditional update of the key's row: it matches only while that
	// reservation is still held and has no answer. ECONFLICT if it is no
	// longer held (its lock lapsed and another call took the key over, or
	// it is complete), so a call that outlived its lock cannot commit its
	// effect beside its retry's; ENOTFOUND if the key is absent. A store
	// with row locks takes the row's lock here, which serializes a
	// completion against a concurrent take-over.
	CompleteIdempotencyKey(ctx context.Context, held IdempotencyRecord, status int, body []byte) error
}

// Store is everything the Engine needs from persistence.
type Store interface {
	Tx
	SigningKeyStore
	IdempotencyStore
	jobs.Queue
	// InTx runs fn in one transaction: all its writes commit together, or
	// none do if fn returns an error (which InTx returns).
	InTx(ctx context.Context, fn func(tx Tx) error) error
}
