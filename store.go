package assetmint

import (
	"context"

	"github.com/assetmint/assetmint/jobs"
)

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
