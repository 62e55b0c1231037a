package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// envelope is every resource response: {data, meta, error}.
type envelope struct {
	Data  any        `json:"data"`
	Meta  meta       `json:"meta"`
	Error *errorBody `json:"error"`
}

type meta struct {
	RequestID string `json:"request_id"`
	HasMore   *bool  `json:"has_more,omitempty"` // lists only
}

// encode is v as a response body: JSON with a final newline, HTML left
// unescaped.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeJSON writes v as the response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := encode(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"data":null,"meta":{},"error":{"type":"api_error","code":"internal","message":"An internal error occurred"}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeData answers with data in the envelope.
func writeData(w http.ResponseWriter, r *http.Request, status int, data any) {
	writeJSON(w, status, envelope{Data: data, Meta: meta{RequestID: requestID(r.Context())}})
}

// writeEncodedData answers as writeData does, with data already encoded
// (encode's bytes without the final newline): the same bytes, without
// encoding data again or having encoding/json scan it as it scans a
// json.RawMessage.
func writeEncodedData(w http.ResponseWriter, r *http.Request, status int, data []byte) {
	m, err := encode(meta{RequestID: requestID(r.Context())})
	if err != nil {
		writeData(w, r, status, json.RawMessage(data))
		return
	}
	m = bytes.TrimSuffix(m, []byte("\n"))
	const head, mid, tail = `{"data":`, `,"meta":`, `,"error":null}` + "\n"
	b := make([]byte, 0, len(head)+len(data)+len(mid)+len(m)+len(tail))
	b = append(append(append(append(append(b, head...), data...), mid...), m...), tail...)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeList answers with a page of items in the envelope.
func writeList[T any](w http.ResponseWriter, r *http.Request, items []T, hasMore bool) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, envelope{Data: items, Meta: meta{RequestID: requestID(r.Context()), HasMore: &hasMore}})
}

// writeError answers with err in the envelope and records it for the log.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := describe(err)
	if rec := recordOf(r.Context()); rec != nil {
		rec.err = err
	}
	writeJSON(w, status, envelope{Meta: meta{RequestID: requestID(r.Context())}, Error: &body})
}

// money is an amount on the wire: a JSON number with at most two decimals.
type money decimal.Decimal

func (m money) MarshalJSON() ([]byte, error) {
	d := decimal.Decimal(m)
	// Round(2) rescales, allocating, even when d has two decimals or fewer,
	// as stored amounts do; String writes those the same either way (it
	// drops trailing zeros). A valuation in GET /v1/assets/{id} has a dozen
	// amounts.
	if d.Exponent() < -2 {
		d = d.Round(2)
	}
	return []byte(d.String()), nil
}

// timestamp is a time on the wire: RFC 3339 in UTC.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format(time.RFC3339) + `"`), nil
}

// optTimestamp is a timestamp that may be null.
func optTimestamp(t time.Time) *timestamp {
	if t.IsZero() {
		return nil
	}
	ts := timestamp(t)
	return &ts
}

// optString is s, or null for the empty string.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
