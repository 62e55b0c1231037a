package assetmint

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint/lending"
)

// Event types are a public contract: add new ones, never rename. Each has
// its data type below (AssetSubmittedEventData for asset.submitted, ...),
// which is the webhook payload's "data"; httpapi's OpenAPI document
// describes each with a schema of the same name, and a test keeps the two
// alike.
const (
	EventAssetSubmitted          = "asset.submitted"
	EventAssetUpdated            = "asset.updated"
	EventDocumentUploaded        = "document.uploaded"
	EventAssetValuationComplete  = "asset.valuation_complete"
	EventAssetVerified           = "asset.verified"
	EventAssetRejected           = "asset.rejected"
	EventWebhookEndpointDisabled = "webhook_endpoint.disabled"
	EventTokenMinted             = "token.minted"
	EventTokenLocked             = "token.locked"
	EventTokenUnlocked           = "token.unlocked"
	EventTokenSeized             = "token.seized"
	EventLoanSubmitted           = "loan.submitted"
	EventLoanApproved            = "loan.approved"
	EventLoanReferred            = "loan.referred"
	EventLoanRejected            = "loan.rejected"
	EventLoanFunded              = "loan.funded"
	EventLoanRepaymentReceived   = "loan.repayment_received"
	EventLoanRepaid              = "loan.repaid"
	EventLoanDefaulted           = "loan.defaulted"
)

// EventTypes returns every event type a webhook endpoint may subscribe to,
// in the API's order.
func EventTypes() []string {
	return []string{
		EventAssetSubmitted, EventAssetUpdated, EventDocumentUploaded, EventAssetValuationComplete,
		EventAssetVerified, EventAssetRejected, EventWebhookEndpointDisabled,
		EventTokenMinted, EventTokenLocked, EventTokenUnlocked, EventTokenSeized,
		EventLoanSubmitted, EventLoanApproved, EventLoanReferred, EventLoanRejected, EventLoanFunded,
		EventLoanRepaymentReceived, EventLoanRepaid, EventLoanDefaulted,
	}
}

// EventDataTypes returns a zero value of every event's data type, in the
// order of EventTypes: what the OpenAPI document's event schemas are
// checked against.
func EventDataTypes() []EventData {
	return []EventData{
		AssetSubmittedEventData{}, AssetUpdatedEventData{}, DocumentUploadedEventData{}, AssetValuationCompleteEventData{},
		AssetVerifiedEventData{}, AssetRejectedEventData{}, WebhookEndpointDisabledEventData{},
		TokenMintedEventData{}, TokenLockedEventData{}, TokenUnlockedEventData{}, TokenSeizedEventData{},
		LoanSubmittedEventData{}, LoanApprovedEventData{}, LoanReferredEventData{}, LoanRejectedEventData{}, LoanFundedEventData{},
		LoanRepaymentReceivedEventData{}, LoanRepaidEventData{}, LoanDefaultedEventData{},
	}
}

// validEventType reports whether t is one of the event types.
func validEventType(t string) bool {
	switch t {
	case EventAssetSubmitted, EventAssetUpdated, EventDocumentUploaded, EventAssetValuationComplete,
		EventAssetVerified, EventAssetRejected, EventWebhookEndpointDisabled,
		EventTokenMinted, EventTokenLocked, EventTokenUnlocked, EventTokenSeized,
		EventLoanSubmitted, EventLoanApproved, EventLoanReferred, EventLoanRejected, EventLoanFunded,
		EventLoanRepaymentReceived, EventLoanRepaid, EventLoanDefaulted:
		return true
	}
	return false
}

// Event is a state change, written to the outbox in the same transaction as
// the change itself; webhooks deliver it.
type Event struct {
	ID         string
	BusinessID string
	Type       string
	// Data is the JSON of the type's EventData: it names the objects
	// involved by key (asset_id, ...) plus the key figures, and is the
	// webhook payload's "data".
	Data      json.RawMessage
	CreatedAt time.Time
}

// EventStore is the outbox.
type EventStore interface {
	// AppendEvent inserts e. ECONFLICT if the id exists.
	AppendEvent(ctx context.Context, e *Event) error
	// Event reads one of the business's events. ENOTFOUND if absent or
	// another business's.
	Event(ctx context.Context, businessID, id string) (*Event, error)
	// Events lists the business's events, newest first.
	// ErrCursorNotFound (ENOTFOUND) if p's cursor is not one of the
	// business's events.
	Events(ctx context.Context, businessID string, p ListParams) (Page[*Event], error)
}

// Events lists the business's events (the outbox), newest first.
// Errors: EINVALID (a cursor must name one of the business's events:
// ListParams).
func (e *Engine) Events(ctx context.Context, businessID string, p ListParams) (Page[*Event], error) {
	return readPage(p, "events", func(p ListParams) (Page[*Event], error) { return e.store.Events(ctx, businessID, p) })
}

// EventData is the data of one event type.
type EventData interface {
	// EventType is the type of the events that carry this data.
	EventType() string
}

// emit appends an event to the outbox inside tx, with the job that fans it
// out to the business's webhook endpoints.
func (e *Engine) emit(ctx context.Context, tx Tx, businessID string, data EventData) error {
	id, err := e.newID(PrefixEvent)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return internal(err, "encode event")
	}
	ev := &Event{ID: id, BusinessID: businessID, Type: data.EventType(), Data: raw, CreatedAt: e.now()}
	if err := tx.AppendEvent(ctx, ev); err != nil {
		return err
	}
	return e.enqueueFanout(ctx, tx, ev)
}

// Amount is money in event data: a JSON number with two decimals (1725.50).
type Amount decimal.Decimal

// MarshalJSON writes the amount with two decimals.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(decimal.Decimal(a).StringFixed(2)), nil }

// Number is a figure in event data written with its own digits: a declared
// value as given (85000), a rate (0.085), a ratio (0.2956).
type Number decimal.Decimal

// MarshalJSON writes the decimal's own digits.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(decimal.Decimal(n).String()), nil }

// AssetSubmittedEventData: an asset was submitted for valuation.
type AssetSubmittedEventData struct {
	AssetID        string      `json:"asset_id"`
	Name           string      `json:"name"`
	Type           AssetType   `json:"type"`
	Status         AssetStatus `json:"status"`
	EstimatedValue Number      `json:"estimated_value"`
	Currency       string      `json:"currency"`
}

// AssetUpdatedEventData: an asset's facts changed.
type AssetUpdatedEventData struct {
	AssetID string      `json:"asset_id"`
	Status  AssetStatus `json:"status"`
	// Changed are the wire names of the fields that changed, sorted.
	Changed []string `json:"changed"`
}

// DocumentUploadedEventData: a document was attached to an asset.
type DocumentUploadedEventData struct {
	AssetID    string       `json:"asset_id"`
	DocumentID string       `json:"document_id"`
	Kind       DocumentKind `json:"kind"`
	SHA256     string       `json:"sha256"`
}

// AssetValuationCompleteEventData: an asset was valued.
type AssetValuationCompleteEventData struct {
	AssetID     string `json:"asset_id"`
	ValuationID string `json:"valuation_id"`
	Value       Amount `json:"value"`
	Currency    string `json:"currency"`
	Confidence  int    `json:"confidence"`
}

// AssetVerifiedEventData: an asset was verified, by the policy or an
// operator.
type AssetVerifiedEventData struct {
	AssetID     string `json:"asset_id"`
	ValuationID string `json:"valuation_id"`
	VerifiedBy  string `json:"verified_by"` // "policy" or "operator"
}

// AssetRejectedEventData: an operator rejected an asset.
type AssetRejectedEventData struct {
	AssetID string `json:"asset_id"`
	Reason  string `json:"reason"`
}

// WebhookEndpointDisabledEventData: AssetMint disabled an endpoint (a 410
// answer, or five days without a successful delivery).
type WebhookEndpointDisabledEventData struct {
	WebhookID string `json:"webhook_id"`
	URL       string `json:"url"`
	Reason    string `json:"reason"`
}

// TokenMintedEventData: an asset's token was minted.
type TokenMintedEventData struct {
	TokenID      string `json:"token_id"`
	AssetID      string `json:"asset_id"`
	TokenAddress string `json:"token_address"` // the contract
	TokenNumber  string `json:"token_number"`
	ChainID      string `json:"chain_id"`
	TxHash       string `json:"tx_hash"`
	OwnerAddress string `json:"owner_address"`
}

// TokenEventFields are what every collateral event of a token names.
type TokenEventFields struct {
	TokenID      string `json:"token_id"`
	AssetID      string `json:"asset_id"`
	TokenAddress string `json:"token_address"`
	TokenNumber  string `json:"token_number"`
	LoanID       string `json:"loan_id"`
}

// TokenLockedEventData: a token was locked as a funded loan's collateral.
type TokenLockedEventData struct{ TokenEventFields }

// TokenUnlockedEventData: a repaid loan's token was unlocked.
type TokenUnlockedEventData struct{ TokenEventFields }

// TokenSeizedEventData: a defaulted loan's token was moved to the lender.
type TokenSeizedEventData struct {
	TokenEventFields
	FromAddress string `json:"from_address"`
	ToAddress   string `json:"to_address"`
}

// LoanEventFields are what every loan event names: the loan, its asset and
// token (id and contract address), its status, amount and currency.
type LoanEventFields struct {
	LoanID       string     `json:"loan_id"`
	AssetID      string     `json:"asset_id"`
	TokenID      string     `json:"token_id"`
	TokenAddress string     `json:"token_address"`
	Status       LoanStatus `json:"status"`
	Amount       Amount     `json:"amount"`
	Currency     string     `json:"currency"`
}

// LoanDecisionFields are the terms an underwriting decision offered.
type LoanDecisionFields struct {
	AnnualRate Number   `json:"annual_rate"`
	MaxAmount  Amount   `json:"max_amount"`
	Reasons    []string `json:"reasons"`
}

// LoanSubmittedEventData: a loan was requested.
type LoanSubmittedEventData struct {
	LoanEventFields
	TermMonths   int              `json:"term_months"`
	Amortization lending.Method   `json:"amortization"`
	DayCount     lending.DayCount `json:"day_count"`
	LTV          Number           `json:"ltv"`
}

// LoanApprovedEventData: a loan was approved, by the policy or an operator.
type LoanApprovedEventData struct {
	LoanEventFields
	LoanDecisionFields
	DecidedBy string `json:"decided_by"`
}

// LoanReferredEventData: the policy left a loan for an operator.
type LoanReferredEventData struct {
	LoanEventFields
	LoanDecisionFields
}

// LoanRejectedEventData: a loan was rejected. The policy's rejection
// carries its decision's terms and reasons; an operator's, the reason.
type LoanRejectedEventData struct {
	LoanEventFields
	DecidedBy  string   `json:"decided_by"`
	AnnualRate *Number  `json:"annual_rate,omitempty"`
	MaxAmount  *Amount  `json:"max_amount,omitempty"`
	Reasons    []string `json:"reasons,omitempty"`
	Reason     string   `json:"reason,omitempty"`
}

// LoanFundedEventData: a loan was funded, its token locked; the schedule
// counts from FundedAt.
type LoanFundedEventData struct {
	LoanEventFields
	AnnualRate    Number    `json:"annual_rate"`
	FundedAt      time.Time `json:"funded_at"`
	Installments  int       `json:"installments"`
	FirstDueDate  string    `json:"first_due_date"` // YYYY-MM-DD
	FirstPayment  Amount    `json:"first_payment"`
	TotalInterest Amount    `json:"total_interest"`
}

// LoanRepaymentReceivedEventData: a repayment was recorded, with its
// allocation. Amount is the repayment's; LoanAmount the loan's.
type LoanRepaymentReceivedEventData struct {
	LoanEventFields
	RepaymentID          string    `json:"repayment_id"`
	Amount               Amount    `json:"amount"`
	ReceivedAt           time.Time `json:"received_at"`
	Fees                 Amount    `json:"fees"`
	Interest             Amount    `json:"interest"`
	Principal            Amount    `json:"principal"`
	Prepaid              Amount    `json:"prepaid"`
	Excess               Amount    `json:"excess"`
	OutstandingPrincipal Amount    `json:"outstanding_principal"`
	PayoffAmount         Amount    `json:"payoff_amount"`
	LoanAmount           Amount    `json:"loan_amount"`
}

// LoanRepaidEventData: a repayment paid a loan off.
type LoanRepaidEventData struct {
	LoanEventFields
	RepaymentID string    `json:"repayment_id"`
	RepaidAt    time.Time `json:"repaid_at"`
	Excess      Amount    `json:"excess"`
}

// LoanDefaultedEventData: a loan went past the default rule; its token's
// seizure follows.
type LoanDefaultedEventData struct {
	LoanEventFields
	DaysPastDue             int       `json:"days_past_due"`
	PastDue                 Amount    `json:"past_due"`
	OldestUnpaidInstallment int       `json:"oldest_unpaid_installment"`
	OutstandingPrincipal    Amount    `json:"outstanding_principal"`
	PayoffAmount            Amount    `json:"payoff_amount"`
	LenderAddress           string    `json:"lender_address"`
	DefaultedAt             time.Time `json:"defaulted_at"`
}

func (AssetSubmittedEventData) EventType() string          { return EventAssetSubmitted }
func (AssetUpdatedEventData) EventType() string            { return EventAssetUpdated }
func (DocumentUploadedEventData) EventType() string        { return EventDocumentUploaded }
func (AssetValuationCompleteEventData) EventType() string  { return EventAssetValuationComplete }
func (AssetVerifiedEventData) EventType() string           { return EventAssetVerified }
func (AssetRejectedEventData) EventType() string           { return EventAssetRejected }
func (WebhookEndpointDisabledEventData) EventType() string { return EventWebhookEndpointDisabled }
func (TokenMintedEventData) EventType() string             { return EventTokenMinted }
func (TokenLockedEventData) EventType() string             { return EventTokenLocked }
func (TokenUnlockedEventData) EventType() string           { return EventTokenUnlocked }
func (TokenSeizedEventData) EventType() string             { return EventTokenSeized }
func (LoanSubmittedEventData) EventType() string           { return EventLoanSubmitted }
func (LoanApprovedEventData) EventType() string            { return EventLoanApproved }
func (LoanReferredEventData) EventType() string            { return EventLoanReferred }
func (LoanRejectedEventData) EventType() string            { return EventLoanRejected }
func (LoanFundedEventData) EventType() string              { return EventLoanFunded }
func (LoanRepaymentReceivedEventData) EventType() string   { return EventLoanRepaymentReceived }
func (LoanRepaidEventData) EventType() string              { return EventLoanRepaid }
func (LoanDefaultedEventData) EventType() string           { return EventLoanDefaulted }
