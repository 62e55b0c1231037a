package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/assetmint/assetmint"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// field is one member a request body may carry: its wire name and where to
// decode it.
type field struct {
	name string
	dst  decoder
}

// decoder decodes one JSON value; it returns a message naming what was
// expected, or "" when the value is good.
type decoder interface {
	decode(raw json.RawMessage) string
}

// serverSet are fields the server owns; naming them in a body is an error
// that says so, rather than "unknown field".
var serverSet = map[string]bool{
	"id": true, "object": true, "status": true, "created_at": true, "updated_at": true,
	"business_id": true, "documents": true, "valuation": true, "client_id": true, "client_secret": true,
}

// readBody reads a JSON request body within the size limit. It is read
// whole so the idempotency layer can fingerprint it.
func readBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, &apiError{http.StatusUnsupportedMediaType, "invalid_request_error", "unsupported_media_type",
				"Request bodies must be JSON, with Content-Type: application/json.", ""}
		}
	}
	return readLimited(r)
}

// readLimited reads the body, answering 413 past maxJSONBody.
func readLimited(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &apiError{http.StatusRequestEntityTooLarge, "invalid_request_error", "request_too_large",
			fmt.Sprintf("The request body must be at most %d bytes.", maxJSONBody), ""}
	}
	if err != nil {
		return nil, assetmint.Errorf(assetmint.EINVALID, "The request body could not be read.")
	}
	return body, nil
}

// decodeBody decodes a JSON object body into fields. Unknown members,
// server-set members, wrong types, malformed or empty JSON are all errors
// that name the member where there is one. Nothing is applied unless the
// whole body is good, since callers act only on a nil error.
func decodeBody(r *http.Request, fields ...field) error {
	body, err := bodyOf(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return assetmint.Errorf(assetmint.EINVALID, "The request body is empty; send a JSON object.")
	}
	var members map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&members); err != nil {
		return syntaxError(err)
	}
	if members == nil {
		return assetmint.Errorf(assetmint.EINVALID, "The request body must be a JSON object, not null.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return assetmint.Errorf(assetmint.EINVALID, "The request body has data after the JSON object.")
	}
	known := make(map[string]decoder, len(fields))
	for _, f := range fields {
		known[f.name] = f.dst
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	sort.Strings(names) // the same body always reports the same member first
	for _, name := range names {
		if _, ok := known[name]; ok {
			continue
		}
		if serverSet[name] {
			return assetmint.FieldError(name, "%s is set by the server and cannot be written.", name)
		}
		return assetmint.FieldError(name, "Unknown field %q.", name)
	}
	for _, f := range fields {
		raw, ok := members[f.name]
		if !ok {
			continue
		}
		if msg := f.dst.decode(raw); msg != "" {
			return assetmint.FieldError(f.name, "%s %s.", f.name, msg)
		}
	}
	return nil
}

func syntaxError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return assetmint.Errorf(assetmint.EINVALID, "The request body is not valid JSON (at byte %d).", se.Offset)
	case errors.As(err, &te):
		return assetmint.Errorf(assetmint.EINVALID, "The request body must be a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return assetmint.Errorf(assetmint.EINVALID, "The request body is not valid JSON (it ends too soon).")
	}
	return assetmint.Errorf(assetmint.EINVALID, "The request body is not valid JSON.")
}

// str decodes a JSON string; set records that the member was present.
type str struct {
	val string
	set bool
}

func (s *str) decode(raw json.RawMessage) string {
	if err := json.Unmarshal(raw, &s.val); err != nil || isNull(raw) {
		return "must be a string"
	}
	s.set = true
	return ""
}

// ptr returns the value as a pointer when present, for partial updates.
func (s *str) ptr() *string {
	if !s.set {
		return nil
	}
	return &s.val
}

// amount decodes money: a JSON number or a numeric string.
type amount struct {
	val decimal.Decimal
	set bool
}

func (a *amount) decode(raw json.RawMessage) string {
	const want = "must be a number or a numeric string"
	text := string(raw)
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(raw, &text); err != nil {
			return want
		}
	} else if text == "" || !(text[0] == '-' || text[0] >= '0' && text[0] <= '9') {
		return want
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return want
	}
	a.val, a.set = d, true
	return ""
}

// object decodes a JSON object whose numbers stay exact (json.Number).
type object struct {
	val map[string]any
	set bool
}

func (o *object) decode(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&o.val); err != nil || o.val == nil {
		return "must be a JSON object"
	}
	o.set = true
	return ""
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// queryList reads the list parameters limit, starting_after, ending_before;
// any other parameter is an error naming it.
func queryList(q url.Values) (assetmint.ListParams, error) {
	var p assetmint.ListParams
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, assetmint.FieldError("limit", "limit must be an integer between 1 and %d.", assetmint.MaxListLimit)
		}
		if n < 1 || n > assetmint.MaxListLimit {
			return p, assetmint.FieldError("limit", "limit must be between 1 and %d.", assetmint.MaxListLimit)
		}
		p.Limit = n
	}
	p.StartingAfter = q.Get("starting_after")
	p.EndingBefore = q.Get("ending_before")
	for name := range q {
		switch name {
		case "limit", "starting_after", "ending_before":
		default:
			return p, assetmint.FieldError(name, "Unknown query parameter %q.", name)
		}
	}
	return p, p.Validate()
}

// nullableStr decodes a string that may be null; null reads as "".
type nullableStr struct{ str }

func (s *nullableStr) decode(raw json.RawMessage) string {
	if isNull(raw) {
		s.val, s.set = "", true
		return ""
	}
	return s.str.decode(raw)
}

// decodeOptionalBody accepts no body at all, or a JSON object decoded like
// decodeBody's: for actions whose parameters are all optional (none, for
// most).
func decodeOptionalBody(r *http.Request, fields ...field) error {
	body, err := bodyOf(r)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	return decodeBody(r, fields...)
}

// strs decodes a JSON array of strings.
type strs struct {
	val []string
	set bool
}

func (s *strs) decode(raw json.RawMessage) string {
	if err := json.Unmarshal(raw, &s.val); err != nil || isNull(raw) {
		return "must be an array of strings"
	}
	s.set = true
	return ""
}

// serveList answers a list route: the list parameters from q, one page
// through fetch, each item on the wire through conv.
func serveList[T, J any](w http.ResponseWriter, r *http.Request, q url.Values, fetch func(assetmint.ListParams) (assetmint.Page[T], error), conv func(T) J) {
	p, err := queryList(q)
	if err != nil {
		writeError(w, r, err)
		return
	}
	page, err := fetch(p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]J, len(page.Items))
	for i, it := range page.Items {
		items[i] = conv(it)
	}
	writeList(w, r, items, page.HasMore)
}
