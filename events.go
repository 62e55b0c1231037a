package assetmint

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// Events lists the business's events (the outbox), newest first.
// Errors: EINVALID.
func (e *Engine) Events(ctx context.Context, businessID string, p ListParams) (Page[*Event], error) {
	return readPage(p, "events", func(p ListParams) (Page[*Event], error) { return e.store.Events(ctx, businessID, p) })
}

// emit appends an event to the outbox inside tx, with the job that fans it
// out to the business's webhook endpoints.
func (e *Engine) emit(ctx context.Context, tx Tx, businessID, typ string, data map[string]any) error {
	id, err := e.newID(PrefixEvent)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return internal(err, "encode event")
	}
	ev := &Event{ID: id, BusinessID: businessID, Type: typ, Data: raw, CreatedAt: e.now()}
	if err := tx.AppendEvent(ctx, ev); err != nil {
		return err
	}
	return e.enqueueFanout(ctx, tx, ev)
}

// EventDocumentUploaded is emitted when a document is attached to an asset.
const EventDocumentUploaded = "document.uploaded"

// EventTypes lists every event type a webhook endpoint may subscribe to.
// Names are a public contract: new ones are added, none renamed.
var EventTypes = []string{
	EventAssetSubmitted, EventAssetUpdated, EventDocumentUploaded, EventAssetValuationComplete,
	EventAssetVerified, EventAssetRejected, EventWebhookEndpointDisabled,
	EventTokenMinted, EventTokenLocked, EventTokenUnlocked, EventTokenSeized,
	EventLoanSubmitted, EventLoanApproved, EventLoanReferred, EventLoanRejected, EventLoanFunded,
	EventLoanRepaymentReceived, EventLoanRepaid, EventLoanDefaulted,
}

// EventWebhookEndpointDisabled is emitted when AssetMint disables an
// endpoint (a 410 answer, or five days without a successful delivery).
const EventWebhookEndpointDisabled = "webhook_endpoint.disabled"

// Event types are a public contract: add new ones, never rename.
const (
	EventAssetSubmitted = "asset.submitted"
	EventAssetUpdated   = "asset.updated"
)

// Event is a state change, written to the outbox in the same transaction as
// the change itself; webhooks deliver it.
type Event struct {
	ID         string
	BusinessID string
	Type       string
	// Data names the objects involved by key (asset_id, ...) plus the key
	// figures; it is the webhook payload's "data".
	Data      json.RawMessage
	CreatedAt time.Time
}

// money is an amount for event data: a JSON number with two decimals.
func money(d decimal.Decimal) json.Number { return json.Number(d.StringFixed(2)) }

// Event types of lending.
const (
	EventLoanSubmitted         = "loan.submitted"
	EventLoanApproved          = "loan.approved"
	EventLoanReferred          = "loan.referred"
	EventLoanRejected          = "loan.rejected"
	EventLoanFunded            = "loan.funded"
	EventLoanRepaymentReceived = "loan.repayment_received"
	EventLoanRepaid            = "loan.repaid"
	EventLoanDefaulted         = "loan.defaulted"
	EventTokenLocked           = "token.locked"
	EventTokenUnlocked         = "token.unlocked"
	EventTokenSeized           = "token.seized"
)

// EventTokenMinted is emitted when an asset's token is minted.
const EventTokenMinted = "token.minted"

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

// Event types of valuation and verification.
const (
	EventAssetValuationComplete = "asset.valuation_complete"
	EventAssetVerified          = "asset.verified"
	EventAssetRejected          = "asset.rejected"
)
