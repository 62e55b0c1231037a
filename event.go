package assetmint

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

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
