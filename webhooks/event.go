package webhooks

import (
	"encoding/json"
	"errors"
	"time"
)

// Event is the payload of a delivery:
//
//	{"id":"evt_...","type":"asset.valuation_complete","created_at":"2026-03-31T14:00:00Z","api_version":"v1","data":{...}}
//
// Data names the objects involved by key (asset_id, loan_id, ...) plus the
// key figures. Receivers decode it with encoding/json as usual; Handler does
// that for them.
type Event struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	CreatedAt  time.Time       `json:"created_at"`
	APIVersion string          `json:"api_version"`
	Data       json.RawMessage `json:"data"`
}

// wireEvent fixes the field order and the time format of the payload.
type wireEvent struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	CreatedAt  string          `json:"created_at"`
	APIVersion string          `json:"api_version"`
	Data       json.RawMessage `json:"data"`
}

// Marshal returns the canonical payload bytes: fields in the order id, type,
// created_at, api_version, data; created_at in RFC 3339 UTC with whole
// seconds (sub-second digits are dropped); data compacted, {} when empty; no
// trailing newline. The same event always gives the same bytes, so a retry
// carries the body that was signed the first time. It fails if ID or Type is
// empty or Data is not valid JSON.
func (e Event) Marshal() ([]byte, error) {
	if e.ID == "" || e.Type == "" {
		return nil, errors.New("webhooks: event needs an id and a type")
	}
	data := e.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	return json.Marshal(wireEvent{
		ID:         e.ID,
		Type:       e.Type,
		CreatedAt:  e.CreatedAt.UTC().Format(time.RFC3339),
		APIVersion: e.APIVersion,
		Data:       data,
	})
}

// MarshalJSON is Marshal, so json.Marshal of an Event gives the canonical
// payload too.
func (e Event) MarshalJSON() ([]byte, error) { return e.Marshal() }
