package assetmint

import (
	"context"

	"github.com/assetmint/assetmint/jobs"
)

// The Engine's persistence is split by concern into small interfaces, each
// declared in the file of its aggregate (BusinessStore in business.go, ...);
// Tx and Store compose them. A store implements them all (store/sqlite is
// the embedded one) and proves it with store/storetest. Every method that
// reads business data takes the business id and finds nothing outside it;
// the few that read across businesses (AssetByID, the *BookStore
// interfaces) serve operator actions, operators' pages and platform jobs
// only.
//
// Errors: ENOTFOUND for absent records, ECONFLICT for a duplicate id or
// unique value, EINTERNAL for the rest (wrapped).

// Tx is what a transaction can do: every write the Engine makes together
// with its event and follow-up jobs.
//
// Locking. Every use case that changes a record reads it through its
// transaction first, and a store whose transactions run concurrently
// (store/postgres) must make that read a lock: inside a transaction, these
// reads of one record lock its row until the transaction ends (SELECT ...
// FOR UPDATE): Business, Client, Asset, AssetByID, Document, Token,
// AssetToken, Loan, LoanByID, AssetLoanInFlight, RepaymentByReference,
// WebhookEndpoint and WebhookDelivery. That is what serializes two
// repayments of one loan, a repayment and the servicing sweep, a loan's
// funding and its seizure, across instances. Lists never lock. A store with
// one writer (store/sqlite: BEGIN IMMEDIATE) serializes whole transactions
// and needs nothing more. Inserts that may conflict report ECONFLICT without
// ending the transaction (the fan-out goes on after a delivery that exists),
// and the unique indexes stay the last line of defence: one loan in flight
// per asset, one token per asset, one delivery per endpoint and event, one
// repayment per loan and reference.
type Tx interface {
	BusinessStore
	ClientStore
	AssetStore
	DocumentStore
	ValuationStore
	TokenStore
	TokenBookStore
	SettingStore
	LoanStore
	LoanBookStore
	RepaymentStore
	WebhookEndpointStore
	WebhookDeliveryStore
	EventStore
	IdempotencyAnswerStore
	jobs.Enqueuer
	// RecordOutcomes (in a transaction) records job outcomes with the
	// transaction's other writes: a handler's effect and its job's
	// completion commit together (jobs.ErrRecorded).
	jobs.OutcomeRecorder
}

// Store is everything the Engine needs from persistence. The book stores
// it adds to Tx (AssetBookStore, WebhookDeliveryBookStore,
// WebhookEndpointBookStore, JobBookStore) are operators' reads across
// businesses, made outside transactions.
type Store interface {
	Tx
	SigningKeyStore
	IdempotencyStore
	OperatorSessionStore
	AssetBookStore
	WebhookDeliveryBookStore
	WebhookEndpointBookStore
	JobBookStore
	jobs.Queue
	// InTx runs fn in one transaction: all its writes commit together, or
	// none do if fn returns an error (which InTx returns).
	InTx(ctx context.Context, fn func(tx Tx) error) error
}

// ReadTxer is an optional capability of a Store: reads that belong
// together (an asset, its documents and its latest valuation) made in one
// snapshot, on one connection, instead of each on its own.
type ReadTxer interface {
	// InReadTx runs fn in a read-only transaction: every read through tx
	// sees the same snapshot of the database; a write through it fails.
	// It returns fn's error unchanged.
	InReadTx(ctx context.Context, fn func(tx Tx) error) error
}
